import { type GraphError, graphErrors } from './errors.js';
import { opaqueToken } from './ids.js';
import { applySelect, type PagedList, pageSizeFrom } from './paging.js';
import type { FakeFolder, FakeMailbox, FakeMessage } from './state.js';

/** Mail folders and message delta over a `FakeMailbox`. */

/** Graph's default folder page is 10 (user-list-mailfolders); `$top` is capped at 1000 here. */
const FOLDER_PAGE_SIZE = 10;
const FOLDER_MAX_PAGE_SIZE = 1000;
/** Message delta without `Prefer: odata.maxpagesize` returns 10 per page. */
const DELTA_PAGE_SIZE = 10;
/** Outlook caps `odata.maxpagesize` for messages at 1000. */
const DELTA_MAX_PAGE_SIZE = 1000;

export function folderJson(mailbox: FakeMailbox, folder: FakeFolder): Record<string, unknown> {
  const messages = mailbox.folderMessages(folder.id);
  return {
    ...(folder.sourceFolderIds ? { '@odata.type': '#microsoft.graph.mailSearchFolder' } : {}),
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: folder.parentFolderId ?? null,
    childFolderCount: mailbox.children(folder.id).length,
    unreadItemCount: messages.filter((m) => !m.isRead).length,
    totalItemCount: messages.length,
    sizeInBytes: messages.reduce((sum, m) => sum + m.raw.length, 0),
    isHidden: folder.isHidden,
    ...(folder.sourceFolderIds
      ? {
          isSupported: true,
          includeNestedFolders: false,
          sourceFolderIds: folder.sourceFolderIds,
          filterQuery: "contains(subject, 'weekly')",
        }
      : {}),
  };
}

export function listFolders(
  mailbox: FakeMailbox,
  parent: FakeFolder,
  query: URLSearchParams,
  context: string,
): PagedList | GraphError {
  const pageSize = pageSizeFrom(query.get('$top'), FOLDER_PAGE_SIZE, FOLDER_MAX_PAGE_SIZE);
  if (pageSize === undefined) return graphErrors.badRequest("Invalid value for '$top'.");
  const includeHidden = query.get('includeHiddenFolders')?.toLowerCase() === 'true';
  const items = mailbox
    .children(parent.id)
    .filter((f) => includeHidden || !f.isHidden)
    .map((f) => applySelect(folderJson(mailbox, f), query.get('$select')));
  return { items, pageSize, context };
}

export function messageJson(message: FakeMessage, immutable: boolean): Record<string, unknown> {
  const id = immutable ? message.immutableId : message.id;
  return {
    '@odata.type': '#microsoft.graph.message',
    '@odata.etag': `W/"CQAAABYAAAD${id.slice(-24, -4)}"`,
    id,
    createdDateTime: message.receivedDateTime,
    lastModifiedDateTime: message.receivedDateTime,
    changeKey: `CQAAABYAAAD${id.slice(-24, -4)}`,
    receivedDateTime: message.receivedDateTime,
    sentDateTime: message.receivedDateTime,
    hasAttachments: /content-disposition:\s*attachment/i.test(
      message.raw.subarray(0, 65_536).toString('latin1'),
    ),
    internetMessageId: message.internetMessageId ?? null,
    subject: message.subject,
    importance: 'normal',
    parentFolderId: message.folderId,
    isRead: message.isRead,
    isDraft: false,
    flag: { flagStatus: message.flagStatus },
  };
}

interface DeltaState {
  readonly mailbox: FakeMailbox;
  readonly folderId: string;
  readonly sequence: number;
  readonly generation: number;
  readonly select: string | null;
}

export interface DeltaRequest {
  readonly mailbox: FakeMailbox;
  readonly folder: FakeFolder;
  readonly query: URLSearchParams;
  readonly maxPageSize: number | undefined;
  readonly immutable: boolean;
  readonly context: string;
  /** `https://host:port/v1.0/users/{u}/mailFolders/{f}/messages/delta`. */
  readonly linkBase: string;
}

/** Delta tokens: opaque ids of server-side sync states, evicted by a mailbox's generation bump. */
export class DeltaStore {
  private readonly states = new Map<string, DeltaState>();

  /**
   * The paged list of one delta round: everything in the folder for an initial request, the
   * changes since the token's state otherwise. Undefined when a `$deltatoken` is unknown or
   * expired (the caller answers 410 SyncStateNotFound).
   */
  round(request: DeltaRequest): PagedList | GraphError | undefined {
    const { mailbox, folder, query } = request;
    const deltaToken = query.get('$deltatoken');
    let previous: DeltaState | undefined;
    if (deltaToken !== null) {
      previous = this.states.get(deltaToken);
      if (!previous || previous.generation !== mailbox.syncGeneration || previous.folderId !== folder.id)
        return undefined;
    }
    const select = previous ? previous.select : query.get('$select');
    const pageSize = Math.min(request.maxPageSize ?? DELTA_PAGE_SIZE, DELTA_MAX_PAGE_SIZE);
    const sources = folder.sourceFolderIds ?? [folder.id];
    const upTo = mailbox.currentSequence;
    const items = previous
      ? this.changesSince(mailbox, sources, previous.sequence, request.immutable)
      : sources.flatMap((id) => mailbox.folderMessages(id)).map((m) => messageJson(m, request.immutable));
    const generation = mailbox.syncGeneration;
    return {
      items: items.map((item) => ('@removed' in item ? item : applySelect(item, select))),
      pageSize,
      context: request.context,
      generation: { current: () => mailbox.syncGeneration, value: generation },
      finalDeltaLink: () => {
        const token = opaqueToken();
        this.states.set(token, { mailbox, folderId: folder.id, sequence: upTo, generation, select });
        return `${request.linkBase}?$deltatoken=${token}`;
      },
    };
  }

  private changesSince(
    mailbox: FakeMailbox,
    folderIds: readonly string[],
    sequence: number,
    immutable: boolean,
  ): Record<string, unknown>[] {
    // The last change of each message wins: created-then-deleted reports the removal only.
    const last = new Map<string, 'created' | 'deleted'>();
    for (const change of mailbox.changes) {
      if (change.sequence > sequence && folderIds.includes(change.folderId))
        last.set(change.messageId, change.kind);
    }
    return [...last].flatMap(([id, kind]) => {
      const message = mailbox.messages.get(id);
      if (!message) return [];
      if (kind === 'deleted' || message.deleted || !folderIds.includes(message.folderId)) {
        return [
          {
            '@odata.type': '#microsoft.graph.message',
            id: immutable ? message.immutableId : message.id,
            '@removed': { reason: 'deleted' },
          },
        ];
      }
      return [messageJson(message, immutable)];
    });
  }
}
