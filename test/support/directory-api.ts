/** The REST shapes of directory services (SPEC §5) that directory e2e tests read. */

/** An application/problem+json answer with field errors. */
export interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** `POST …/directory-services/{id}/sync`. */
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

/** A mailbox as `GET …/mailboxes` lists it. */
export interface Mailbox {
  primaryAddress: string;
  secondaryAddresses: string[];
  displayName: string;
  enabled: boolean;
  origin: string;
  directoryServiceId: string | null;
}
