import type { DirectoryServiceType, TestConnectionResult } from '@mailkeep/contracts';

/** One entry of a directory service's source: a mailbox as the source describes it. */
export interface SourceEntry {
  /** The source's stable id for it (m365: the Entra ID user's object id). */
  readonly externalId: string;
  /** The source's primary address (not yet validated). */
  readonly primaryAddress: string;
  readonly displayName: string;
  /** Its other addresses, without the primary (not yet validated). */
  readonly secondaryAddresses: readonly string[];
  /**
   * False when the source keeps the mailbox but it cannot be archived now (google-workspace: a
   * suspended or archived user): its mailbox is created or kept disabled, whatever
   * `disableMissing` says, and enabled again once the source says so. Default true.
   */
  readonly enabled?: boolean;
}

/** What a source needs to know about the saved service it lists. */
export interface SourceService {
  readonly tenantId: string;
  readonly id: string;
  readonly name: string;
  readonly type: DirectoryServiceType;
  /** The validated settings of the type, `credentialsSecretId` included. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/**
 * The port a sync reads through: "list the entries of this directory service". One adapter per
 * synced type. A source that cannot be read throws a ContractError (AUTH_FAILED for rejected
 * credentials, RULE_VIOLATION for a setting the source refuses, UNAVAILABLE when it is down).
 */
export abstract class DirectorySource {
  /** Every entry, all pages read. */
  abstract list(service: SourceService): Promise<SourceEntry[]>;
  /** Tries credentials, one page of entries and the group, step by step (SPEC §5 test result). */
  abstract test(service: SourceService): Promise<TestConnectionResult>;
}

/** The source of each synced type; resolved by the service's type. */
export abstract class DirectorySources {
  abstract of(type: DirectoryServiceType): DirectorySource | undefined;
}
