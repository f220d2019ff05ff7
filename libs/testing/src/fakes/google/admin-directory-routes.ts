import { createHash, randomBytes } from 'node:crypto';

import { apiError, type GoogleFakeError } from './errors.js';
import { type GoogleRoute, type GoogleRouteContext, GoogleFakeFailure } from './routes.js';
import type { FakeGoogleDomain, FakeGoogleGroup, FakeGoogleUser, FakeGroupMember } from './state.js';

/**
 * Admin SDK Directory API routes (developers.google.com/admin-sdk/directory/reference/rest), the
 * two the directory service uses, as admin.googleapis.com answers them: `users.list` (customer or
 * domain, maxResults ≤ 500, orderBy, opaque page tokens) and `members.list` (maxResults ≤ 200,
 * includeDerivedMembership, roles), with Google's error bodies. The registry has checked the
 * token's scopes; these check that it acts as an admin of the account asked about. The Directory
 * API's quota is per project, not in units per user: the routes are not metered (units 0), and
 * injected quota errors still apply.
 */

const SCOPE = 'https://www.googleapis.com/auth/';
/** Scopes that let a token list users (the read-only one is what Mailkeep asks for). */
const USER_SCOPES = [`${SCOPE}admin.directory.user.readonly`, `${SCOPE}admin.directory.user`];
/** Scopes that let a token list a group's members. */
const MEMBER_SCOPES = [
  `${SCOPE}admin.directory.group.member.readonly`,
  `${SCOPE}admin.directory.group.member`,
  `${SCOPE}admin.directory.group.readonly`,
  `${SCOPE}admin.directory.group`,
];

/** users.list: 100 per page unless asked, at most 500 (the users.list reference). */
const USERS_PAGE = { default: 100, max: 500 };
/** members.list: 200 per page by default and at most (the members.list reference). */
const MEMBERS_PAGE = { default: 200, max: 200 };

export const adminDirectoryErrors = {
  /** A subject that is no admin, a customer or domain of another account, a service account acting as itself. */
  notAuthorized: (): GoogleFakeError =>
    apiError(403, 'Not Authorized to access this resource/api', 'forbidden', 'PERMISSION_DENIED'),
  /** users.list without `customer` or `domain`. */
  badRequest: (): GoogleFakeError => apiError(400, 'Bad Request', 'badRequest', 'INVALID_ARGUMENT'),
  domainNotFound: (): GoogleFakeError => apiError(404, 'Domain not found.', 'notFound', 'NOT_FOUND'),
  groupNotFound: (): GoogleFakeError =>
    apiError(404, 'Resource Not Found: groupKey', 'notFound', 'NOT_FOUND'),
  invalidInput: (): GoogleFakeError => apiError(400, 'Invalid Input', 'invalid', 'INVALID_ARGUMENT'),
  outOfRange: (name: string, value: string, max: number): GoogleFakeError =>
    apiError(
      400,
      `Invalid value '${value}'. Values must be within the range: [1, ${max}]`,
      'invalid',
      'INVALID_ARGUMENT',
      'global',
      { location: name, locationType: 'parameter' },
    ),
};

/**
 * The snapshot each page token stands for: the list as it was when its first page was served, so
 * paging through it neither skips nor repeats entries that change meanwhile (Google's tokens are
 * opaque and live 3 days; the fake keeps them for its lifetime).
 */
class AdminPageTokens {
  private readonly pages = new Map<string, { items: readonly unknown[]; offset: number }>();

  /** One page of `items` from `offset`, with the token of the next page when there is one. */
  page(items: readonly unknown[], offset: number, size: number): { items: unknown[]; next?: string } {
    const slice = items.slice(offset, offset + size);
    if (offset + size >= items.length) return { items: slice };
    const next = randomBytes(24).toString('base64url');
    this.pages.set(next, { items, offset: offset + size });
    return { items: slice, next };
  }

  take(token: string): { items: readonly unknown[]; offset: number } | undefined {
    return this.pages.get(token);
  }
}

export function adminDirectoryRoutes(): readonly GoogleRoute[] {
  const pages = new AdminPageTokens();
  return [
    {
      name: 'users.list',
      method: 'GET',
      path: '/admin/directory/v1/users',
      scopes: USER_SCOPES,
      units: 0,
      handle: (context) => listUsers(context, pages),
    },
    {
      name: 'members.list',
      method: 'GET',
      path: '/admin/directory/v1/groups/:groupKey/members',
      scopes: MEMBER_SCOPES,
      units: 0,
      handle: (context) => listMembers(context, pages),
    },
  ];
}

/**
 * Who may read the directory: a token acting as an admin (a service account acting as itself, or
 * as a user who is no admin, is refused as Google refuses it), and the admin's own account.
 */
function requireAdmin(context: GoogleRouteContext): FakeGoogleDomain {
  const admin = context.token.user;
  if (!admin?.isAdmin || admin.suspended) throw new GoogleFakeFailure(adminDirectoryErrors.notAuthorized());
  return context.token.serviceAccount.domain;
}

const fail = (error: GoogleFakeError): never => {
  throw new GoogleFakeFailure(error);
};

function listUsers(context: GoogleRouteContext, pages: AdminPageTokens): void {
  const home = requireAdmin(context);
  const query = context.url.searchParams;
  const size = pageSize(query, USERS_PAGE);
  if (query.has('query') || !['basic', 'full', null].includes(query.get('projection')))
    fail(adminDirectoryErrors.invalidInput());

  const token = query.get('pageToken');
  if (token !== null) {
    const snapshot = pages.take(token) ?? fail(adminDirectoryErrors.invalidInput());
    context.sendJson(200, usersPage(pages.page(snapshot.items, snapshot.offset, size)));
    return;
  }
  const domain = listedDomain(query, home, context.state.domains);
  const users = [...domain.users];
  const orderBy = query.get('orderBy');
  if (orderBy !== null) {
    const field =
      ORDER_FIELDS[orderBy as keyof typeof ORDER_FIELDS] ?? fail(adminDirectoryErrors.invalidInput());
    users.sort((a, b) => a[field].localeCompare(b[field]));
    if (query.get('sortOrder') === 'DESCENDING') users.reverse();
  }
  context.sendJson(
    200,
    usersPage(
      pages.page(
        users.map((user) => userJson(domain, user)),
        0,
        size,
      ),
    ),
  );
}

const ORDER_FIELDS = { email: 'primaryEmail', givenName: 'givenName', familyName: 'familyName' } as const;

/**
 * The domain users.list reads: `domain` when given (it narrows to one domain), else `customer`
 * (`my_customer` is the admin's own); one of the two is required. An account other than the
 * admin's is refused as not authorised, a domain no account has as not found.
 */
function listedDomain(
  query: URLSearchParams,
  home: FakeGoogleDomain,
  domains: readonly FakeGoogleDomain[],
): FakeGoogleDomain {
  const customer = query.get('customer');
  const domainName = query.get('domain');
  let domain: FakeGoogleDomain | undefined;
  if (domainName !== null) {
    domain =
      domains.find((d) => d.name.toLowerCase() === domainName.toLowerCase()) ??
      fail(adminDirectoryErrors.domainNotFound());
  } else if (customer !== null) {
    domain = customer === 'my_customer' ? home : domains.find((d) => d.customerId === customer);
  } else {
    fail(adminDirectoryErrors.badRequest());
  }
  if (domain !== home) fail(adminDirectoryErrors.notAuthorized());
  return home;
}

function usersPage(page: { items: unknown[]; next?: string }): Record<string, unknown> {
  return {
    kind: 'admin#directory#users',
    etag: etagOf(page.items),
    // Google leaves `users` out of an empty page.
    ...(page.items.length > 0 && { users: page.items }),
    ...(page.next !== undefined && { nextPageToken: page.next }),
  };
}

/** A `User` resource as users.list returns it with projection basic. */
function userJson(domain: FakeGoogleDomain, user: FakeGoogleUser): Record<string, unknown> {
  const local = user.primaryEmail.slice(0, user.primaryEmail.lastIndexOf('@'));
  const nonEditableAliases = domain.aliasDomains.map((alias) => `${local}@${alias}`);
  return {
    kind: 'admin#directory#user',
    id: user.id,
    etag: etagOf(userFacts(user)),
    primaryEmail: user.primaryEmail,
    name: {
      givenName: user.givenName,
      familyName: user.familyName,
      fullName: `${user.givenName} ${user.familyName}`.trim(),
    },
    isAdmin: user.isAdmin,
    isDelegatedAdmin: false,
    lastLoginTime: '1970-01-01T00:00:00.000Z',
    creationTime: '2024-03-11T09:14:27.000Z',
    agreedToTerms: true,
    suspended: user.suspended,
    ...(user.suspended && { suspensionReason: 'ADMIN' }),
    archived: user.archived,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    emails: [
      { address: user.primaryEmail, primary: true },
      ...user.aliases.map((address) => ({ address })),
      ...nonEditableAliases.map((address) => ({ address })),
    ],
    ...(user.aliases.length > 0 && { aliases: [...user.aliases] }),
    ...(nonEditableAliases.length > 0 && { nonEditableAliases }),
    customerId: domain.customerId,
    orgUnitPath: user.orgUnitPath,
    isMailboxSetup: user.mailbox !== undefined,
    isEnrolledIn2Sv: false,
    isEnforcedIn2Sv: false,
    includeInGlobalAddressList: true,
  };
}

function listMembers(context: GoogleRouteContext, pages: AdminPageTokens): void {
  const home = requireAdmin(context);
  const query = context.url.searchParams;
  const size = pageSize(query, MEMBERS_PAGE);
  const token = query.get('pageToken');
  if (token !== null) {
    const snapshot = pages.take(token) ?? fail(adminDirectoryErrors.invalidInput());
    context.sendJson(200, membersPage(pages.page(snapshot.items, snapshot.offset, size)));
    return;
  }
  const groupKey = context.params['groupKey'] ?? '';
  const owner =
    context.state.domains.find((d) => d.group(groupKey) !== undefined) ??
    fail(adminDirectoryErrors.groupNotFound());
  const group = owner.group(groupKey) ?? fail(adminDirectoryErrors.groupNotFound());
  if (owner !== home) fail(adminDirectoryErrors.notAuthorized());

  const derived = query.get('includeDerivedMembership') === 'true';
  const roles = query
    .get('roles')
    ?.split(',')
    .map((role) => role.trim().toUpperCase());
  const members = membersOf(group, derived).filter((m) => !roles || roles.includes(m.role));
  context.sendJson(
    200,
    membersPage(
      pages.page(
        members.map((m) => memberJson(owner, m)),
        0,
        size,
      ),
    ),
  );
}

/**
 * Direct members, or with derived membership every member reached through nested groups too (the
 * nested groups themselves included), each once.
 */
function membersOf(group: FakeGoogleGroup, derived: boolean): FakeGroupMember[] {
  // The group itself is never its own member, even when a nested group contains it again.
  const seen = new Set<string>([group.id]);
  const found: FakeGroupMember[] = [];
  const visit = (current: FakeGoogleGroup): void => {
    for (const member of current.members) {
      const id =
        member.kind === 'customer' ? 'customer' : member.kind === 'external' ? member.email : member.of.id;
      if (seen.has(id)) continue;
      seen.add(id);
      found.push(member);
      if (derived && member.kind === 'group') visit(member.of);
    }
  };
  visit(group);
  return found;
}

function memberJson(domain: FakeGoogleDomain, member: FakeGroupMember): Record<string, unknown> {
  const base = { kind: 'admin#directory#member', role: member.role };
  switch (member.kind) {
    case 'user':
      return {
        ...base,
        etag: etagOf(userFacts(member.of)),
        id: member.of.id,
        email: member.of.primaryEmail,
        type: 'USER',
        status: member.of.suspended ? 'SUSPENDED' : 'ACTIVE',
        delivery_settings: 'ALL_MAIL',
      };
    case 'group':
      return {
        ...base,
        etag: etagOf([member.of.id, member.of.email]),
        id: member.of.id,
        email: member.of.email,
        type: 'GROUP',
        status: 'ACTIVE',
      };
    case 'customer':
      // "All users in the organisation" as a member: the customer itself, without an email.
      return {
        ...base,
        etag: etagOf(domain.customerId),
        id: domain.customerId,
        type: 'CUSTOMER',
        status: 'ACTIVE',
      };
    case 'external':
      return {
        ...base,
        etag: etagOf(member.email),
        id: member.id,
        email: member.email,
        type: 'USER',
        status: 'ACTIVE',
        delivery_settings: 'ALL_MAIL',
      };
  }
}

function membersPage(page: { items: unknown[]; next?: string }): Record<string, unknown> {
  return {
    kind: 'admin#directory#members',
    etag: etagOf(page.items),
    ...(page.items.length > 0 && { members: page.items }),
    ...(page.next !== undefined && { nextPageToken: page.next }),
  };
}

function pageSize(query: URLSearchParams, limits: { default: number; max: number }): number {
  const text = query.get('maxResults');
  if (text === null) return limits.default;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > limits.max)
    fail(adminDirectoryErrors.outOfRange('maxResults', text, limits.max));
  return value;
}

/** What a user's etag changes with (never the mailbox: its messages are no directory data). */
function userFacts(user: FakeGoogleUser): unknown[] {
  return [
    user.id,
    user.primaryEmail,
    user.givenName,
    user.familyName,
    user.aliases,
    user.suspended,
    user.archived,
  ];
}

/** Google's etags are quoted opaque strings; a digest of the content is stable as theirs are. */
function etagOf(value: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27);
  return `"${digest}"`;
}
