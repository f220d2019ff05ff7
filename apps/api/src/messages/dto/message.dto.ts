import { CATALOG_FILTER_MAX_LENGTH, CATALOG_FOLDER_MAX_LENGTH } from '@mailkeep/contracts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@mailkeep/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

/** `?q=` and the like, sent empty by forms: the filter is absent, not "matches nothing". */
const emptyIsAbsent = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

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
      'Full text over subject, names and addresses (PostgreSQL full text, no stemming): words (all must match), ' +
      '"a phrase", -excluded, `or`. Addresses match whole or by part (`alice`, `example.com`).',
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
