import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';

import { defineEvent } from '../../core/contract.js';
import { PresentWith } from '../../core/present-together.js';
import { ARCHIVE_EVENTS_STREAM } from '../../core/streams.js';

/** Labels of one Gmail message are a handful; 100 keeps an event small whatever a mailbox holds. */
export const ARCHIVED_FOLDERS_MAX = 100;

/**
 * Header values are raw: unfolded, but neither RFC 2047 nor charset decoded (the catalog does
 * that). Their limits leave room for long recipient lists while keeping an event far below
 * NATS's 1 MB payload limit; a connector truncates longer values.
 */
export const ARCHIVED_HEADER_LIMITS = Object.freeze({
  messageId: 1_000,
  subject: 4_000,
  from: 4_000,
  to: 64_000,
  cc: 64_000,
  date: 200,
});

/** One message of one mailbox stored in the blob store (SPEC A3, A5). */
export class MessageArchivedEvent {
  /** The tenant owning the archive. */
  @IsUUID()
  tenantId!: string;
  /** The archive mailbox the message belongs to. */
  @IsUUID()
  mailboxId!: string;
  /** The run that archived it. */
  @IsUUID()
  runId!: string;
  /** The task (mailbox of the run) that archived it. */
  @IsUUID()
  taskId!: string;
  /**
   * Stable identity of the message in its mailbox, unique per (tenant, mailbox), e.g.
   * `imap:<folder>:<uidvalidity>:<uid>` or `pop3:<uidl>`; the catalog's idempotency key (A3).
   */
  @IsString()
  @Length(1, 2_000)
  sourceIdentity!: string;
  /** The folder it was found in, decoded, `/`-separated; empty where the protocol has none (POP3). */
  @IsString()
  @MaxLength(2_000)
  folder!: string;
  /**
   * Every folder or label the message is in at the source, `folder` first (Gmail labels: one
   * message, several labels). Absent when the source has one folder per message (= `[folder]`).
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ARCHIVED_FOLDERS_MAX)
  @IsString({ each: true })
  @MaxLength(2_000, { each: true })
  folders?: string[];
  /** SHA-256 of the raw message (lower-case hex); the blob's content address (A1). */
  @Matches(/^[0-9a-f]{64}$/)
  sha256!: string;
  /** Size of the raw message in bytes. */
  @IsInt()
  @Min(0)
  size!: number;
  /** Whether this put created the blob (false: the tenant already held this content). */
  @IsBoolean()
  created!: boolean;
  /**
   * The segment holding the message's bytes (decision 0020), when it was stored in one; absent:
   * the message is its own object at its content address (A1). Its bytes are the `size` bytes at
   * `segmentOffset` of segment `<tenantId>/segments/<segmentId[0:2]>/<segmentId>`.
   */
  @PresentWith('segmentOffset')
  @IsUUID()
  segmentId?: string;
  /** Offset of the message's first byte in its segment; set exactly when `segmentId` is (refused alone). */
  @PresentWith('segmentId')
  @IsInt()
  @Min(0)
  segmentOffset?: number;
  /** Raw Message-ID header, when present. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.messageId)
  messageId?: string;
  /** Raw Subject header (RFC 2047 not decoded), when present. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.subject)
  subject?: string;
  /** Raw From header, when present. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.from)
  from?: string;
  /** Raw To header, when present. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.to)
  to?: string;
  /** Raw Cc header, when present. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.cc)
  cc?: string;
  /** Raw Date header (not parsed: senders write invalid dates), when present. */
  @IsOptional()
  @IsString()
  @MaxLength(ARCHIVED_HEADER_LIMITS.date)
  date?: string;
  /**
   * The source renumbered the folder's messages since they were last archived (IMAP UIDVALIDITY
   * changed) and the connector is archiving the folder again: a message of the same content
   * already archived in this mailbox and folder is this message, not a second copy (the catalog
   * adds no row for it). Absent means false.
   */
  @IsOptional()
  @IsBoolean()
  rescan?: boolean;
  /** When the blob was stored and the event published (ISO-8601 UTC). */
  @IsISO8601()
  archivedAt!: string;
}

/**
 * Published by a connector after the blob is stored, with `Nats-Msg-Id` derived from tenant,
 * mailbox and source identity, so a re-archived message is dropped as a duplicate by the stream.
 */
export const MESSAGE_ARCHIVED_V1 = defineEvent({
  subject: 'archive.evt.message.archived.v1',
  payload: MessageArchivedEvent,
  stream: ARCHIVE_EVENTS_STREAM,
});
