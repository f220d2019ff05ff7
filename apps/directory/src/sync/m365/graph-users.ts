import { setTimeout as delay } from 'node:timers/promises';

import { describe } from './entra-token.js';
import { type EntraUser, ENTRA_USER_SELECT } from './entra-user.js';
import { GraphFailure, graphFailure } from './graph-failure.js';
import type { M365Endpoints } from './m365-endpoints.js';

/** Graph's largest page for users and group members: fewest round trips. */
export const USERS_PAGE_SIZE = 999;
/** One Graph call that hangs this long is given up; a page of 999 users takes about a second. */
const GRAPH_TIMEOUT_MS = 60_000;
/** Throttled (429) or unavailable (503/504) answers retried per page before the sync gives up. */
const MAX_RETRIES = 5;
/** Waited when a 429/503/504 carries no Retry-After; Graph's own guidance starts at a few seconds. */
const DEFAULT_RETRY_SECONDS = 5;
/** A Retry-After beyond this is not waited for inside one request–reply (the api waits 5 minutes). */
const MAX_RETRY_SECONDS = 60;

/**
 * Every user of the directory, or every user among a group's transitive members (the
 * `microsoft.graph.user` cast leaves groups and devices out), page by page through
 * `@odata.nextLink`. `limitPages` stops early (a connection test reads one page).
 */
export async function listEntraUsers(
  endpoints: M365Endpoints,
  token: string,
  options: { groupId?: string; limitPages?: number } = {},
): Promise<EntraUser[]> {
  const base = `${endpoints.graphUrl.replace(/\/+$/, '')}/v1.0`;
  const path = options.groupId
    ? // GUIDs are case-insensitive to Graph; lower case is how Graph itself writes them.
      `/groups/${encodeURIComponent(options.groupId.toLowerCase())}/transitiveMembers/microsoft.graph.user`
    : '/users';
  const what = options.groupId ? `list the members of group ${options.groupId}` : 'list the users';
  let next: string | undefined = `${base}${path}?$select=${ENTRA_USER_SELECT}&$top=${USERS_PAGE_SIZE}`;
  const users: EntraUser[] = [];
  for (let pages = 0; next !== undefined && pages < (options.limitPages ?? Infinity); pages++) {
    const page = await getPage(next, token, what);
    users.push(...page.value.filter(isUser));
    next = page['@odata.nextLink'];
  }
  return users;
}

interface UsersPage {
  value: unknown[];
  '@odata.nextLink'?: string;
}

async function getPage(url: string, token: string, what: string): Promise<UsersPage> {
  const { status, body } = await graphGet(url, token, what);
  if (status >= 200 && status < 300 && isPage(body)) return body;
  if (status >= 200 && status < 300)
    throw new GraphFailure('protocol', `Graph answered an unexpected page to ${what}`, url);
  throw graphFailure(status, body, what);
}

/** Graph's answers for a user without an Exchange Online mailbox (unlicensed, on-premises, none). */
const NO_MAILBOX_CODES = new Set(['MailboxNotEnabledForRESTAPI', 'ResourceNotFound', 'ErrorInvalidUser']);

/**
 * Whether the user has a mailbox: Graph has no flag for it, so its Inbox is probed (SPEC D3:
 * users that have a mailbox). 403 `ErrorAccessDenied` means the mailbox exists but is outside the
 * app's scope (Application Access Policy), or the app may not read mail at all: the mailbox is
 * kept then, `mail` being the best signal left.
 */
export async function hasMailbox(endpoints: M365Endpoints, token: string, userId: string): Promise<boolean> {
  const base = `${endpoints.graphUrl.replace(/\/+$/, '')}/v1.0`;
  const url = `${base}/users/${encodeURIComponent(userId)}/mailFolders/inbox?$select=id`;
  const what = `look for the mailbox of user ${userId}`;
  const { status, body } = await graphGet(url, token, what);
  if ((status >= 200 && status < 300) || status === 403) return true;
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (status === 404 && typeof code === 'string' && NO_MAILBOX_CODES.has(code)) return false;
  throw graphFailure(status, body, what);
}

/** One GET, repeated after the wait Graph asks for when it throttles (429) or is busy (503, 504). */
async function graphGet(
  url: string,
  token: string,
  what: string,
): Promise<{ status: number; body: unknown }> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(GRAPH_TIMEOUT_MS),
      });
    } catch (error) {
      throw new GraphFailure('network', `Graph could not be reached to ${what}`, describe(error));
    }
    const body: unknown = await response.json().catch(() => undefined);
    const retryable = response.status === 429 || response.status === 503 || response.status === 504;
    const wait = retryAfterSeconds(response.headers.get('retry-after'));
    if (!retryable || attempt >= MAX_RETRIES || wait > MAX_RETRY_SECONDS)
      return { status: response.status, body };
    await delay(wait * 1000);
  }
}

/** `Retry-After` in seconds or as an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_SECONDS;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? DEFAULT_RETRY_SECONDS : Math.max(0, Math.ceil((at - now) / 1000));
}

function isPage(body: unknown): body is UsersPage {
  return typeof body === 'object' && body !== null && Array.isArray((body as UsersPage).value);
}

function isUser(item: unknown): item is EntraUser {
  if (typeof item !== 'object' || item === null) return false;
  const type = (item as { '@odata.type'?: unknown })['@odata.type'];
  return (
    typeof (item as { id?: unknown }).id === 'string' &&
    (type === undefined || type === '#microsoft.graph.user')
  );
}
