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
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { ARCHIVED_HEADER_LIMITS } from '../../archive/message-archived/message-archived.contract.js';
import { defineRequest } from '../../core/contract.js';
import { TenantPageRequest } from '../../core/list-request.js';
import { PresentWith } from '../../core/present-together.js';

/**
 * Longest filter text accepted: a full address is at most 254 characters, and a search of more
 * than 500 characters is not something a person types; longer input is a VALIDATION error.
 */
export const CATALOG_FILTER_MAX_LENGTH = 500;
/** Folder paths are compared whole; as long as the archived event allows. */
export const CATALOG_FOLDER_MAX_LENGTH = 2_000;

/** One attachment of an archived message (issue 23), as the text indexer found it. */
export class MessageAttachment {
  /** Its number in the message: `GET /tenants/{t}/messages/{id}/attachments/{part}` downloads it. */
  @IsInt()
  @Min(0)
  part!: number;
  /** File name (decoded), or one made from its type when the part names none. */
  @IsString()
  @MaxLength(1000)
  name!: string;
  /** Its MIME type, lower-cased. */
  @IsString()
  @MaxLength(255)
  mimeType!: string;
  /** Decoded size in bytes. */
  @IsInt()
  @Min(0)
  size!: number;
  /** Its text is in the full text index. */
  @IsBoolean()
  indexed!: boolean;
}

/** Where a message's text is in the full text index (issue 23). */
export const MESSAGE_TEXT_STATES = ['pending', 'indexed', 'unreadable'] as const;
export type MessageTextState = (typeof MESSAGE_TEXT_STATES)[number];

/** One archived message of one mailbox, as the API shows it (SPEC §5 "Archived message", A3). */
export class ArchivedMessage {
  /** The catalog's id of the message. */
  @IsUUID()
  id!: string;
  /** The archive mailbox it belongs to. */
  @IsUUID()
  mailboxId!: string;
  /** Full folder path as a user reads it (decoded, `/` between levels); empty where the source has none. */
  @IsString()
  @MaxLength(CATALOG_FOLDER_MAX_LENGTH)
  folder!: string;
  /** Every folder or label the message is in at the source (Gmail labels), `folder` first (SPEC §5). */
  @IsArray()
  @IsString({ each: true })
  @MaxLength(CATALOG_FOLDER_MAX_LENGTH, { each: true })
  folders!: string[];
  /** SHA-256 of the raw message: its blob's address within the tenant. */
  @Matches(/^[0-9a-f]{64}$/)
  sha256!: string;
  /** Size of the raw message in bytes. */
  @IsInt()
  @Min(0)
  size!: number;
  /** The Message-ID header as written (with its angle brackets), or null. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.messageId)
  messageId!: string | null;
  /** The Subject, decoded (RFC 2047, charsets), or null when absent. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.subject)
  subject!: string | null;
  /** The From header, decoded, e.g. `Jörg Müller <jm@example.de>`, or null. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.from)
  from!: string | null;
  /** The To header, decoded, or null. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.to)
  to!: string | null;
  /** The Cc header, decoded, or null. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.cc)
  cc!: string | null;
  /** The Date header as an instant (ISO-8601 UTC), or null when absent or unparseable. */
  @IsOptional()
  @IsISO8601()
  date!: string | null;
  /** When the message was archived (ISO-8601 UTC). */
  @IsISO8601()
  archivedAt!: string;
  /** The run that archived it. */
  @IsUUID()
  runId!: string;
  /** Its body and attachments' text: `pending` (not extracted yet), `indexed`, `unreadable` (blob unreadable). */
  @IsIn(MESSAGE_TEXT_STATES)
  text!: MessageTextState;
  /** Its attachments (empty until its text is indexed). */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MessageAttachment)
  attachments!: MessageAttachment[];
  /** Some attachment that should have text (a PDF, a document) could not be extracted. */
  @IsBoolean()
  unindexedAttachments!: boolean;
  /**
   * With a full text query only: the best passage of its text, HTML-escaped, the matched words in
   * `<mark>…</mark>`; null when the match is in the headers only.
   */
  @IsOptional()
  @IsString()
  snippet?: string | null;
}

/**
 * A4: the tenant's archived messages, newest first (by Date, or by archive time for a message
 * without a usable Date), filtered by every given criterion (AND). See apps/catalog/README.md.
 */
export class MessageSearchRequest extends TenantPageRequest {
  /** Only messages of this mailbox. */
  @IsOptional()
  @IsUUID()
  mailboxId?: string;
  /** Only messages of this folder (the whole path, exact). */
  @IsOptional()
  @IsString()
  @MaxLength(CATALOG_FOLDER_MAX_LENGTH)
  folder?: string;
  /** Full text over subject, names and addresses (web-search syntax: words, "phrases", -not, or). */
  @IsOptional()
  @IsString()
  @Length(1, CATALOG_FILTER_MAX_LENGTH)
  q?: string;
  /** A full address matches that sender exactly; other text matches part of a sender's name or address. */
  @IsOptional()
  @IsString()
  @Length(1, CATALOG_FILTER_MAX_LENGTH)
  from?: string;
  /** Like `from`, over the To and Cc recipients. */
  @IsOptional()
  @IsString()
  @Length(1, CATALOG_FILTER_MAX_LENGTH)
  to?: string;
  /** Part of the subject, case-insensitive; `%` and `_` are literal. */
  @IsOptional()
  @IsString()
  @Length(1, CATALOG_FILTER_MAX_LENGTH)
  subject?: string;
  /** Only messages dated at or after this instant (ISO-8601). */
  @IsOptional()
  @IsISO8601()
  after?: string;
  /** Only messages dated before this instant (ISO-8601). */
  @IsOptional()
  @IsISO8601()
  before?: string;
  /** Only messages with (true) or without (false) attachments whose text could not be extracted. */
  @IsOptional()
  @IsBoolean()
  unindexedAttachments?: boolean;
}

export class MessagePage {
  /** Messages of this page, newest first. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ArchivedMessage)
  items!: ArchivedMessage[];
  /** Cursor of the next page; null on the last one. */
  @IsOptional()
  @IsString()
  nextCursor!: string | null;
}

export class MessageRef {
  /** The tenant. */
  @IsUUID()
  tenantId!: string;
  /** The message id as given by the caller (unknown ids and other tenants' ids are NOT_FOUND). */
  @IsString()
  @MaxLength(200)
  id!: string;
}

/** Where a message's raw MIME is: the api streams it from the blob store itself. */
export class MessageRawLocation {
  /** The message. */
  @IsUUID()
  id!: string;
  /** The tenant whose blob store holds it. */
  @IsUUID()
  tenantId!: string;
  /** The blob's address within the tenant. */
  @Matches(/^[0-9a-f]{64}$/)
  sha256!: string;
  /** Its size in bytes. */
  @IsInt()
  @Min(0)
  size!: number;
  /** The decoded subject (for a download file name), or null. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.subject)
  subject!: string | null;
  /** The segment holding the bytes (decision 0020); absent: the blob is its own object. */
  @PresentWith('segmentOffset')
  @IsUUID()
  segmentId?: string;
  /** Offset of the first byte in the segment; set exactly when `segmentId` is. */
  @PresentWith('segmentId')
  @IsInt()
  @Min(0)
  segmentOffset?: number;
}

/** A tenant's text re-index (issue 23). */
export class TextIndexReindexRequest {
  @IsUUID()
  tenantId!: string;
}

/** Where the tenant's full text index is: its last re-index and how many messages wait for their text. */
export class TextIndexStatus {
  /** Messages of the tenant. */
  @IsInt()
  @Min(0)
  messages!: number;
  /** Messages whose text is not extracted yet (newly archived, or archived before text indexing). */
  @IsInt()
  @Min(0)
  pending!: number;
  /** Messages whose blob could not be read (findable by their headers only). */
  @IsInt()
  @Min(0)
  unreadable!: number;
  /** Messages with an attachment whose text could not be extracted. */
  @IsInt()
  @Min(0)
  withUnindexedAttachments!: number;
  /** The last requested re-index, or null. */
  @IsOptional()
  @ValidateNested()
  @Type(() => TextReindexProgress)
  reindex!: TextReindexProgress | null;
}

export class TextReindexProgress {
  /** `running` or `succeeded`. */
  @IsIn(['running', 'succeeded'])
  status!: 'running' | 'succeeded';
  /** Distinct message blobs to re-index. */
  @IsInt()
  @Min(0)
  total!: number;
  /** Blobs re-indexed so far. */
  @IsInt()
  @Min(0)
  done!: number;
  @IsISO8601()
  requestedAt!: string;
  @IsOptional()
  @IsISO8601()
  finishedAt!: string | null;
}

export const MESSAGE_SEARCH_V1 = defineRequest({
  subject: 'catalog.req.message.search.v1',
  request: MessageSearchRequest,
  reply: MessagePage,
});

/** One message's metadata; NOT_FOUND for an unknown id or another tenant's. */
export const MESSAGE_GET_V1 = defineRequest({
  subject: 'catalog.req.message.get.v1',
  request: MessageRef,
  reply: ArchivedMessage,
});

/** The blob of one message of the tenant; NOT_FOUND for an unknown id or another tenant's. */
export const MESSAGE_LOCATE_RAW_V1 = defineRequest({
  subject: 'catalog.req.message.locate-raw.v1',
  request: MessageRef,
  reply: MessageRawLocation,
});

/** Starts (or starts over) rebuilding the tenant's text index from the blobs; replies with the status. */
export const TEXT_INDEX_REINDEX_V1 = defineRequest({
  subject: 'catalog.req.text-index.reindex.v1',
  request: TextIndexReindexRequest,
  reply: TextIndexStatus,
});

/** The tenant's text index status and re-index progress. */
export const TEXT_INDEX_STATUS_V1 = defineRequest({
  subject: 'catalog.req.text-index.status.v1',
  request: TextIndexReindexRequest,
  reply: TextIndexStatus,
});
