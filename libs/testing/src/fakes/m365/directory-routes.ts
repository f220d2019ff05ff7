import { type GraphError, graphErrors } from './errors.js';
import { applySelect, type PagedList, pageSizeFrom } from './paging.js';
import type { FakeGroup, FakeTenant, FakeUser } from './state.js';

/** `/users`, `/users/{id}`, `/groups`, `/groups/{id}/members|transitiveMembers` (Entra ID via Graph). */

/** Graph's documented defaults for directory lists: 100 per page, `$top` up to 999. */
const DIRECTORY_PAGE_SIZE = 100;
const DIRECTORY_MAX_PAGE_SIZE = 999;

export function userJson(user: FakeUser): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.user',
    id: user.id,
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.displayName.split(' ')[0] ?? null,
    surname: user.displayName.split(' ').slice(1).join(' ') || null,
    jobTitle: null,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    userType: user.userType,
    proxyAddresses: user.proxyAddresses,
  };
}

function groupJson(group: FakeGroup): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.group',
    id: group.id,
    displayName: group.displayName,
    mail: group.mail,
    mailEnabled: group.mail !== null,
    securityEnabled: true,
    groupTypes: [],
  };
}

type Predicate = (item: Record<string, unknown>) => boolean;

/**
 * The simple `$filter` forms Graph accepts on users and groups without advanced query headers:
 * `prop eq 'x'`, `prop eq true|false`, `startswith(prop,'x')`, joined by `and`.
 */
export function parseFilter(filter: string | null): Predicate | GraphError {
  if (filter === null || filter.trim() === '') return () => true;
  const clauses = filter.split(/\s+and\s+/i).map((clause): Predicate | undefined => {
    const eq = /^\s*(\w+)\s+eq\s+(?:'((?:[^']|'')*)'|(true|false|null))\s*$/i.exec(clause);
    if (eq) {
      const [, prop = '', text, literal] = eq;
      const expected =
        text !== undefined ? text.replace(/''/g, "'") : literal === 'null' ? null : literal === 'true';
      return (item) => {
        const actual = item[prop];
        return typeof actual === 'string' && typeof expected === 'string'
          ? actual.toLowerCase() === expected.toLowerCase()
          : actual === expected;
      };
    }
    const starts = /^\s*startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)\s*$/i.exec(clause);
    if (starts) {
      const [, prop = '', prefix = ''] = starts;
      return (item) => {
        const actual = item[prop];
        return (
          typeof actual === 'string' &&
          actual.toLowerCase().startsWith(prefix.replace(/''/g, "'").toLowerCase())
        );
      };
    }
    return undefined;
  });
  if (clauses.some((c) => c === undefined)) return graphErrors.unsupportedQuery('Unsupported Query.');
  return (item) => clauses.every((c) => c?.(item) === true);
}

export function listUsers(
  tenant: FakeTenant,
  query: URLSearchParams,
  context: string,
): PagedList | GraphError {
  const predicate = parseFilter(query.get('$filter'));
  if (typeof predicate !== 'function') return predicate;
  const pageSize = pageSizeFrom(query.get('$top'), DIRECTORY_PAGE_SIZE, DIRECTORY_MAX_PAGE_SIZE);
  if (pageSize === undefined) return graphErrors.badRequest("Invalid value for '$top'.");
  const items = tenant.users
    .map(userJson)
    .filter(predicate)
    .map((u) => applySelect(u, query.get('$select')));
  return { items, pageSize, context };
}

export function listGroups(
  tenant: FakeTenant,
  query: URLSearchParams,
  context: string,
): PagedList | GraphError {
  const predicate = parseFilter(query.get('$filter'));
  if (typeof predicate !== 'function') return predicate;
  const pageSize = pageSizeFrom(query.get('$top'), DIRECTORY_PAGE_SIZE, DIRECTORY_MAX_PAGE_SIZE);
  if (pageSize === undefined) return graphErrors.badRequest("Invalid value for '$top'.");
  const items = tenant.groups
    .map(groupJson)
    .filter(predicate)
    .map((g) => applySelect(g, query.get('$select')));
  return { items, pageSize, context };
}

const isGroup = (member: FakeUser | FakeGroup): member is FakeGroup => 'members' in member;

/** Direct or transitive members; `usersOnly` for the `/microsoft.graph.user` cast segment. */
export function listMembers(
  group: FakeGroup,
  transitive: boolean,
  usersOnly: boolean,
  query: URLSearchParams,
  context: string,
): PagedList | GraphError {
  const pageSize = pageSizeFrom(query.get('$top'), DIRECTORY_PAGE_SIZE, DIRECTORY_MAX_PAGE_SIZE);
  if (pageSize === undefined) return graphErrors.badRequest("Invalid value for '$top'.");
  const seen = new Set<string>();
  const members: (FakeUser | FakeGroup)[] = [];
  const visit = (current: FakeGroup): void => {
    for (const member of current.members) {
      if (seen.has(member.id)) continue;
      seen.add(member.id);
      members.push(member);
      if (transitive && isGroup(member)) visit(member);
    }
  };
  visit(group);
  const items = members
    .filter((m) => !usersOnly || !isGroup(m))
    .map((m) => (isGroup(m) ? groupJson(m) : userJson(m)))
    .map((m) => applySelect(m, query.get('$select')));
  return { items, pageSize, context };
}
