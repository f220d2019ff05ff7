import { IsOptional, IsUUID } from 'class-validator';

import { IsEntraGuid } from '../../core/entra-guid.js';
import type { SecretType } from '../../secrets/secret-view/secret-view.js';
import { GoogleWorkspaceDirectorySettings } from './google-workspace-directory-settings.js';
import { LdapDirectorySettings } from './ldap-directory-settings.js';

/**
 * The type-specific settings of a directory service (SPEC §5), one class per type. They sit next
 * to `type` in the HTTP body and under `settings` on the bus; the directory service validates
 * them once, with the class of the service's type, so a field of another type is a field error.
 * `google-workspace` and `ldap` each add one class and one row of DIRECTORY_SERVICE_KINDS.
 */

/** `static`: members are assigned by hand or CSV import; no settings. */
export class StaticDirectorySettings {}

/** `m365`: Entra ID users that have a mailbox (guests excluded), listed with Microsoft Graph. */
export class M365DirectorySettings {
  /** A `certificate` or `client-secret` secret of the tenant: the app registration's credential. */
  @IsUUID()
  credentialsSecretId!: string;
  /** The app registration's application (client) id. */
  @IsEntraGuid()
  applicationId!: string;
  /** The Entra ID tenant (directory) id. */
  @IsEntraGuid()
  directoryId!: string;
  /** Only the users among this group's transitive members (nested groups expanded). */
  @IsOptional()
  @IsEntraGuid()
  groupId?: string;
}

export interface DirectoryServiceKind {
  /** The class that validates the type's settings. */
  readonly settings: new () => object;
  /** Secret types its `credentialsSecretId` may name; empty when it takes no secret. */
  readonly secretTypes: readonly SecretType[];
  /** Members come from a source by sync (not assigned by hand). */
  readonly synced: boolean;
}

/**
 * Every directory-service type that can be created today, with what differs per type. A type
 * appears here only once it can sync (SPEC D3), so a service that cannot work is never stored.
 */
export const DIRECTORY_SERVICE_KINDS = {
  static: { settings: StaticDirectorySettings, secretTypes: [], synced: false },
  m365: { settings: M365DirectorySettings, secretTypes: ['certificate', 'client-secret'], synced: true },
  'google-workspace': {
    settings: GoogleWorkspaceDirectorySettings,
    secretTypes: ['google-service-account'],
    synced: true,
  },
  ldap: { settings: LdapDirectorySettings, secretTypes: ['basic'], synced: true },
} as const satisfies Record<string, DirectoryServiceKind>;

export type DirectoryServiceType = keyof typeof DIRECTORY_SERVICE_KINDS;
export const DIRECTORY_SERVICE_TYPES = Object.keys(DIRECTORY_SERVICE_KINDS) as DirectoryServiceType[];

/** The settings of each type, as the directory service stores and shows them. */
export interface DirectorySettingsByType {
  static: StaticDirectorySettings;
  m365: M365DirectorySettings;
  'google-workspace': GoogleWorkspaceDirectorySettings;
  ldap: LdapDirectorySettings;
}
