import { CATALOG_FILTER_MAX_LENGTH, CATALOG_FOLDER_MAX_LENGTH } from '@mailkeep/contracts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@mailkeep/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** `?q=` and the like, sent empty by forms: the filter is absent, not "matches nothing". */
const emptyIsAbsent = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

/** `?x=true|false` as a boolean; anything else stays a string and fails validation (400). */
const queryBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : emptyIsAbsent({ value });

/** `GET /tenants/{t}/messages` (SPEC §5, A4): every filter given must hold. */
export class MessageListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only messages of this archive mailbox.' })
  @Transform(emptyIsAbsent)
  @IsOptional()
  @IsUUID()
  mailboxId?: string;

  @ApiPropertyOptional({
    description: 'Only messages of this folder: the whole path as shown in `folder`, exact.',
    maxLength: CATALOG_FOLDER_MAX_LENGTH,
  })
  @Transform(emptyIsAbsent)
  @IsOptional()
  @IsString()
  @MaxLength(CATALOG_FOLDER_MAX_LENGTH)
  folder?: string;

  @ApiPropertyOptional({
    description:
      'Full text over subject, names, addresses, body and attachments’ text (PDF, Word/Excel/PowerPoint, ' +
      'OpenDocument, RTF, text, CSV, HTML, nested messages, ZIP contents), as typed into a search engine: ' +
      'words (all must match), `"a phrase"` (words next to each other, in order), `-excluded` (also `-"a phrase"`), ' +
      '`a or b` (also `OR`, `|`), `prefix*`. Case-insensitive, no stemming; words inside joined tokens match ' +
      '(`spyware` finds `adware/spyware`, `mixed` finds `multipart/mixed`); Chinese, Japanese and Korean words ' +
      'are found without spaces (CJK text is indexed as character bigrams). Addresses match whole or by part ' +
      '(`alice`, `example.com`). Each listed message then has a `snippet`.',
    maxLength: CATALOG_FILTER_MAX_LENGTH,
  })
  @Transform(emptyIsAbsent)
  @IsOptional()
  @IsString()
  @MaxLength(CATALOG_FILTER_MAX_LENGTH)
  q?: string;

  @ApiPropertyOptional({
    description:
      'A whole address matches that sender exactly; other text matches part of a sender name or address.',
    maxLength: CATALOG_FILTER_MAX_LENGTH,
  })
  @Transform(emptyIsAbsent)
  @IsOptional()
  @IsString()
  @MaxLength(CATALOG_FILTER_MAX_LENGTH)
  from?: string;

  @ApiPropertyOptional({
    description: 'Like `from`, over the To and Cc recipients.',
    maxLength: CATALOG_FILTER_MAX_LENGTH,
  })
  @Transform(emptyIsAbsent)
  @IsOptional()
  @IsString()
  @MaxLength(CATALOG_FILTER_MAX_LENGTH)
  to?: string;

  @ApiPropertyOptional({
    description: 'Part of the subject, case-insensitive; % and _ are literal.',
    maxLength: CATALOG_FILTER_MAX_LENGTH,
  })
  @Transform(emptyIsAbsent)
  @IsOptional()
  @IsString()
  @MaxLength(CATALOG_FILTER_MAX_LENGTH)
  subject?: string;

  @ApiPropertyOptional({
    description:
      'Messages dated at or after this ISO-8601 instant (messages without a usable Date never match).',
  })
  @Transform(emptyIsAbsent)
  @IsOptional()
  @IsISO8601()
  after?: string;

  @ApiPropertyOptional({ description: 'Messages dated before this ISO-8601 instant.' })
  @Transform(emptyIsAbsent)
  @IsOptional()
  @IsISO8601()
  before?: string;

  @ApiPropertyOptional({
    description:
      '`true`: only messages with an attachment whose text could not be extracted (damaged, encrypted, too ' +
      'large, too slow); `false`: only messages without.',
  })
  @Transform(queryBoolean)
  @IsOptional()
  @IsBoolean()
  unindexedAttachments?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (same filters).' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class MessageAttachmentDto {
  @ApiProperty({ description: 'Its number: `GET …/messages/{id}/attachments/{part}` downloads it.' })
  part!: number;
  @ApiProperty({ description: 'File name, decoded.' }) name!: string;
  @ApiProperty({ example: 'application/pdf' }) mimeType!: string;
  @ApiProperty({ description: 'Decoded size in bytes.' }) size!: number;
  @ApiProperty({ description: 'Its text is searchable.' }) indexed!: boolean;
}

/** SPEC §5 "Archived message". */
export class ArchivedMessageDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) mailboxId!: string;
  @ApiProperty({
    description: 'Full folder path, decoded, `/` between levels; empty where the source has none (POP3).',
  })
  folder!: string;
  @ApiProperty({
    type: [String],
    description:
      'Every folder or label the message is in at the source, `folder` first: one row for a Gmail message with several labels.',
    example: ['Inbox', 'Receipts'],
  })
  folders!: string[];
  @ApiProperty({ description: 'SHA-256 of the raw message (hex): its blob address.' }) sha256!: string;
  @ApiProperty({ description: 'Bytes of the raw message.' }) size!: number;
  @ApiProperty({ type: String, nullable: true, example: '<abc@example.com>' }) messageId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Decoded (RFC 2047, charsets).' })
  subject!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Jörg Müller <jm@example.de>' }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) to!: string | null;
  @ApiProperty({ type: String, nullable: true }) cc!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The Date header, ISO-8601 UTC; null when unusable.',
  })
  date!: string | null;
  @ApiProperty({ description: 'ISO-8601 UTC.' }) archivedAt!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({
    enum: ['pending', 'indexed', 'unreadable'],
    description:
      'Body and attachments in the full text index: `pending` until the catalog extracted them (seconds after ' +
      'archiving; a re-index), `unreadable` when the blob could not be read (found by its headers only).',
  })
  text!: string;
  @ApiProperty({ type: [MessageAttachmentDto], description: 'Empty until the text is indexed.' })
  attachments!: MessageAttachmentDto[];
  @ApiProperty({ description: 'An attachment that should have text could not be extracted.' })
  unindexedAttachments!: boolean;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'With `q` only: passages of the body and attachments’ text around the matched words, HTML-escaped, the ' +
      'matched words in `<mark>…</mark>` (none when the words matched the headers only); null without text.',
  })
  snippet?: string | null;
}

export class TextReindexProgressDto {
  @ApiProperty({ enum: ['running', 'succeeded'] }) status!: string;
  @ApiProperty({ description: 'Distinct message blobs to re-index.' }) total!: number;
  @ApiProperty({ description: 'Blobs re-indexed so far.' }) done!: number;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
}

export class TextIndexStatusDto {
  @ApiProperty({ description: 'Messages of the tenant.' }) messages!: number;
  @ApiProperty({ description: 'Messages whose text is not extracted yet.' }) pending!: number;
  @ApiProperty({ description: 'Messages whose blob could not be read (found by their headers only).' })
  unreadable!: number;
  @ApiProperty({ description: 'Messages with an attachment whose text could not be extracted.' })
  withUnindexedAttachments!: number;
  @ApiProperty({ type: TextReindexProgressDto, nullable: true }) reindex!: TextReindexProgressDto | null;
}

export class MessagePageDto {
  @ApiProperty({
    type: [ArchivedMessageDto],
    description:
      'Newest first (by Date, else archive time). A page may hold fewer than `limit` (about 768 KB at most).',
  })
  items!: ArchivedMessageDto[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
