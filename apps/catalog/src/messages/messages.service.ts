import {
  type ArchivedMessage,
  ContractError,
  type FieldError,
  isUuid,
  type MessagePage,
  type MessageRawLocation,
  type MessageSearchRequest,
} from '@mailkeep/contracts';
import { containsPattern, decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '@mailkeep/persistence';
import { Injectable } from '@nestjs/common';

import { blobLocation } from '../blobs/blob-location.js';
import { parseSearchQuery } from '../text/search-query.js';
import {
  type AddressFilter,
  MATCH_END,
  MATCH_START,
  type MessageFilter,
  type MessageRow,
  MessagesRepository,
} from './messages.repository.js';

/**
 * Most JSON a page of messages may take. A message's headers may be 140,000 characters (long
 * recipient lists), so 200 of them would pass NATS's 1 MB payload limit: a page ends early at this
 * size instead (its nextCursor goes on from there). One message always fits.
 */
export const MESSAGE_PAGE_BUDGET_BYTES = 768 * 1024;

/** A whole address: the `from` and `to` filters then match it exactly rather than as a part. */
const WHOLE_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

@Injectable()
export class MessagesService {
  constructor(private readonly messages: MessagesRepository) {}

  async search(request: MessageSearchRequest): Promise<MessagePage> {
    const filter = await this.filterOf(request);
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.messages.search(filter, limit + 1);
    const items: ArchivedMessage[] = [];
    let bytes = 0;
    for (const row of rows.slice(0, limit)) {
      const item = toArchivedMessage(row);
      bytes += Buffer.byteLength(JSON.stringify(item));
      if (items.length > 0 && bytes > MESSAGE_PAGE_BUDGET_BYTES) break;
      items.push(item);
    }
    const more = rows.length > items.length;
    const last = rows[items.length - 1];
    return {
      items,
      nextCursor: more && last ? encodeCursor({ after: last.sort_at.toISOString(), id: last.id }) : null,
    };
  }

  async get(tenantId: string, id: string): Promise<ArchivedMessage> {
    return toArchivedMessage(await this.require(tenantId, id));
  }

  async locateRaw(tenantId: string, id: string): Promise<MessageRawLocation> {
    const row = isUuid(id) ? await this.messages.locate(tenantId.toLowerCase(), id.toLowerCase()) : undefined;
    if (!row) throw new ContractError('NOT_FOUND', `Message ${id} not found`);
    const location = blobLocation(row);
    return {
      id: row.id,
      tenantId: row.tenant_id,
      sha256: row.sha256,
      size: Number(row.size),
      subject: row.subject,
      ...(location && { segmentId: location.segmentId, segmentOffset: location.offset }),
    };
  }

  private async require(tenantId: string, id: string): Promise<MessageRow> {
    const row = isUuid(id) ? await this.messages.find(tenantId.toLowerCase(), id.toLowerCase()) : undefined;
    if (!row) throw new ContractError('NOT_FOUND', `Message ${id} not found`);
    return row;
  }

  private async filterOf(request: MessageSearchRequest): Promise<MessageFilter> {
    const errors: FieldError[] = [];
    const after = request.after === undefined ? undefined : instant(request.after, 'after', errors);
    const before = request.before === undefined ? undefined : instant(request.before, 'before', errors);
    if (after && before && after > before)
      errors.push({ field: 'before', message: 'before must not be earlier than after' });
    const q = request.q === undefined ? undefined : parseSearchQuery(request.q);
    if (q !== undefined && (await this.messages.queryTerms(q)) === 0) {
      errors.push({ field: 'q', message: 'q has no word to search for' });
    }
    if (errors.length > 0) throw ContractError.validation(errors, 'The search is invalid');
    return {
      tenantId: request.tenantId.toLowerCase(),
      ...(request.mailboxId !== undefined && { mailboxId: request.mailboxId.toLowerCase() }),
      ...(request.folder !== undefined && { folder: request.folder }),
      ...(q !== undefined && { q }),
      ...(request.unindexedAttachments !== undefined && {
        unindexedAttachments: request.unindexedAttachments,
      }),
      ...(request.from !== undefined && { from: addressFilter(request.from) }),
      ...(request.to !== undefined && { to: addressFilter(request.to) }),
      ...(request.subject !== undefined && { subjectPattern: containsPattern(request.subject) }),
      ...(after && { after }),
      ...(before && { before }),
      ...(request.cursor !== undefined && { cursor: cursorOf(request.cursor) }),
    };
  }
}

export function toArchivedMessage(row: MessageRow): ArchivedMessage {
  return {
    id: row.id,
    mailboxId: row.mailbox_id,
    folder: row.folder,
    // Rows from before folders were recorded hold none: their one folder is the list.
    folders: row.folders.length > 0 ? row.folders : row.folder === '' ? [] : [row.folder],
    sha256: row.sha256,
    size: Number(row.size),
    messageId: row.message_id,
    subject: row.subject,
    from: row.from_header,
    to: row.to_header,
    cc: row.cc_header,
    date: row.date?.toISOString() ?? null,
    archivedAt: row.archived_at.toISOString(),
    runId: row.run_id,
    text: row.text_state > 0 ? 'indexed' : row.text_state === 0 ? 'pending' : 'unreadable',
    attachments: (row.attachments ?? []).map(({ part, name, mimeType, size, indexed }) => ({
      part,
      name,
      mimeType,
      size,
      indexed,
    })),
    unindexedAttachments: row.unindexed_attachments,
    ...(row.snippet !== undefined && { snippet: row.snippet === null ? null : snippetHtml(row.snippet) }),
  };
}

/** A ts_headline passage as HTML: the text escaped, the matched words in <mark>. */
function snippetHtml(headline: string): string {
  return headline
    .replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
    .replaceAll(MATCH_START, '<mark>')
    .replaceAll(MATCH_END, '</mark>');
}

function addressFilter(text: string): AddressFilter {
  const trimmed = text.trim();
  if (WHOLE_ADDRESS.test(trimmed)) return { address: trimmed.toLowerCase() };
  return { pattern: containsPattern(trimmed) };
}

function instant(text: string, field: string, errors: FieldError[]): Date | undefined {
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    errors.push({ field, message: `${field} must be an ISO-8601 instant` });
    return undefined;
  }
  return new Date(time);
}

function cursorOf(text: string): { sortAt: Date; id: string } {
  const cursor = decodeCursor(text, 'instant');
  return { sortAt: new Date(cursor.after), id: cursor.id };
}
