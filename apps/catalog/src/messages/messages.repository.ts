import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { LOCATION_JOIN, type LocationColumns } from '../blobs/blob-location.js';
import type { AttachmentInfo } from '../text/message-text.js';
import { type ParsedQuery, tsqueryExpression } from '../text/search-query.js';

/** A message row as the queries read it (never the tsvector). */
export interface MessageRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly mailbox_id: string;
  readonly folder: string;
  readonly folders: string[];
  readonly sha256: string;
  readonly size: string;
  readonly message_id: string | null;
  readonly subject: string | null;
  readonly from_header: string | null;
  readonly to_header: string | null;
  readonly cc_header: string | null;
  readonly date: Date | null;
  readonly sort_at: Date;
  readonly archived_at: Date;
  readonly run_id: string;
  readonly text_state: number;
  readonly unindexed_attachments: boolean;
  /** From message_content; null until the text is indexed. */
  readonly attachments: AttachmentInfo[] | null;
  /** With a text query: ts_headline of the excerpt (PRIVATE_USE marks around matches), else undefined. */
  readonly snippet?: string | null;
}

const SELECTED = `m.id, m.tenant_id, m.mailbox_id, m.folder, m.folders, m.sha256, m.size, m.message_id, m.subject,
  m.from_header, m.to_header, m.cc_header, m.date, m.sort_at, m.archived_at, m.run_id, m.text_state,
  m.unindexed_attachments, c.attachments`;

/** The text of the message's blob (attachments, excerpt), when the indexer has extracted it. */
const CONTENT_JOIN = `LEFT JOIN catalog.message_content c ON c.tenant_id = m.tenant_id AND c.sha256 = m.sha256`;

/** Around matched words in snippets: private-use characters, never in text, escaped to <mark> later. */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';
/**
 * How many of the newest rows a text query matches one by one before it asks the GIN index for
 * every match instead: enough for a word in 1 of 40 messages to fill a page, small enough that a
 * word in none costs milliseconds.
 */
const RECENT_WINDOW = 2_000;
const HEADLINE_OPTIONS = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

/** Filters of a search, already checked; every one given must hold. */
export interface MessageFilter {
  readonly tenantId: string;
  readonly mailboxId?: string;
  readonly folder?: string;
  /** Full text query (search-query.ts), already parsed. */
  readonly q?: ParsedQuery;
  readonly unindexedAttachments?: boolean;
  /** A whole address (exact) or part of a name or address. */
  readonly from?: AddressFilter;
  readonly to?: AddressFilter;
  /** LIKE pattern over the lower-cased subject. */
  readonly subjectPattern?: string;
  readonly after?: Date;
  readonly before?: Date;
  /** Keyset position: rows strictly after it in (sort_at DESC, id DESC) order. */
  readonly cursor?: { readonly sortAt: Date; readonly id: string };
}

export type AddressFilter = { readonly address: string } | { readonly pattern: string };

@Injectable()
export class MessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(tenantId: string, id: string): Promise<MessageRow | undefined> {
    const rows = await this.dataSource.query<MessageRow[]>(
      `SELECT ${SELECTED} FROM catalog.message m ${CONTENT_JOIN} WHERE m.tenant_id = $1 AND m.id = $2`,
      [tenantId, id],
    );
    return rows[0];
  }

  /** A message's blob and where its bytes are (raw download): its location when in a segment. */
  async locate(
    tenantId: string,
    id: string,
  ): Promise<
    (Pick<MessageRow, 'id' | 'tenant_id' | 'sha256' | 'size' | 'subject'> & LocationColumns) | undefined
  > {
    const rows = await this.dataSource.query<(MessageRow & LocationColumns)[]>(
      `SELECT m.id, m.tenant_id, m.sha256, m.size, m.subject, l.segment_id, l.segment_offset
       FROM catalog.message m ${LOCATION_JOIN} WHERE m.tenant_id = $1 AND m.id = $2`,
      [tenantId, id],
    );
    return rows[0];
  }

  /** Rows of the filter, newest first (by date, else archive time), at most `limit`. */
  async search(filter: MessageFilter, limit: number): Promise<MessageRow[]> {
    const params: unknown[] = [filter.tenantId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = filterConditions(filter, param);
    const tsquery = filter.q === undefined ? undefined : tsqueryExpression(filter.q, param);
    const limitParam = param(limit);
    const order = `ORDER BY m.sort_at DESC, m.id DESC`;
    const withPage = (page: string) => this.pageRows(page, tsquery, params);
    if (tsquery === undefined) {
      return withPage(
        `SELECT m.* FROM catalog.message m WHERE ${where.join(' AND ')} ${order} LIMIT ${limitParam}`,
      );
    }
    // A text query picks its page in one of two ways (at 1,000,000 messages the planner's own
    // choice walked the whole date index for a word nobody used: 15-19 s; docs/benchmarks.md).
    // First the newest RECENT_WINDOW rows of the other filters, matched one by one: when they hold
    // a whole page it is the right page (nothing newer was skipped), and a common word costs a
    // few dozen rows. Otherwise the word is rare: every match comes from the GIN index, then sorted.
    const recent = await withPage(
      `SELECT m.* FROM (SELECT m.* FROM catalog.message m WHERE ${where.join(' AND ')}
                        ${order} LIMIT ${RECENT_WINDOW}) m
       WHERE m.search @@ ${tsquery} ${order} LIMIT ${limitParam}`,
    );
    if (recent.length >= limit) return recent;
    // MATERIALIZED keeps the planner from pushing the LIMIT into the match scan, which would bring
    // back the date-index walk.
    return withPage(
      `WITH hits AS MATERIALIZED (
         SELECT m.id, m.sort_at FROM catalog.message m WHERE ${[...where, `m.search @@ ${tsquery}`].join(' AND ')})
       SELECT m.* FROM (SELECT id, sort_at FROM hits ORDER BY sort_at DESC, id DESC LIMIT ${limitParam}) h
       JOIN catalog.message m ON m.id = h.id ${order}`,
    );
  }

  /** The page's rows with their content columns, and snippets for a text query (made for its rows only). */
  private pageRows(page: string, tsquery: string | undefined, params: unknown[]): Promise<MessageRow[]> {
    const snippet =
      tsquery === undefined
        ? ''
        : `, CASE WHEN c.excerpt <> '' THEN ts_headline('simple', c.excerpt, ${tsquery}, '${HEADLINE_OPTIONS}') END AS snippet`;
    return this.dataSource.query<MessageRow[]>(
      `SELECT ${SELECTED}${snippet} FROM (${page}) m ${CONTENT_JOIN}
       ORDER BY m.sort_at DESC, m.id DESC`,
      params,
    );
  }

  /** How many search terms a full text query has; 0 when it holds nothing searchable. */
  async queryTerms(q: ParsedQuery): Promise<number> {
    const params: unknown[] = [];
    const tsquery = tsqueryExpression(q, (value) => `$${params.push(value)}`);
    if (tsquery === undefined) return 0;
    const rows = await this.dataSource.query<{ terms: number }[]>(
      `SELECT numnode(${tsquery}) AS terms`,
      params,
    );
    return rows[0]?.terms ?? 0;
  }
}

/** The conditions of every filter but the text query, on `m`. */
function filterConditions(filter: MessageFilter, param: (value: unknown) => string): string[] {
  const where = ['m.tenant_id = $1'];
  if (filter.mailboxId !== undefined) where.push(`m.mailbox_id = ${param(filter.mailboxId)}`);
  if (filter.folder !== undefined) {
    // md5(folder) leads to ix_message_folder_sort; the comparison of the folder itself decides.
    const folder = param(filter.folder);
    where.push(`md5(m.folder) = md5(${folder}::text) AND m.folder = ${folder}`);
  }
  if (filter.unindexedAttachments !== undefined)
    where.push(`m.unindexed_attachments = ${param(filter.unindexedAttachments)}`);
  if (filter.from !== undefined) where.push(addressCondition('from', filter.from, param));
  if (filter.to !== undefined) where.push(addressCondition('recipient', filter.to, param));
  if (filter.subjectPattern !== undefined)
    where.push(`lower(m.subject) LIKE lower(${param(filter.subjectPattern)}) ESCAPE '\\'`);
  // sort_at is the date of every dated message: bounding it too makes a range an index range scan.
  if (filter.after !== undefined) {
    const after = param(filter.after);
    where.push(`m.date >= ${after} AND m.sort_at >= ${after}`);
  }
  if (filter.before !== undefined) {
    const before = param(filter.before);
    where.push(`m.date < ${before} AND m.sort_at < ${before}`);
  }
  if (filter.cursor !== undefined) {
    where.push(`(m.sort_at, m.id) < (${param(filter.cursor.sortAt)}, ${param(filter.cursor.id)})`);
  }
  return where;
}

function addressCondition(
  column: 'from' | 'recipient',
  filter: AddressFilter,
  param: (value: unknown) => string,
): string {
  if ('address' in filter) return `m.${column}_addresses @> ARRAY[${param(filter.address)}]::text[]`;
  return `m.${column}_search LIKE ${param(filter.pattern)} ESCAPE '\\'`;
}
