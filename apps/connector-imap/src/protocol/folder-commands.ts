import type { Readable } from 'node:stream';

import iconv from 'iconv-lite';
import type { ImapFlow } from 'imapflow';
import { enhanceCommandError } from 'imapflow/lib/tools.js';

import type { ListedFolder } from '../folders/folder-selection.js';
import type { FolderStatus } from '../folders/folder-status.js';
import { assignSpecialUse } from '../folders/special-use.js';
import type { ImapSession } from './imap-client.js';
import { quotable } from './mailbox-name.js';
import { bytesOf, type ResponseValue, textOf, untaggedResponses } from './raw-responses.js';

/**
 * The commands that name a folder — LIST, STATUS, SELECT / EXAMINE — issued on the task's imapflow
 * connection with the folder's exact listed bytes (issue 17 item 4, decision 0021). imapflow's own
 * `list()`, `status()` and `getMailboxLock()` decode a listed name from modified UTF-7 and encode
 * the text again, so a name that is not canonical modified UTF-7 is sent as another name, and its
 * parser reads response lines as UTF-8, so an 8-bit name loses its bytes.
 *
 * imapflow offers no option for either, so this module uses three of its internals, pinned by
 * `folder-commands.int-spec.ts` against the IMAP fake and by the Dovecot tests:
 * - `exec(command, attributes, { untagged })`: the command goes out as given (a quoted string, or a
 *   literal of the exact bytes), and the untagged handlers keep imapflow's global ones from
 *   acting on the answers;
 * - the bytes of LIST and STATUS answers are read off the connection's read side (the TLS socket,
 *   or the inflate stream after COMPRESS) while the command runs: an extra `data` listener beside
 *   imapflow's pipe, removed when the command completes;
 * - after SELECT / EXAMINE, `mailbox` and `state` are set the way imapflow's own SELECT sets them,
 *   so `fetch`, `download` and `messageDelete` work on the folder as before.
 */

/** What SELECT / EXAMINE told about the folder (the fields of imapflow's MailboxObject used here). */
export interface OpenedFolder {
  readonly exists: number;
  readonly uidValidity: bigint;
  readonly uidNext: number | undefined;
  readonly highestModseq: bigint | undefined;
}

/** The STATUS items asked for (HIGHESTMODSEQ only from CONDSTORE servers). */
const STATUS_ITEMS = ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY'];

interface ExecResponse {
  next(): void;
}
type UntaggedHandler = (untagged: { command?: string; attributes?: unknown[] }) => Promise<void>;
/** The imapflow members used here that its typings leave out. */
interface ImapFlowInternals {
  exec(
    command: string,
    attributes: unknown[],
    options: { untagged: Record<string, UntaggedHandler> },
  ): Promise<ExecResponse>;
  socket?: Readable;
  _inflate?: Readable;
  state: unknown;
  states: { AUTHENTICATED: unknown; SELECTED: unknown };
  mailbox: unknown;
  currentSelectCommand: unknown;
}

const internals = (client: ImapFlow) => client as unknown as ImapFlowInternals;
const ignore: UntaggedHandler = () => Promise.resolve();

/** A mailbox name as a command argument: a quoted string when RFC 3501 allows one, else a literal. */
function nameArgument(name: Buffer): { type: 'STRING'; value: string } | { type: 'LITERAL'; value: Buffer } {
  return quotable(name)
    ? { type: 'STRING', value: name.toString('latin1') }
    : { type: 'LITERAL', value: name };
}

/**
 * Runs one command with the given untagged handlers and returns the untagged responses of its
 * answer as read from the wire.
 */
async function execCapturing(
  client: ImapFlow,
  command: string,
  attributes: unknown[],
  untagged: Record<string, UntaggedHandler>,
): Promise<ResponseValue[][]> {
  const flow = internals(client);
  const source = flow._inflate ?? flow.socket;
  if (!source) throw new Error('The IMAP connection has no socket');
  const chunks: Buffer[] = [];
  const capture = (chunk: Buffer) => chunks.push(chunk);
  source.on('data', capture);
  try {
    const response = await flow.exec(command, attributes, { untagged });
    response.next();
  } finally {
    source.off('data', capture);
  }
  return untaggedResponses(Buffer.concat(chunks));
}

/**
 * `LIST "" "*"`, with `RETURN (STATUS (…))` on LIST-STATUS servers (RFC 5819), and otherwise a
 * STATUS for each selectable folder when `withStatus` asks for it.
 */
export async function listFolders(session: ImapSession, withStatus: boolean): Promise<ListedFolder[]> {
  const client = session.client;
  const caps = client.capabilities;
  const statusItems = [...STATUS_ITEMS, ...(client.enabled.has('CONDSTORE') ? ['HIGHESTMODSEQ'] : [])];
  const listStatus = withStatus && caps.has('LIST-STATUS');
  const returnOptions = [
    { type: 'ATOM', value: 'STATUS' },
    statusItems.map((value) => ({ type: 'ATOM', value })),
    // Dovecot 2.4 drops special-use attributes once RETURN options are given unless asked for.
    ...(caps.has('SPECIAL-USE') ? [{ type: 'ATOM', value: 'SPECIAL-USE' }] : []),
  ];
  const list = (c: ImapFlow, withReturn: boolean) =>
    execCapturing(
      c,
      'LIST',
      [
        { type: 'STRING', value: '' },
        { type: 'STRING', value: '*' },
        ...(withReturn ? [{ type: 'ATOM', value: 'RETURN' }, returnOptions] : []),
      ],
      { LIST: ignore, STATUS: ignore },
    );
  let statusListed = listStatus;
  const responses = await session.call('LIST', async (c) => {
    if (!listStatus) return list(c, false);
    try {
      return await list(c, true);
    } catch (error) {
      // A server that advertises LIST-STATUS but rejects the RETURN options: STATUS per folder.
      if ((error as { responseStatus?: unknown }).responseStatus !== 'BAD' || !c.usable) throw error;
      statusListed = false;
      return list(c, false);
    }
  });
  const statuses = responses.filter((r) => isNamed(r, 'STATUS'));
  const hasExtension = caps.has('SPECIAL-USE') || caps.has('XLIST');
  const folders = withSpecialUse(
    responses.filter((r) => isNamed(r, 'LIST')).flatMap(toListed),
    hasExtension,
    session.utf8Names,
  );
  if (!withStatus) return folders;
  const withStatuses: ListedFolder[] = [];
  for (const folder of folders) {
    const status = !selectable(folder)
      ? undefined
      : statusListed
        ? statuses.find((s) => bytesOf(s[1])?.equals(folder.name))
        : await statusCommand(session, folder.name, statusItems);
    withStatuses.push(status ? { ...folder, status: toStatus(status[2]) } : folder);
  }
  return withStatuses;
}

/** STATUS of one folder by its exact bytes; undefined when the server refuses it. */
async function statusCommand(
  session: ImapSession,
  name: Buffer,
  items: readonly string[],
): Promise<ResponseValue[] | undefined> {
  const args = [nameArgument(name), items.map((value) => ({ type: 'ATOM', value }))];
  try {
    const responses = await session.call('STATUS', (c) =>
      execCapturing(c, 'STATUS', args, { STATUS: ignore }),
    );
    return responses.find((r) => isNamed(r, 'STATUS') && bytesOf(r[1])?.equals(name));
  } catch (error) {
    // A folder without STATUS is opened to find out (decision 0021); a dead connection is not.
    if (!session.usable) throw error;
    return undefined;
  }
}

/**
 * SELECT (read-write) or EXAMINE (read-only) of the folder by its exact bytes, leaving imapflow
 * with the folder selected. Rejects with imapflow's error when the server refuses it.
 */
export async function openFolder(client: ImapFlow, name: Buffer, readOnly: boolean): Promise<OpenedFolder> {
  const flow = internals(client);
  const opened: {
    exists: number;
    uidValidity?: bigint;
    uidNext?: number;
    highestModseq?: bigint;
    noModseq?: true;
  } = { exists: 0 };
  const command = readOnly ? 'EXAMINE' : 'SELECT';
  try {
    const response = await flow.exec(command, [nameArgument(name)], {
      untagged: {
        OK: (untagged) => {
          const section = (untagged.attributes?.[0] as { section?: { value?: unknown }[] } | undefined)
            ?.section;
          const key = typeof section?.[0]?.value === 'string' ? section[0].value.toUpperCase() : undefined;
          const value = section?.[1]?.value;
          const digits = typeof value === 'string' && /^\d{1,20}$/.test(value) ? value : undefined;
          if (key === 'UIDVALIDITY' && digits) opened.uidValidity = BigInt(digits);
          if (key === 'UIDNEXT' && digits) opened.uidNext = Number(digits);
          if (key === 'HIGHESTMODSEQ' && digits) opened.highestModseq = BigInt(digits);
          if (key === 'NOMODSEQ') opened.noModseq = true;
          return Promise.resolve();
        },
        EXISTS: (untagged) => {
          if (/^\d{1,10}$/.test(untagged.command ?? '')) opened.exists = Number(untagged.command);
          return Promise.resolve();
        },
        FLAGS: ignore,
        RECENT: ignore,
        FETCH: ignore,
        VANISHED: ignore,
      },
    });
    response.next();
  } catch (error) {
    // The response code (NONEXISTENT, …) as imapflow's own SELECT reports it, for parse-imap-error.
    await enhanceCommandError(error as Parameters<typeof enhanceCommandError>[0]);
    // A failed SELECT deselects whatever was open (RFC 3501 §6.3.1).
    if (flow.state === flow.states.SELECTED) flow.state = flow.states.AUTHENTICATED;
    flow.mailbox = false;
    throw error;
  }
  if (opened.uidValidity === undefined) throw new Error(`${command} answered without UIDVALIDITY`);
  flow.mailbox = { path: name.toString('latin1'), readOnly, ...opened };
  flow.currentSelectCommand = false;
  flow.state = flow.states.SELECTED;
  return {
    exists: opened.exists,
    uidValidity: opened.uidValidity,
    uidNext: opened.uidNext,
    highestModseq: opened.highestModseq,
  };
}

function isNamed(response: ResponseValue[], name: string): boolean {
  return textOf(response[0])?.toUpperCase() === name && response[0]?.kind === 'atom';
}

/** `LIST (flags) delimiter name`. */
function toListed(response: ResponseValue[]): ListedFolder[] {
  const [, attributes, delimiterValue, nameValue] = response;
  const name = bytesOf(nameValue);
  if (attributes?.kind !== 'list' || !name) return [];
  const flags = new Set(attributes.items.flatMap((item) => (item.kind === 'atom' ? [item.text] : [])));
  const delimiter = delimiterValue?.kind === 'nil' ? null : (textOf(delimiterValue) ?? null);
  return [{ name, delimiter, flags }];
}

/** Each folder's special-use as imapflow's `list()` would give it (folders/special-use.ts). */
function withSpecialUse(folders: ListedFolder[], hasExtension: boolean, utf8: boolean): ListedFolder[] {
  const types = assignSpecialUse(
    folders.map((folder) => ({
      // Lossy decoding is good enough for a match against well-known names.
      path: utf8 ? folder.name.toString('utf8') : iconv.decode(folder.name, 'utf-7-imap'),
      delimiter: folder.delimiter ?? null,
      flags: folder.flags,
    })),
    hasExtension,
  );
  return folders.map((folder, i) => ({ ...folder, specialUse: types[i] }));
}

/** `(MESSAGES n UIDNEXT n …)` as FolderStatus. */
function toStatus(items: ResponseValue | undefined): FolderStatus {
  const status: { messages?: number; uidNext?: number; uidValidity?: bigint; highestModseq?: bigint } = {};
  if (items?.kind !== 'list') return status;
  for (let i = 0; i + 1 < items.items.length; i += 2) {
    const key = textOf(items.items[i])?.toUpperCase();
    const value = textOf(items.items[i + 1]);
    if (!value || !/^\d{1,20}$/.test(value)) continue;
    if (key === 'MESSAGES') status.messages = Number(value);
    else if (key === 'UIDNEXT') status.uidNext = Number(value);
    else if (key === 'UIDVALIDITY') status.uidValidity = BigInt(value);
    else if (key === 'HIGHESTMODSEQ') status.highestModseq = BigInt(value);
  }
  return status;
}

function selectable(folder: ListedFolder): boolean {
  return !folder.flags.has('\\Noselect') && !folder.flags.has('\\NonExistent');
}
