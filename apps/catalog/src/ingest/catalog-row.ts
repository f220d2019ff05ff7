import { createHash, randomUUID } from 'node:crypto';

import { ARCHIVED_HEADER_LIMITS, ContractError, type MessageArchivedEvent } from '@mailkeep/contracts';

import type { MailAddress } from '../headers/addresses.js';
import { type DecodedHeaders, decodeHeaders } from '../headers/decode-headers.js';
import { wellFormed } from '../headers/well-formed.js';
import { indexableText } from '../text/index-text.js';

/** A message row as the batch insert sends it (snake_case: the columns of `catalog.message`). */
export interface CatalogRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly mailbox_id: string;
  readonly source_key: string;
  readonly source_identity: string;
  readonly folder: string;
  readonly folders: string[];
  readonly sha256: string;
  readonly size: number;
  readonly message_id: string | null;
  readonly subject: string | null;
  readonly from_header: string | null;
  readonly to_header: string | null;
  readonly cc_header: string | null;
  readonly from_addresses: string[];
  readonly recipient_addresses: string[];
  readonly from_search: string;
  readonly recipient_search: string;
  readonly date: string | null;
  readonly sort_at: string;
  readonly archived_at: string;
  readonly run_id: string;
  readonly task_id: string;
  /** What `to_tsvector('simple', …)` turns into the `search` column. */
  readonly search_text: string;
  /** Insert only when the mailbox has no row of the same folder and content (MessageArchivedEvent.rescan). */
  readonly rescan: boolean;
  /** The segment holding the bytes, or null for a blob of its own (goes to `catalog.blob_location`). */
  readonly segment_id: string | null;
  readonly segment_offset: number | null;
}

/** The idempotency key of a message in its mailbox: SHA-256 of its source identity. */
export function sourceKey(sourceIdentity: string): string {
  return createHash('sha256').update(sourceIdentity, 'utf8').digest('hex');
}

/** An archived event as the catalog row it becomes: headers decoded, addresses parsed, ids lower-cased. */
export function toCatalogRow(event: MessageArchivedEvent): CatalogRow {
  const headers = decodeHeaders(event);
  const archivedAt = new Date(event.archivedAt);
  // ISO-8601 in form, yet no instant (30 February): the event can never be stored.
  if (Number.isNaN(archivedAt.getTime())) {
    throw ContractError.validation([{ field: 'archivedAt', message: 'is not a real instant' }]);
  }
  const date = headers.date;
  return {
    id: randomUUID(),
    tenant_id: event.tenantId.toLowerCase(),
    mailbox_id: event.mailboxId.toLowerCase(),
    source_key: sourceKey(event.sourceIdentity),
    source_identity: storable(event.sourceIdentity),
    folder: storable(event.folder),
    folders: (event.folders ?? (event.folder === '' ? [] : [event.folder])).map(storable),
    sha256: event.sha256,
    size: event.size,
    ...headerColumns(headers),
    date: date?.toISOString() ?? null,
    // Milliseconds, like every time here: keyset cursors carry JavaScript dates.
    sort_at: (date ?? archivedAt).toISOString(),
    archived_at: archivedAt.toISOString(),
    run_id: event.runId.toLowerCase(),
    task_id: event.taskId.toLowerCase(),
    search_text: headerSearchText(headers),
    rescan: event.rescan === true,
    // The contract refuses one without the other (PresentWith), so both are set or neither.
    segment_id: event.segmentId?.toLowerCase() ?? null,
    segment_offset: event.segmentOffset ?? null,
  };
}

/** The columns of a row that hold its decoded headers (the text indexer may rewrite them). */
export type HeaderColumns = Pick<
  CatalogRow,
  | 'message_id'
  | 'subject'
  | 'from_header'
  | 'to_header'
  | 'cc_header'
  | 'from_addresses'
  | 'recipient_addresses'
  | 'from_search'
  | 'recipient_search'
>;

export function headerColumns(headers: DecodedHeaders): HeaderColumns {
  return {
    message_id: limit(headers.messageId, ARCHIVED_HEADER_LIMITS.messageId),
    subject: limit(headers.subject, ARCHIVED_HEADER_LIMITS.subject),
    from_header: limit(headers.from, ARCHIVED_HEADER_LIMITS.from),
    to_header: limit(headers.to, ARCHIVED_HEADER_LIMITS.to),
    cc_header: limit(headers.cc, ARCHIVED_HEADER_LIMITS.cc),
    from_addresses: unique(headers.fromAddresses),
    recipient_addresses: unique(headers.recipientAddresses),
    from_search: searchLines(headers.fromAddresses),
    recipient_search: searchLines(headers.recipientAddresses),
  };
}

/** The headers' words for the full text index (index-text.ts: CJK bigrams, joined tokens split). */
export function headerSearchText(headers: DecodedHeaders): string {
  return indexableText(
    searchText(headers.subject, [...headers.fromAddresses, ...headers.recipientAddresses]),
  );
}

/**
 * The words full text search finds a message by: the subject, every name and address, and the
 * parts of each address (local part split at `.`, `_`, `-`, `+`; the domain and its labels), so
 * that `alice`, `example` or `example.com` find `alice.smith@mail.example.com`.
 */
function searchText(subject: string | null, addresses: readonly MailAddress[]): string {
  const words: string[] = subject ? [subject] : [];
  for (const { name, address } of addresses) {
    if (name) words.push(name);
    if (!address) continue;
    words.push(address);
    const at = address.lastIndexOf('@');
    const local = at < 0 ? address : address.slice(0, at);
    const domain = at < 0 ? '' : address.slice(at + 1);
    words.push(...local.split(/[._+-]+/));
    if (domain) words.push(domain, ...domain.split('.'));
  }
  return words.join(' \n');
}

function searchLines(addresses: readonly MailAddress[]): string {
  return addresses.map(({ name, address }) => `${name.toLowerCase()} <${address}>`).join('\n');
}

function unique(addresses: readonly MailAddress[]): string[] {
  return [...new Set(addresses.map((entry) => entry.address).filter((address) => address !== ''))];
}

/** PostgreSQL text cannot hold NUL, and JSON cannot carry a lone surrogate. */
function storable(value: string): string {
  return wellFormed(value.replaceAll('\0', '\uFFFD'));
}

function limit(value: string | null, length: number): string | null {
  return value === null ? null : value.slice(0, length);
}
