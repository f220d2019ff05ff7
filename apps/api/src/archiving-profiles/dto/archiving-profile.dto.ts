import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ENTRA_GUID_PATTERN,
  PROFILE_MODES,
  PROFILE_PROTOCOLS,
  PROFILE_TYPES,
  TIMEOUT_SECONDS_RANGE,
} from '@mailkeep/contracts';
import { IsOptional, IsString, MaxLength } from 'class-validator';

const TYPE_NOTE = 'The type cannot be changed after creation.';
const DELETE_NOTE =
  'Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). ' +
  'Meant for journal mailboxes only; flagged messages are never deleted.';

class FoldersDto {
  @ApiProperty({
    type: [String],
    description: 'Folders to archive (full paths, `/` between levels); empty = all.',
  })
  include!: string[];
  @ApiProperty({ type: [String], description: 'Folders never archived.' })
  exclude!: string[];
  @ApiProperty({
    description: 'Skip Trash, Junk, Drafts and Outbox (by special-use where the protocol has it).',
    default: true,
  })
  excludeDefaults!: boolean;
}

/**
 * The body of create, PATCH and draft test-connection (SPEC §3.1). Validated by the profiles
 * service against the property table: a property the type or mode does not use is a field error.
 */
export class ArchivingProfileInputDto {
  @ApiProperty({ description: 'Unique in the tenant (case-insensitive), 1–200 characters, trimmed.' })
  name!: string;
  @ApiProperty({ enum: PROFILE_TYPES, description: TYPE_NOTE })
  type!: string;
  @ApiProperty({ enum: PROFILE_MODES, description: 'POP3 supports single mode only.' })
  mode!: string;
  @ApiProperty({
    format: 'uuid',
    description:
      'A secret of the tenant: basic for imap, pop3, exchange; certificate or client-secret for m365; google-service-account for google-workspace.',
  })
  credentialsSecretId!: string;
  @ApiPropertyOptional({ default: false, description: DELETE_NOTE })
  deleteInSource?: boolean;
  @ApiPropertyOptional({ format: 'uuid', description: 'Single mode (all types): the archive mailbox.' })
  mailboxId?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Multiple mode (imap, exchange, m365, google-workspace): the directory service.',
  })
  directoryServiceId?: string;
  @ApiPropertyOptional({
    description: 'imap, pop3, exchange (required): host name or IP address, without protocol or port.',
  })
  serverName?: string;
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 65535,
    description: 'imap, pop3: default 993 imap-ssl, 143 imap-tls, 995 pop-ssl, 110 pop-tls.',
  })
  port?: number;
  @ApiPropertyOptional({
    enum: PROFILE_PROTOCOLS,
    description: 'imap, pop3 (required): `-ssl` implicit TLS, `-tls` STARTTLS/STLS.',
  })
  protocol?: string;
  @ApiPropertyOptional({
    minimum: TIMEOUT_SECONDS_RANGE.min,
    maximum: TIMEOUT_SECONDS_RANGE.max,
    description: 'imap, pop3, exchange: seconds; empty = 60.',
  })
  timeoutSeconds?: number;
  @ApiPropertyOptional({
    description:
      'exchange, m365, google-workspace in single mode: the source address when it differs from the credential user, or for impersonation.',
  })
  sourceMailbox?: string;
  @ApiPropertyOptional({
    pattern: ENTRA_GUID_PATTERN,
    description: 'm365 (required): Application ID from the Entra ID page (a GUID, any version).',
  })
  applicationId?: string;
  @ApiPropertyOptional({
    pattern: ENTRA_GUID_PATTERN,
    description: 'm365 (required): Directory ID from the Entra ID page (a GUID, any version).',
  })
  directoryId?: string;
  @ApiPropertyOptional({
    default: false,
    description: 'imap, pop3, exchange: accept any certificate. Unsafe.',
  })
  ignoreTlsCertificateErrors?: boolean;
  @ApiPropertyOptional({ type: FoldersDto, description: 'imap, exchange, m365, google-workspace.' })
  folders?: FoldersDto;
}

export class ArchivingProfileDto extends ArchivingProfileInputDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ description: 'Increases with each change; sent as ETag, expected back in If-Match.' })
  version!: number;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ArchivingProfilePageDto {
  @ApiProperty({ type: [ArchivingProfileDto] })
  items!: ArchivingProfileDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class TestSavedProfileDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Multiple mode: the mailbox of the directory service to test (required there).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  mailboxId?: string;
}

class TestConnectionStepDto {
  @ApiProperty()
  name!: string;
  @ApiProperty({ enum: ['ok', 'failed', 'skipped'] })
  status!: string;
  @ApiProperty()
  durationMs!: number;
  @ApiProperty()
  detail!: string;
}

class TestConnectionErrorDto {
  @ApiProperty({
    enum: [
      'dns',
      'network',
      'tls',
      'authentication',
      'authorization',
      'throttled',
      'timeout',
      'protocol',
      'configuration',
    ],
  })
  category!: string;
  @ApiProperty()
  message!: string;
  @ApiProperty({ description: "The mail service's own technical message." })
  serverMessage!: string;
}

export class TestConnectionResultDto {
  @ApiProperty()
  success!: boolean;
  @ApiProperty()
  durationMs!: number;
  @ApiProperty({ type: [TestConnectionStepDto] })
  steps!: TestConnectionStepDto[];
  @ApiPropertyOptional({ type: TestConnectionErrorDto })
  error?: TestConnectionErrorDto;
  @ApiProperty({ description: 'Plain text for "Copy to clipboard".' })
  transcript!: string;
}
