import { setTimeout as delay } from 'node:timers/promises';

import { type GoogleQuery, parseGoogleError } from '@mailkeep/google-workspace';

import type { WorkspaceUser } from './workspace-user.js';

/** users.list's largest page (the reference: 1–500): fewest round trips. */
export const USERS_PAGE_SIZE = 500;
/** members.list's largest page (1–200). */
export const MEMBERS_PAGE_SIZE = 200;
/**
 * Quota errors (403/429) and server errors retried per call before the sync gives up. With the
 * back-off below the waits add up to 31–62 s, well inside the api's 5-minute wait for a sync.
 */
const MAX_RETRIES = 5;
/** The first back-off; it doubles per attempt, plus up to as much again of jitter (Google's guidance). */
const FIRST_BACKOFF_MS = 1_000;
/** A Retry-After beyond this is not waited for inside one request–reply. */
const MAX_RETRY_MS = 60_000;

/** One authorised GET of the Directory API (path below `/admin/directory/v1`), answering the JSON. */
export type DirectoryGet = <T>(path: string, query: GoogleQuery) => Promise<T>;

/** Where users.list reads: the whole customer (`my_customer` or its id) or one of its domains. */
export type UsersScope = { readonly customer: string } | { readonly domain: string };

/** One page of a Directory API list: the items under `field`, and the next page's token. */
type Page<F extends string> = { readonly [K in F]?: unknown } & { readonly nextPageToken?: string };

/** A group member as members.list answers it (`type` USER, GROUP, CUSTOMER or EXTERNAL). */
export interface GroupMember {
  readonly id?: string;
  readonly email?: string;
  readonly type?: string;
}

/** Every user of the customer or domain, page by page; `limitPages` stops early (a connection test). */
export function listWorkspaceUsers(
  get: DirectoryGet,
  scope: UsersScope,
  options: { limitPages?: number } = {},
): Promise<WorkspaceUser[]> {
  return readPages(
    (pageToken) =>
      get<Page<'users'>>('/users', {
        ...scope,
        maxResults: USERS_PAGE_SIZE,
        // A stable order keeps the dry run's list of changes in the same order as the commit's.
        orderBy: 'email',
        pageToken,
      }),
    'users',
    isWorkspaceUser,
    options.limitPages,
  );
}

/**
 * The members of a group, those of its nested groups included (`includeDerivedMembership`: Google
 * flattens the nesting, so no recursion here and no loop on groups that contain each other).
 */
export function listGroupMembers(
  get: DirectoryGet,
  groupKey: string,
  options: { limitPages?: number } = {},
): Promise<GroupMember[]> {
  return readPages(
    (pageToken) =>
      get<Page<'members'>>(`/groups/${encodeURIComponent(groupKey)}/members`, {
        includeDerivedMembership: true,
        maxResults: MEMBERS_PAGE_SIZE,
        pageToken,
      }),
    'members',
    isObject,
    options.limitPages,
  );
}

/** Follows `nextPageToken` (each page with back-off), keeping the items of `field` that are `T`. */
async function readPages<F extends string, T>(
  page: (pageToken: string | undefined) => Promise<Page<F>>,
  field: F,
  isItem: (item: unknown) => item is T,
  limitPages = Infinity,
): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  for (let pages = 1; ; pages++) {
    const current = await withBackoff(() => page(pageToken));
    const listed: unknown = current[field];
    items.push(...(Array.isArray(listed) ? listed : []).filter(isItem));
    pageToken = current.nextPageToken;
    if (!pageToken || pages >= limitPages) return items;
  }
}

/**
 * Which users a group's members let through: the USER members by id, or everyone when the
 * organisation itself (a CUSTOMER member, "all users in the organisation") is a member. Members
 * outside the account have ids no listed user has, so they fall away by themselves.
 */
export function memberFilter(members: readonly GroupMember[]): (userId: string) => boolean {
  if (members.some((m) => m.type === 'CUSTOMER')) return () => true;
  const ids = new Set(members.filter((m) => m.type === 'USER' && m.id).map((m) => m.id));
  return (userId) => ids.has(userId);
}

/**
 * One call, repeated with exponential back-off and jitter while Google answers a quota error
 * (403/429 `rateLimitExceeded`, `userRateLimitExceeded`, `quotaExceeded`) or a server error:
 * Google rarely sends Retry-After, and its client libraries do not retry 403s at all.
 */
export async function withBackoff<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const parsed = parseGoogleError(error);
      const retryable =
        parsed.code === 'THROTTLED' || (parsed.code === 'UNAVAILABLE' && (parsed.status ?? 0) >= 500);
      const backoff = FIRST_BACKOFF_MS * 2 ** attempt;
      const wait = parsed.retryAfterMs ?? backoff + Math.random() * backoff;
      if (!retryable || attempt >= MAX_RETRIES || wait > MAX_RETRY_MS) throw error;
      await delay(wait);
    }
  }
}

function isObject(item: unknown): item is Record<string, unknown> {
  return typeof item === 'object' && item !== null;
}

function isWorkspaceUser(item: unknown): item is WorkspaceUser {
  return (
    isObject(item) &&
    typeof (item as { id?: unknown }).id === 'string' &&
    typeof (item as { primaryEmail?: unknown }).primaryEmail === 'string'
  );
}
