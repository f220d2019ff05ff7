import { GOOGLE_CUSTOMER_PATTERN } from '@mailkeep/contracts';
import {
  LDAP_DEFAULT_DISPLAY_NAME_ATTRIBUTE,
  LDAP_DEFAULT_FILTER,
  LDAP_DEFAULT_MAIL_ATTRIBUTE,
  LDAP_DEFAULT_PAGE_SIZE,
  LDAP_PROTOCOLS,
  type LdapProtocol,
} from '@mailkeep/contracts';
import {
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
  IntersectionType,
  PartialType,
} from '@nestjs/swagger';

/**
 * OpenAPI documentation of the directory-service routes (SPEC §5). The directory service validates
 * the bodies with the settings class of each type (libs/contracts DIRECTORY_SERVICE_KINDS); these
 * classes only describe them, one create body and one view per type (`oneOf`).
 */

const GUID = {
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  example: '9a0c0305-e82c-4f89-11d3-3f2504e04f89',
} as const;

class DirectoryServiceCommon {
  @ApiProperty({ maxLength: 200, description: 'Unique in the tenant, case-insensitively; trimmed.' })
  name!: string;
  @ApiPropertyOptional({ maxLength: 1000 })
  description?: string;
  @ApiPropertyOptional({
    default: false,
    description: 'A sync disables the mailboxes gone from the source (a sync request can override it).',
  })
  disableMissing?: boolean;
}

export class StaticDirectoryServiceCreateDto extends DirectoryServiceCommon {
  @ApiProperty({
    enum: ['static'],
    description:
      "Its mailboxes are those assigned to it by hand (a mailbox's `directoryServiceId`) or by CSV import.",
  })
  type!: 'static';
}

/** The fields an m365 directory service adds, on create, edit and view. */
class M365Settings {
  @ApiProperty({
    format: 'uuid',
    description: 'A `certificate` or `client-secret` secret of the tenant: the app registration credential.',
  })
  credentialsSecretId!: string;
  @ApiProperty({ ...GUID, description: 'The app registration’s application (client) id (any Entra GUID).' })
  applicationId!: string;
  @ApiProperty({ ...GUID, description: 'The Entra ID tenant (directory) id.' })
  directoryId!: string;
  @ApiPropertyOptional({
    ...GUID,
    description: 'Only users among the transitive members of this Entra group (nested groups expanded).',
  })
  groupId?: string;
}

export class M365DirectoryServiceCreateDto extends IntersectionType(DirectoryServiceCommon, M365Settings) {
  @ApiProperty({
    enum: ['m365'],
    description:
      'Entra ID users that have a mailbox (guests and users without `mail` excluded), listed with Microsoft Graph ' +
      '(application permissions User.Read.All, GroupMember.Read.All for a group).',
  })
  type!: 'm365';
}

/** The fields a google-workspace directory service adds, on create, edit and view. */
class GoogleWorkspaceSettings {
  @ApiProperty({
    format: 'uuid',
    description:
      'A `google-service-account` secret of the tenant: the JSON key of a service account with domain-wide delegation.',
  })
  credentialsSecretId!: string;
  @ApiProperty({
    format: 'email',
    example: 'admin@example.com',
    description: 'A Workspace admin the service account acts as (may read users and groups).',
  })
  adminSubject!: string;
  @ApiPropertyOptional({
    pattern: GOOGLE_CUSTOMER_PATTERN,
    example: 'C03az79cb',
    description:
      'The customer whose users are listed: `my_customer` (the default: the admin’s own account) or its customer id. Not with `domain`.',
  })
  customer?: string;
  @ApiPropertyOptional({
    example: 'example.com',
    description: 'Only the users of this one domain of the account. Not with `customer`.',
  })
  domain?: string;
  @ApiPropertyOptional({
    example: 'archive@example.com',
    description:
      'Only the members of this group (its email address or id), members of nested groups included.',
  })
  groupKey?: string;
}

export class GoogleWorkspaceDirectoryServiceCreateDto extends IntersectionType(
  DirectoryServiceCommon,
  GoogleWorkspaceSettings,
) {
  @ApiProperty({
    enum: ['google-workspace'],
    description:
      'Google Workspace users that have a Gmail mailbox, listed with the Admin SDK Directory API (delegated scopes ' +
      'admin.directory.user.readonly, and admin.directory.group.member.readonly for a group); suspended and archived ' +
      'users are kept disabled.',
  })
  type!: 'google-workspace';
}

/** The fields an ldap directory service adds, on create, edit and view. */
class LdapSettings {
  @ApiProperty({
    description:
      'Host name or IP address of the directory server (a domain controller for Active Directory).',
    example: 'dc01.contoso.com',
  })
  serverName!: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 65535,
    description: 'Default 389 (`ldap`, `ldap-tls`) or 636 (`ldap-ssl`).',
  })
  port?: number;
  @ApiProperty({
    enum: LDAP_PROTOCOLS,
    description: '`ldap` plain (not recommended), `ldap-tls` StartTLS on the plain port, `ldap-ssl` LDAPS.',
  })
  protocol!: LdapProtocol;
  @ApiProperty({
    format: 'uuid',
    description:
      'A `basic` secret: the bind DN (or, for Active Directory, a user principal name) and its password.',
  })
  credentialsSecretId!: string;
  @ApiProperty({ description: 'Where the subtree search starts.', example: 'DC=contoso,DC=com' })
  baseDn!: string;
  @ApiPropertyOptional({
    description: `RFC 4515 filter for the users; entries without the mail attribute are always left out. Default \`${LDAP_DEFAULT_FILTER}\`.`,
    example: '(&(objectCategory=person)(objectClass=user)(msExchMailboxGuid=*))',
  })
  filter?: string;
  @ApiPropertyOptional({
    default: LDAP_DEFAULT_MAIL_ATTRIBUTE,
    description:
      'The attribute with the primary address (further values are secondary addresses). An Exchange `SMTP:` ' +
      'proxy address, when present, is the primary instead; `smtp:` proxy addresses are secondary.',
  })
  mailAttribute?: string;
  @ApiPropertyOptional({ default: LDAP_DEFAULT_DISPLAY_NAME_ATTRIBUTE, description: 'Falls back to `cn`.' })
  displayNameAttribute?: string;
  @ApiPropertyOptional({
    description:
      'Only members of this group, nested groups included (Active Directory: the in-chain matching rule; ' +
      'other servers: `memberOf`, e.g. the OpenLDAP memberof overlay).',
    example: 'CN=Archive-Scope,OU=Groups,DC=contoso,DC=com',
  })
  groupDn?: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 5000,
    default: LDAP_DEFAULT_PAGE_SIZE,
    description: 'Entries per page of the paged search (RFC 2696); at most the server allows (AD: 1,000).',
  })
  pageSize?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 10, maximum: 600, default: 60 })
  timeoutSeconds?: number;
  @ApiPropertyOptional({
    default: false,
    description: 'Accept any server certificate (unsafe: anyone on the path can read the bind password).',
  })
  ignoreTlsCertificateErrors?: boolean;
}

export class LdapDirectoryServiceCreateDto extends IntersectionType(DirectoryServiceCommon, LdapSettings) {
  @ApiProperty({
    enum: ['ldap'],
    description:
      'Users of an LDAP directory or Active Directory, read with a simple bind and a paged search. AD ' +
      'conventions apply: proxyAddresses, userAccountControl (disabled accounts become disabled mailboxes), ' +
      'objectGUID (else entryUUID) as the stable id.',
  })
  type!: 'ldap';
}

export const DIRECTORY_SERVICE_CREATE_BODIES = [
  StaticDirectoryServiceCreateDto,
  M365DirectoryServiceCreateDto,
  GoogleWorkspaceDirectoryServiceCreateDto,
  LdapDirectoryServiceCreateDto,
];

/**
 * OpenAPI only. The type cannot change (422); the type-specific fields are those of its type
 * (m365: credentialsSecretId, applicationId, directoryId, groupId; google-workspace:
 * credentialsSecretId, adminSubject, customer, domain, groupKey; ldap: serverName, port, …); null
 * removes an optional one.
 */
export class UpdateDirectoryServiceDto extends PartialType(
  IntersectionType(DirectoryServiceCommon, M365Settings, GoogleWorkspaceSettings, LdapSettings),
) {
  @ApiPropertyOptional({
    enum: ['static', 'm365', 'google-workspace', 'ldap'],
    description: 'Must equal the current type.',
  })
  type?: 'static' | 'm365' | 'google-workspace' | 'ldap';
}

export class SyncDirectoryServiceDto {
  @ApiPropertyOptional({ default: false, description: 'Report what would change without changing anything.' })
  dryRun?: boolean;
  @ApiPropertyOptional({ description: "Overrides the service's disableMissing for this sync." })
  disableMissing?: boolean;
}

export class SyncSummaryDto {
  @ApiProperty()
  dryRun!: boolean;
  @ApiProperty({ format: 'date-time' })
  startedAt!: string;
  @ApiProperty({ format: 'date-time' })
  finishedAt!: string;
  @ApiProperty({ type: 'integer' })
  created!: number;
  @ApiProperty({ type: 'integer' })
  updated!: number;
  @ApiProperty({ type: 'integer' })
  disabled!: number;
  @ApiProperty({ type: 'integer' })
  unchanged!: number;
}

export class SyncChangeDto {
  @ApiProperty({ enum: ['create', 'update', 'disable'] })
  action!: 'create' | 'update' | 'disable';
  @ApiProperty()
  primaryAddress!: string;
  @ApiProperty()
  displayName!: string;
  @ApiProperty({ type: [String] })
  secondaryAddresses!: string[];
  @ApiProperty({ description: 'Whether the mailbox is enabled afterwards.' })
  enabled!: boolean;
}

export class SyncEntryErrorDto {
  @ApiProperty({ description: 'The source entry (its primary address, or its source id).' })
  entry!: string;
  @ApiProperty()
  message!: string;
}

export class SyncResultDto extends SyncSummaryDto {
  @ApiProperty({ type: [SyncChangeDto], description: 'At most 2,000 listed; the counts are exact.' })
  changes!: SyncChangeDto[];
  @ApiProperty({ type: [SyncEntryErrorDto], description: 'Entries not applied (at most 2,000 listed).' })
  errors!: SyncEntryErrorDto[];
}

class DirectoryServiceViewCommon {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty()
  description!: string;
  @ApiProperty()
  disableMissing!: boolean;
  @ApiProperty({ type: 'integer', description: 'How many mailboxes belong to it.' })
  memberCount!: number;
  @ApiPropertyOptional({ type: SyncSummaryDto, description: 'The counts of the last committed sync.' })
  lastSync?: SyncSummaryDto;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class StaticDirectoryServiceDto extends DirectoryServiceViewCommon {
  @ApiProperty({ enum: ['static'] })
  type!: 'static';
}

export class M365DirectoryServiceDto extends IntersectionType(DirectoryServiceViewCommon, M365Settings) {
  @ApiProperty({ enum: ['m365'] })
  type!: 'm365';
}

export class GoogleWorkspaceDirectoryServiceDto extends IntersectionType(
  DirectoryServiceViewCommon,
  GoogleWorkspaceSettings,
) {
  @ApiProperty({ enum: ['google-workspace'] })
  type!: 'google-workspace';
}

export class LdapDirectoryServiceDto extends IntersectionType(DirectoryServiceViewCommon, LdapSettings) {
  @ApiProperty({ enum: ['ldap'] })
  type!: 'ldap';
}

export const DIRECTORY_SERVICE_VIEWS = [
  StaticDirectoryServiceDto,
  M365DirectoryServiceDto,
  GoogleWorkspaceDirectoryServiceDto,
  LdapDirectoryServiceDto,
];
export type DirectoryServiceDto =
  | StaticDirectoryServiceDto
  | M365DirectoryServiceDto
  | GoogleWorkspaceDirectoryServiceDto
  | LdapDirectoryServiceDto;

export class DirectoryServicePageDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: DIRECTORY_SERVICE_VIEWS.map((dto) => ({ $ref: getSchemaPath(dto) })) },
    description: 'Each item is the view of its type.',
  })
  items!: DirectoryServiceDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}
