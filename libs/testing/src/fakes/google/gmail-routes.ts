import type { ServerResponse } from 'node:http';

import { writeBodyChunk } from '../write-body.js';
import { googleApiErrors } from './errors.js';
import { parseGmailQuery } from './gmail-query.js';
import { type GoogleRoute, type GoogleRouteContext, GoogleFakeFailure } from './routes.js';
import { type FakeGmailMailbox, type FakeGmailMessage, numericId } from './state.js';

/**
 * Gmail API v1 routes (developers.google.com/gmail/api/reference/rest): profile, labels,
 * messages.list / get / delete / batchDelete / trash, history.list. Units are Gmail's quota units
 * per method (the "Usage limits" page).
 */

const READ = [
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/gmail.modify',
  'https://mail.google.com/',
];
const MODIFY = ['https://www.googleapis.com/auth/gmail.modify', 'https://mail.google.com/'];
/** Permanent deletion needs full mailbox access; gmail.modify only allows trash. */
const FULL = ['https://mail.google.com/'];

const LIST_DEFAULT = 100;
const LIST_MAX = 500;
const BATCH_DELETE_MAX = 1000;
/** `raw` is written in slices of this many base64url characters (a multiple of 4: whole 3-byte groups). */
const RAW_SLICE_CHARS = 64 * 1024;

/** messages.list snapshots by page token: Gmail pages stay stable while mail arrives. */
const listPages = new Map<string, readonly FakeGmailMessage[]>();

export function gmailRoutes(): readonly GoogleRoute[] {
  return [
    {
      name: 'users.getProfile',
      method: 'GET',
      path: '/gmail/v1/users/:userId/profile',
      scopes: READ,
      units: 1,
      handle: profile,
    },
    {
      name: 'labels.list',
      method: 'GET',
      path: '/gmail/v1/users/:userId/labels',
      scopes: READ,
      units: 1,
      handle: labelsList,
    },
    {
      name: 'messages.list',
      method: 'GET',
      path: '/gmail/v1/users/:userId/messages',
      scopes: READ,
      units: 5,
      handle: messagesList,
    },
    {
      name: 'messages.batchDelete',
      method: 'POST',
      path: '/gmail/v1/users/:userId/messages/batchDelete',
      scopes: FULL,
      units: 50,
      handle: batchDelete,
    },
    {
      name: 'messages.get',
      method: 'GET',
      path: '/gmail/v1/users/:userId/messages/:id',
      scopes: READ,
      units: 5,
      handle: messageGet,
    },
    {
      name: 'messages.delete',
      method: 'DELETE',
      path: '/gmail/v1/users/:userId/messages/:id',
      scopes: FULL,
      units: 10,
      handle: messageDelete,
    },
    {
      name: 'messages.trash',
      method: 'POST',
      path: '/gmail/v1/users/:userId/messages/:id/trash',
      scopes: MODIFY,
      units: 5,
      handle: messageTrash,
    },
    {
      name: 'history.list',
      method: 'GET',
      path: '/gmail/v1/users/:userId/history',
      scopes: READ,
      units: 2,
      handle: historyList,
    },
  ];
}

/** The mailbox `userId` names: `me` or the token's own user (a service account sees only whom it impersonates). */
function mailboxOf(context: GoogleRouteContext): FakeGmailMailbox {
  const user = context.token.user;
  const userId = context.params['userId'] ?? '';
  if (!user) throw new GoogleFakeFailure(googleApiErrors.mailServiceNotEnabled());
  const isSelf =
    userId === 'me' ||
    userId.toLowerCase() === user.primaryEmail.toLowerCase() ||
    user.aliases.some((a) => a.toLowerCase() === userId.toLowerCase());
  if (!isSelf) throw new GoogleFakeFailure(googleApiErrors.delegationDenied(userId));
  if (!user.mailbox) throw new GoogleFakeFailure(googleApiErrors.mailServiceNotEnabled());
  return user.mailbox;
}

function messageOf(mailbox: FakeGmailMailbox, id: string | undefined): FakeGmailMessage {
  const message = id === undefined ? undefined : mailbox.messages.get(id);
  if (!message || message.deleted) throw new GoogleFakeFailure(googleApiErrors.notFound());
  return message;
}

function intParam(context: GoogleRouteContext, name: string, fallback: number, max: number): number {
  const raw = context.url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new GoogleFakeFailure(googleApiErrors.invalidArgument(`Invalid value for ${name}: ${raw}`));
  return Math.min(value, max);
}

function profile(context: GoogleRouteContext): void {
  const mailbox = mailboxOf(context);
  const live = mailbox.live();
  context.sendJson(200, {
    emailAddress: context.token.user?.primaryEmail,
    messagesTotal: live.length,
    threadsTotal: new Set(live.map((m) => m.threadId)).size,
    historyId: String(mailbox.historyId),
  });
}

function labelsList(context: GoogleRouteContext): void {
  const mailbox = mailboxOf(context);
  context.sendJson(200, {
    labels: [...mailbox.labels.values()].map((label) =>
      label.type === 'system'
        ? { id: label.id, name: label.name, type: 'system' }
        : {
            id: label.id,
            name: label.name,
            messageListVisibility: 'show',
            labelListVisibility: 'labelShow',
            type: 'user',
          },
    ),
  });
}

function messagesList(context: GoogleRouteContext): void {
  const mailbox = mailboxOf(context);
  const size = intParam(context, 'maxResults', LIST_DEFAULT, LIST_MAX);
  const pageToken = context.url.searchParams.get('pageToken');
  let remaining: readonly FakeGmailMessage[];
  if (pageToken !== null) {
    const snapshot = listPages.get(pageToken);
    if (!snapshot) throw new GoogleFakeFailure(googleApiErrors.invalidArgument('Invalid pageToken'));
    remaining = snapshot;
  } else {
    const labelIds = context.url.searchParams.getAll('labelIds');
    const query = parseGmailQuery(context.url.searchParams.get('q') ?? '', mailbox);
    const includeSpamTrash =
      context.url.searchParams.get('includeSpamTrash') === 'true' ||
      query.includesSpamTrash ||
      labelIds.some((l) => l === 'SPAM' || l === 'TRASH');
    remaining = mailbox
      .live()
      .filter(
        (m) =>
          (includeSpamTrash || !(m.labelIds.has('SPAM') || m.labelIds.has('TRASH'))) &&
          labelIds.every((l) => m.labelIds.has(l)) &&
          query.matches(m),
      );
  }
  const page = remaining.slice(0, size);
  const rest = remaining.slice(size);
  let nextPageToken: string | undefined;
  if (rest.length > 0) {
    nextPageToken = numericId(20);
    listPages.set(nextPageToken, rest);
  }
  // An empty result has no `messages` key at all, as Gmail answers it.
  context.sendJson(200, {
    ...(page.length > 0 && { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) }),
    ...(nextPageToken && { nextPageToken }),
    resultSizeEstimate: remaining.length,
  });
}

async function messageGet(context: GoogleRouteContext): Promise<void> {
  const mailbox = mailboxOf(context);
  const message = messageOf(mailbox, context.params['id']);
  const format = context.url.searchParams.get('format') ?? 'full';
  const base = {
    id: message.id,
    threadId: message.threadId,
    labelIds: [...message.labelIds],
    snippet: snippet(message.raw),
    sizeEstimate: message.raw.length,
  };
  const tail = { historyId: String(message.historyId), internalDate: String(message.internalDate) };
  if (format === 'raw') {
    await sendRaw(context, context.response, base, message.raw, tail);
    return;
  }
  if (format !== 'minimal' && format !== 'metadata' && format !== 'full')
    throw new GoogleFakeFailure(googleApiErrors.invalidArgument(`Invalid value at 'format' (${format})`));
  context.sendJson(200, { ...base, ...tail });
}

/**
 * `format=raw` as Gmail writes it: pretty-printed JSON with `raw` (base64url, no padding) between
 * `sizeEstimate` and `historyId`, streamed in slices at the pace the client reads them, so a 50 MB
 * message is never queued whole (the route stays in flight until its body is sent, as a real
 * request does). An injected broken body cuts the connection half-way through `raw`.
 */
async function sendRaw(
  context: GoogleRouteContext,
  response: ServerResponse,
  head: Record<string, unknown>,
  raw: Buffer,
  tail: Record<string, string>,
): Promise<void> {
  const headJson = JSON.stringify(head, null, 2);
  const tailJson = JSON.stringify(tail, null, 2);
  const prefix = `${headJson.slice(0, -2)},\n  "raw": "`;
  const suffix = `",\n${tailJson.slice(2)}`;
  const encodedLength = Math.ceil((raw.length * 4) / 3);
  const broken = context.faults.breakBody();
  response.writeHead(200, {
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': Buffer.byteLength(prefix) + encodedLength + Buffer.byteLength(suffix),
  });
  response.write(prefix);
  const sliceBytes = (RAW_SLICE_CHARS / 4) * 3;
  const stopAt = broken ? Math.floor(raw.length / 2) : raw.length;
  for (let offset = 0; offset < stopAt; offset += sliceBytes) {
    const slice = raw.subarray(offset, Math.min(offset + sliceBytes, stopAt)).toString('base64url');
    if (!(await writeBodyChunk(response, slice))) return;
  }
  if (broken) {
    response.destroy();
    return;
  }
  response.end(suffix);
}

/** Gmail's snippet: the start of the text, whitespace collapsed (roughly; it never matters for archiving). */
function snippet(raw: Buffer): string {
  const text = raw.subarray(0, 8192).toString('latin1');
  const body = text
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join(' ');
  return body.replace(/\s+/g, ' ').trim().slice(0, 100);
}

function messageDelete(context: GoogleRouteContext): void {
  const mailbox = mailboxOf(context);
  const message = messageOf(mailbox, context.params['id']);
  mailbox.deleteMessage(message.id);
  context.counters.deletedIds.push(message.id);
  context.sendEmpty();
}

async function batchDelete(context: GoogleRouteContext): Promise<void> {
  const mailbox = mailboxOf(context);
  const body = (await context.readJson()) as { ids?: unknown } | null;
  const ids = body?.ids;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
    throw new GoogleFakeFailure(googleApiErrors.invalidArgument('Invalid ids'));
  if (ids.length > BATCH_DELETE_MAX)
    throw new GoogleFakeFailure(googleApiErrors.invalidArgument(`Too many ids (max ${BATCH_DELETE_MAX})`));
  // Gmail ignores ids that do not exist (or are already gone).
  for (const id of ids as string[]) {
    if (mailbox.deleteMessage(id)) context.counters.deletedIds.push(id);
  }
  context.sendEmpty();
}

function messageTrash(context: GoogleRouteContext): void {
  const mailbox = mailboxOf(context);
  const message = messageOf(mailbox, context.params['id']);
  message.labelIds.delete('INBOX');
  message.labelIds.add('TRASH');
  context.sendJson(200, { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] });
}

function historyList(context: GoogleRouteContext): void {
  const mailbox = mailboxOf(context);
  const startParam = context.url.searchParams.get('startHistoryId');
  if (startParam === null)
    throw new GoogleFakeFailure(googleApiErrors.invalidArgument('Required parameter: startHistoryId'));
  const start = Number(startParam);
  if (!Number.isSafeInteger(start) || start < 0)
    throw new GoogleFakeFailure(googleApiErrors.invalidArgument(`Invalid startHistoryId: ${startParam}`));
  // Too old (expired) or from the future: Gmail answers 404 and the client must do a full sync.
  if (start < mailbox.historyFloor || start > mailbox.historyId)
    throw new GoogleFakeFailure(googleApiErrors.notFound());
  const types = context.url.searchParams.getAll('historyTypes');
  const labelId = context.url.searchParams.get('labelId');
  const size = intParam(context, 'maxResults', LIST_DEFAULT, LIST_MAX);
  const pageToken = context.url.searchParams.get('pageToken');
  const after = pageToken === null ? start : Number(Buffer.from(pageToken, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(after))
    throw new GoogleFakeFailure(googleApiErrors.invalidArgument('Invalid pageToken'));
  const records = mailbox.history.filter((record) => {
    if (record.id <= after) return false;
    if (types.length > 0 && !types.includes(record.kind)) return false;
    const message = mailbox.messages.get(record.messageId);
    return labelId === null || (message?.labelIds.has(labelId) ?? false);
  });
  const page = records.slice(0, size);
  const last = page.at(-1);
  const more = records.length > size && last !== undefined;
  context.sendJson(200, {
    ...(page.length > 0 && {
      history: page.map((record) => {
        const message = mailbox.messages.get(record.messageId);
        const ref = { id: record.messageId, threadId: message?.threadId ?? record.messageId };
        const full = { message: { ...ref, labelIds: [...(message?.labelIds ?? [])] } };
        return {
          id: String(record.id),
          messages: [ref],
          [record.kind === 'messageAdded' ? 'messagesAdded' : 'messagesDeleted']: [full],
        };
      }),
    }),
    ...(more && { nextPageToken: Buffer.from(String(last.id)).toString('base64url') }),
    historyId: String(mailbox.historyId),
  });
}
