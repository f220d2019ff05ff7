import { setTimeout as delay } from 'node:timers/promises';

import { type createGraphClient, parseGraphError } from '@mailkeep/microsoft-graph';

import { type EntraUser, ENTRA_USER_SELECT } from './entra-user.js';

type GraphClient = ReturnType<typeof createGraphClient>;

/** Graph's largest page for users and group members: fewest round trips. */
export const USERS_PAGE_SIZE = 999;
/** Throttled (429) or busy (503/504) answers retried per call before the sync gives up. */
const MAX_RETRIES = 5;
/** Waited when a throttled answer names no Retry-After; Graph's guidance starts at a few seconds. */
const DEFAULT_RETRY_MS = 5_000;
/** A Retry-After beyond this is not waited for inside one request–reply (the api waits 5 minutes). */
const MAX_RETRY_MS = 60_000;

/**
 * Every user of the directory, or every user among a group's transitive members (the
 * `microsoft.graph.user` cast leaves groups and devices out), page by page through
 * `@odata.nextLink`. `limitPages` stops early (a connection test reads one page).
 */
export async function listEntraUsers(
  client: GraphClient,
  options: { groupId?: string; limitPages?: number } = {},
): Promise<EntraUser[]> {
  const path = options.groupId
    ? // GUIDs are case-insensitive to Graph; lower case is how Graph itself writes them.
      `/groups/${encodeURIComponent(options.groupId.toLowerCase())}/transitiveMembers/microsoft.graph.user`
    : '/users';
  let page = await withRetry<UsersPage>(() =>
    client.api(path).select(ENTRA_USER_SELECT).top(USERS_PAGE_SIZE).get(),
  );
  const users: EntraUser[] = [];
  for (let pages = 1; ; pages++) {
    users.push(...(Array.isArray(page.value) ? page.value : []).filter(isUser));
    const next = page['@odata.nextLink'];
    if (next === undefined || pages >= (options.limitPages ?? Infinity)) return users;
    page = await withRetry<UsersPage>(() => client.api(next).get());
  }
}

/** Graph's answers for a user without an Exchange Online mailbox (unlicensed, on-premises, none). */
const NO_MAILBOX_CODES = new Set(['MailboxNotEnabledForRESTAPI', 'ResourceNotFound', 'ErrorInvalidUser']);

/**
 * Whether the user has a mailbox: Graph has no flag for it, so its Inbox is probed (SPEC D3:
 * users that have a mailbox). 403 means the mailbox exists but is outside the app's scope
 * (Application Access Policy), or the app may not read mail at all: the user is kept then,
 * `mail` being the best signal left.
 */
export async function hasMailbox(client: GraphClient, userId: string): Promise<boolean> {
  try {
    await withRetry(() =>
      client
        .api(`/users/${encodeURIComponent(userId)}/mailFolders/inbox`)
        .select('id')
        .get(),
    );
    return true;
  } catch (error) {
    const parsed = parseGraphError(error);
    if (parsed.status === 403) return true;
    if (parsed.status === 404 && NO_MAILBOX_CODES.has(parsed.microsoftCode ?? '')) return false;
    throw error;
  }
}

interface UsersPage {
  value?: unknown[];
  '@odata.nextLink'?: string;
}

/** One call, repeated after the wait Graph asks for when it throttles (429) or is busy (503, 504). */
async function withRetry<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const parsed = parseGraphError(error);
      const wait = parsed.retryAfterMs ?? DEFAULT_RETRY_MS;
      if (parsed.code !== 'THROTTLED' || attempt >= MAX_RETRIES || wait > MAX_RETRY_MS) throw error;
      await delay(wait);
    }
  }
}

function isUser(item: unknown): item is EntraUser {
  if (typeof item !== 'object' || item === null) return false;
  const type = (item as { '@odata.type'?: unknown })['@odata.type'];
  return (
    typeof (item as { id?: unknown }).id === 'string' &&
    (type === undefined || type === '#microsoft.graph.user')
  );
}
