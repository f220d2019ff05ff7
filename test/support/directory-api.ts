/** The REST shapes the directory end-to-end tests read (SPEC §5), as the API answers them. */

/** An `application/problem+json` body. */
export interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** The answer of `POST …/directory-services/{id}/sync`. */
export interface SyncResult {
  dryRun: boolean;
  created: number;
  updated: number;
  disabled: number;
  unchanged: number;
  changes: {
    action: string;
    primaryAddress: string;
    displayName: string;
    secondaryAddresses: string[];
    enabled: boolean;
  }[];
  errors: { entry: string; message: string }[];
}
