import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsEntraGuid } from '../../core/entra-guid.js';
import {
  PROFILE_MODES,
  PROFILE_PROTOCOLS,
  PROFILE_TYPES,
  type ProfileMode,
  type ProfileProtocol,
  type ProfileType,
} from '../profile-table.js';

export class ProfileFolders {
  /** Folders to archive (full paths, `/` between levels); empty = all. */
  @IsArray()
  @IsString({ each: true })
  include!: string[];
  /** Folders never archived. */
  @IsArray()
  @IsString({ each: true })
  exclude!: string[];
  /** Skip Trash, Junk, Drafts and Outbox (by special-use where the protocol has it). */
  @IsBoolean()
  excludeDefaults!: boolean;
}

/**
 * An archiving profile as stored and shown (SPEC §3.1). Properties the type or mode does not use
 * are absent; defaults (port, timeout) are filled in.
 */
export class ArchivingProfile {
  /** The profile's id. */
  @IsUUID()
  id!: string;
  /** Unique in the tenant, case-insensitively. */
  @IsString()
  @MaxLength(200)
  name!: string;
  /** Fixed at creation. */
  @IsIn(PROFILE_TYPES)
  type!: ProfileType;
  /** `single` mailbox or `multiple` (every mailbox of a directory service). */
  @IsIn(PROFILE_MODES)
  mode!: ProfileMode;
  /** The secret used to connect. */
  @IsUUID()
  credentialsSecretId!: string;
  /** Single mode: the archive mailbox. */
  @IsOptional()
  @IsUUID()
  mailboxId?: string;
  /** Multiple mode: the directory service whose mailboxes are archived. */
  @IsOptional()
  @IsUUID()
  directoryServiceId?: string;
  /** Delete from the source once archived durably (journal mailboxes only). */
  @IsBoolean()
  deleteInSource!: boolean;
  /** imap, pop3, exchange: host name or IP literal. */
  @IsOptional()
  @IsString()
  @MaxLength(253)
  serverName?: string;
  /** imap, pop3: the port (default by protocol). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  port?: number;
  /** imap, pop3: `-ssl` implicit TLS, `-tls` STARTTLS/STLS. */
  @IsOptional()
  @IsIn(PROFILE_PROTOCOLS)
  protocol?: ProfileProtocol;
  /** imap, pop3, exchange: seconds, 10–600 (default 60). */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(600)
  timeoutSeconds?: number;
  /** exchange, m365, google-workspace in single mode: the source mailbox's address. */
  @IsOptional()
  @IsString()
  @MaxLength(254)
  sourceMailbox?: string;
  /** m365: the Entra ID app registration (an Entra GUID, not necessarily an RFC 4122 UUID). */
  @IsOptional()
  @IsEntraGuid()
  applicationId?: string;
  /** m365: the Entra ID tenant (an Entra GUID, not necessarily an RFC 4122 UUID). */
  @IsOptional()
  @IsEntraGuid()
  directoryId?: string;
  /** imap, pop3, exchange: accept any certificate (unsafe). */
  @IsOptional()
  @IsBoolean()
  ignoreTlsCertificateErrors?: boolean;
  /** imap, exchange, m365, google-workspace: folder selection. */
  @IsOptional()
  @ValidateNested()
  @Type(() => ProfileFolders)
  folders?: ProfileFolders;
  /** Increases with every change; the ETag for If-Match. */
  @IsInt()
  @Min(1)
  version!: number;
  /** ISO-8601 UTC. */
  @IsISO8601()
  createdAt!: string;
  /** ISO-8601 UTC. */
  @IsISO8601()
  updatedAt!: string;
}
