import {
  GOOGLE_SCOPES,
  parseServiceAccountKey,
  requestDelegatedToken,
  type ServiceAccountKey,
} from '@mailkeep/google-workspace';
import {
  type FakeGoogleDomain,
  type FakeGoogleUser,
  type RunningGoogleFake,
  startGoogleFake,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The Admin SDK Directory routes of the Google fake (libs/testing) as a client sees them over
 * HTTPS: paging, parameters and the error bodies Google documents, beyond what the directory
 * service asks for, so the sync's tests stand on a fake that behaves like admin.googleapis.com.
 * (Here rather than in libs/testing: its client, @mailkeep/google-workspace, tests against the fake.)
 */
let fake: RunningGoogleFake;
let contoso: FakeGoogleDomain;
let admin: FakeGoogleUser;
let key: ServiceAccountKey;

const BOTH = [GOOGLE_SCOPES.directoryUserReadonly, GOOGLE_SCOPES.directoryGroupMemberReadonly];

beforeAll(async () => {
  fake = await startGoogleFake();
  contoso = fake.addDomain('contoso.example');
  admin = contoso.addUser('admin', { isAdmin: true });
  for (const name of ['dora', 'carl', 'bea', 'abe']) contoso.addUser(name);
  contoso.addUser('nomail', { gmail: false });
  fake.addDomain('fabrikam.example').addUser('eve', { isAdmin: true });
  key = parseServiceAccountKey(fake.addServiceAccount(contoso, { delegatedScopes: BOTH }).key.json);
});

afterAll(async () => {
  await fake.stop();
});

async function get(
  path: string,
  options: { subject?: string; scopes?: string[] } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = await requestDelegatedToken(
    { tokenUrl: fake.tokenUrl },
    { key, subject: options.subject ?? admin.primaryEmail, scopes: options.scopes ?? BOTH },
  );
  const response = await fetch(`${fake.origin}/admin/directory/v1${path}`, {
    headers: { Authorization: `Bearer ${token.token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const emails = (body: Record<string, unknown>): string[] =>
  ((body['users'] ?? []) as { primaryEmail: string }[]).map((u) => u.primaryEmail);

describe('users.list', () => {
  it('pages a snapshot in email order with opaque page tokens', async () => {
    const first = await get('/users?customer=my_customer&maxResults=4&orderBy=email');
    expect(first.status).toBe(200);
    expect(first.body['kind']).toBe('admin#directory#users');
    expect(emails(first.body)).toEqual([
      'abe@contoso.example',
      'admin@contoso.example',
      'bea@contoso.example',
      'carl@contoso.example',
    ]);
    contoso.addUser('aaron');
    const token = encodeURIComponent(first.body['nextPageToken'] as string);
    const second = await get(`/users?customer=my_customer&maxResults=4&orderBy=email&pageToken=${token}`);
    expect(emails(second.body)).toEqual(['dora@contoso.example', 'nomail@contoso.example']);
    expect(second.body).not.toHaveProperty('nextPageToken');
    const user = (second.body['users'] as Record<string, unknown>[])[1];
    expect(user).toMatchObject({
      kind: 'admin#directory#user',
      isMailboxSetup: false,
      suspended: false,
      archived: false,
      customerId: contoso.customerId,
    });
    expect(user?.['id']).toMatch(/^\d{21}$/);
  });

  it('answers the documented errors for missing, foreign and malformed parameters', async () => {
    expect(await get('/users')).toEqual({
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'Bad Request',
          errors: [{ message: 'Bad Request', domain: 'global', reason: 'badRequest' }],
          status: 'INVALID_ARGUMENT',
        },
      },
    });
    expect((await get('/users?domain=fabrikam.example')).body).toMatchObject({
      error: { code: 403, message: 'Not Authorized to access this resource/api' },
    });
    expect((await get('/users?domain=unknown.example')).status).toBe(404);
    expect((await get('/users?customer=my_customer&maxResults=501')).body).toMatchObject({
      error: {
        code: 400,
        message: "Invalid value '501'. Values must be within the range: [1, 500]",
        errors: [{ reason: 'invalid', location: 'maxResults', locationType: 'parameter' }],
      },
    });
    expect((await get('/users?customer=my_customer', { subject: 'dora@contoso.example' })).status).toBe(403);
    expect(
      (await get('/users?customer=my_customer', { scopes: [GOOGLE_SCOPES.directoryGroupMemberReadonly] }))
        .body,
    ).toMatchObject({ error: { code: 403, errors: [{ reason: 'insufficientPermissions' }] } });
  });
});

describe('members.list', () => {
  it('lists direct or derived members, each once, by email, alias or id, filtered by role', async () => {
    const [dora, carl] = [
      contoso.user('dora@contoso.example'),
      contoso.user('carl@contoso.example'),
    ] as FakeGoogleUser[];
    const inner = contoso.addGroup('inner', [carl as FakeGoogleUser]);
    const outer = contoso.addGroup('outer', [dora as FakeGoogleUser, inner, 'customer']);
    outer.aliases.push('everyone@contoso.example');
    inner.members.push({ kind: 'group', of: outer, role: 'OWNER' });

    const direct = await get('/groups/everyone%40contoso.example/members');
    expect((direct.body['members'] as { type: string }[]).map((m) => m.type)).toEqual([
      'USER',
      'GROUP',
      'CUSTOMER',
    ]);
    const derived = await get(`/groups/${outer.id}/members?includeDerivedMembership=true&maxResults=2`);
    const rest = await get(
      `/groups/${outer.id}/members?maxResults=2&pageToken=${encodeURIComponent(derived.body['nextPageToken'] as string)}`,
    );
    const all = [
      ...(derived.body['members'] as { email?: string }[]),
      ...(rest.body['members'] as { email?: string }[]),
    ];
    expect(all.map((m) => m.email)).toEqual([
      'dora@contoso.example',
      'inner@contoso.example',
      'carl@contoso.example',
      undefined,
    ]);
    const owners = await get(`/groups/inner@contoso.example/members?roles=OWNER`);
    expect((owners.body['members'] as { email: string }[]).map((m) => m.email)).toEqual([
      'outer@contoso.example',
    ]);
    expect(await get('/groups/nobody@contoso.example/members')).toMatchObject({
      status: 404,
      body: { error: { message: 'Resource Not Found: groupKey', errors: [{ reason: 'notFound' }] } },
    });
  });
});
