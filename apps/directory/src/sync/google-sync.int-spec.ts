import { randomUUID } from 'node:crypto';

import {
  DIRECTORY_REFERENCES_FIND_V1,
  DIRECTORY_SERVICE_CREATE_V1,
  DIRECTORY_SERVICE_GET_V1,
  DIRECTORY_SERVICE_SYNC_V1,
  DIRECTORY_SERVICE_TEST_CONNECTION_V1,
  DIRECTORY_SERVICE_UPDATE_V1,
  MAILBOX_CREATE_V1,
  MAILBOX_LIST_V1,
  type ResolvedSecret,
} from '@mailkeep/contracts';
import { GOOGLE_SCOPES } from '@mailkeep/google-workspace';
import type { MessageBus } from '@mailkeep/messaging';
import {
  contractFailure,
  type FakeGoogleDomain,
  type FakeGoogleUser,
  type RunningGoogleFake,
  startGoogleFake,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type DirectoryUnderTest, startDirectoryUnderTest } from '../test-support/directory-under-test.js';

/**
 * The google-workspace directory service as it runs (its schema, its handlers on a NATS server of
 * its own) against the HTTPS Google fake: the token endpoint checks each RS256 assertion, its
 * subject and the delegated scopes; the Admin SDK routes check the subject is an admin. The
 * secrets service is stood in for by responders answering describe and resolve from a table.
 */
let google: RunningGoogleFake;
let directory: DirectoryUnderTest | undefined;
let bus: MessageBus;
let secrets: Map<string, ResolvedSecret>;
let example: FakeGoogleDomain;
let admin: FakeGoogleUser;

const tenant = randomUUID();
/** Delegated for users and group members. */
const fullSecretId = randomUUID();
/** Delegated for users only. */
const usersOnlySecretId = randomUUID();
/** A key whose client id has no delegation at all. */
const undelegatedSecretId = randomUUID();
const basicSecretId = randomUUID();

const fail = contractFailure;

beforeAll(async () => {
  google = await startGoogleFake();
  example = google.addDomain('example.com');
  admin = example.addUser('admin', { givenName: 'Ada', familyName: 'Admin', isAdmin: true });
  directory = await startDirectoryUnderTest('directory_google', tenant, {
    google: { tokenUrl: google.tokenUrl, gmailUrl: google.origin, adminUrl: google.origin },
  });
  ({ bus, secrets } = directory);
  const keyOf = (scopes: string[]) =>
    google.addServiceAccount(example, { delegatedScopes: scopes }).key.json as Record<string, unknown>;
  const addSecret = (id: string, serviceAccountKey: Record<string, unknown>) =>
    secrets.set(id, { id, type: 'google-service-account', serviceAccountKey });
  addSecret(
    fullSecretId,
    keyOf([GOOGLE_SCOPES.directoryUserReadonly, GOOGLE_SCOPES.directoryGroupMemberReadonly]),
  );
  addSecret(usersOnlySecretId, keyOf([GOOGLE_SCOPES.directoryUserReadonly]));
  addSecret(undelegatedSecretId, keyOf([]));
  secrets.set(basicSecretId, { id: basicSecretId, type: 'basic', username: 'svc', password: 'pw' });
});

afterAll(async () => {
  await directory?.stop();
  await google?.stop();
});

const workspace = (name: string, settings: Record<string, unknown> = {}) =>
  bus.request(DIRECTORY_SERVICE_CREATE_V1, {
    tenantId: tenant,
    name,
    type: 'google-workspace',
    settings: { credentialsSecretId: fullSecretId, adminSubject: admin.primaryEmail, ...settings },
  });

/** As long as the api waits for a sync (its SOURCE_REQUEST_TIMEOUT_MS): back-off takes seconds. */
const SYNC_TIMEOUT_MS = 5 * 60_000;

const sync = (id: string, options: { dryRun?: boolean; disableMissing?: boolean } = {}) =>
  bus.request(
    DIRECTORY_SERVICE_SYNC_V1,
    { tenantId: tenant, id, dryRun: options.dryRun ?? false, ...options },
    { timeoutMs: SYNC_TIMEOUT_MS },
  );

const members = async (directoryServiceId: string) =>
  (await bus.request(MAILBOX_LIST_V1, { tenantId: tenant, directoryServiceId, limit: 100 })).items;

describe('google-workspace settings', () => {
  it('stores the settings as given and reports the secret as used', async () => {
    const ds = await workspace('Example (settings)', {
      customer: 'C03az79cb',
      groupKey: 'archive@example.com',
    });
    expect(ds).toMatchObject({
      type: 'google-workspace',
      disableMissing: false,
      settings: {
        credentialsSecretId: fullSecretId,
        adminSubject: 'admin@example.com',
        customer: 'C03az79cb',
        groupKey: 'archive@example.com',
      },
    });
    const read = await bus.request(DIRECTORY_SERVICE_GET_V1, { tenantId: tenant, id: ds.id });
    expect(read.settings).toEqual(ds.settings);
    const used = await bus.request(DIRECTORY_REFERENCES_FIND_V1, {
      tenantId: tenant,
      kind: 'secret',
      id: fullSecretId,
    });
    expect(used.references).toContainEqual({
      kind: 'directory-service',
      id: ds.id,
      name: 'Example (settings)',
    });
  });

  it('refuses foreign, missing and malformed fields, both customer and domain, and a secret that does not fit', async () => {
    const foreign = await fail(
      workspace('Bad 1', { applicationId: '9a0c0305-e82c-4f89-11d3-3f2504e04f89', adminSubject: 'admin' }),
    );
    expect(foreign.code).toBe('VALIDATION');
    expect(foreign.fields).toEqual(
      expect.arrayContaining([
        {
          field: 'applicationId',
          message: 'applicationId is not a setting of a google-workspace directory service',
        },
        { field: 'adminSubject', message: 'adminSubject must be an email address (local@domain)' },
      ]),
    );
    const missing = await fail(
      bus.request(DIRECTORY_SERVICE_CREATE_V1, {
        tenantId: tenant,
        name: 'Bad 2',
        type: 'google-workspace',
        settings: {},
      }),
    );
    expect(missing.fields?.map((f) => f.field).sort()).toEqual(['adminSubject', 'credentialsSecretId']);
    const both = await fail(workspace('Bad 3', { customer: 'my_customer', domain: 'example.com' }));
    expect(both.fields).toEqual([
      {
        field: 'domain',
        message:
          "domain and customer exclude each other: give customer for all of the customer's domains, or domain for one of them",
      },
    ]);
    const malformed = await fail(
      workspace('Bad 4', { customer: 'example.com', domain: undefined, groupKey: 'Archive Team' }),
    );
    expect(malformed.fields?.map((f) => f.field).sort()).toEqual(['customer', 'groupKey']);
    const badDomain = await fail(workspace('Bad 5', { domain: 'https://example.com' }));
    expect(badDomain.fields).toEqual([
      { field: 'domain', message: 'domain must be a domain name, like example.com' },
    ]);
    const basic = await fail(workspace('Bad 6', { credentialsSecretId: basicSecretId }));
    expect(basic.fields).toEqual([
      {
        field: 'credentialsSecretId',
        message:
          'credentialsSecretId must name a google-service-account secret for a google-workspace directory service (this one is basic)',
      },
    ]);
  });
});

describe('google-workspace sync (D4)', () => {
  it('creates the users with Gmail, keeps suspended users disabled, and disables what left with disableMissing', async () => {
    const liz = example.addUser('liz', {
      givenName: 'Elizabeth',
      familyName: 'Smith',
      aliases: ['elizabeth@example.com'],
    });
    const bob = example.addUser('bob', { givenName: 'Bob', familyName: 'Jones' });
    const carol = example.addUser('carol', { givenName: 'Carol', familyName: 'White', suspended: true });
    example.addUser('scanner', { givenName: 'Scanner', familyName: '(no Gmail)', gmail: false });
    example.aliasDomains.push('example.net');
    const ds = await workspace('Example');

    const dry = await sync(ds.id, { dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      created: 4,
      updated: 0,
      disabled: 0,
      unchanged: 0,
      errors: [],
    });
    expect(dry.changes).toEqual([
      {
        action: 'create',
        primaryAddress: 'admin@example.com',
        displayName: 'Ada Admin',
        secondaryAddresses: ['admin@example.net'],
        enabled: true,
      },
      {
        action: 'create',
        primaryAddress: 'bob@example.com',
        displayName: 'Bob Jones',
        secondaryAddresses: ['bob@example.net'],
        enabled: true,
      },
      {
        action: 'create',
        primaryAddress: 'carol@example.com',
        displayName: 'Carol White',
        secondaryAddresses: ['carol@example.net'],
        enabled: false,
      },
      {
        action: 'create',
        primaryAddress: 'liz@example.com',
        displayName: 'Elizabeth Smith',
        secondaryAddresses: ['elizabeth@example.com', 'liz@example.net'],
        enabled: true,
      },
    ]);
    expect(await members(ds.id)).toEqual([]);

    expect(await sync(ds.id)).toMatchObject({ dryRun: false, created: 4 });
    expect(
      (await members(ds.id)).map((m) => [m.primaryAddress, m.origin, m.enabled, m.directoryServiceId]),
    ).toEqual([
      ['admin@example.com', 'directory', true, ds.id],
      ['bob@example.com', 'directory', true, ds.id],
      ['carol@example.com', 'directory', false, ds.id],
      ['liz@example.com', 'directory', true, ds.id],
    ]);
    expect(await sync(ds.id)).toMatchObject({
      created: 0,
      updated: 0,
      disabled: 0,
      unchanged: 4,
      changes: [],
    });

    // Bob is suspended, Carol restored and renamed, Liz leaves the account.
    bob.suspended = true;
    carol.suspended = false;
    carol.familyName = 'Brown';
    example.users.splice(example.users.indexOf(liz), 1);
    const kept = await sync(ds.id);
    expect(kept).toMatchObject({ created: 0, updated: 1, disabled: 1, unchanged: 2 });
    expect(kept.changes.map((c) => [c.action, c.primaryAddress, c.displayName, c.enabled])).toEqual([
      ['disable', 'bob@example.com', 'Bob Jones', false],
      ['update', 'carol@example.com', 'Carol Brown', true],
    ]);
    const disabling = await sync(ds.id, { disableMissing: true });
    expect(disabling).toMatchObject({ disabled: 1, unchanged: 3 });
    expect(disabling.changes).toEqual([
      {
        action: 'disable',
        primaryAddress: 'liz@example.com',
        displayName: 'Elizabeth Smith',
        secondaryAddresses: ['elizabeth@example.com', 'liz@example.net'],
        enabled: false,
      },
    ]);
    expect((await members(ds.id)).map((m) => [m.primaryAddress, m.enabled])).toEqual([
      ['admin@example.com', true],
      ['bob@example.com', false],
      ['carol@example.com', true],
      ['liz@example.com', false],
    ]);
    bob.suspended = false;
    example.aliasDomains.length = 0;
  });

  it('limits the set to the members of the group and its nested groups, and reports an address another mailbox uses', async () => {
    const dana = example.addUser('dana', { givenName: 'Dana', familyName: 'Lee' });
    const erin = example.addUser('erin', { givenName: 'Erin', familyName: 'Park' });
    const frank = example.addUser('frank', { givenName: 'Frank', familyName: 'Moss' });
    example.addUser('outsider', { givenName: 'Not', familyName: 'Member' });
    const legal = example.addGroup('legal', [erin, frank]);
    const scope = example.addGroup('archive-scope', [dana, legal, { external: 'auditor@partner.example' }]);
    // Groups may contain each other: derived membership lists each member once.
    legal.members.push({ kind: 'group', of: scope, role: 'MEMBER' });
    await bus.request(MAILBOX_CREATE_V1, { tenantId: tenant, primaryAddress: 'Frank@example.com' });
    const ds = await workspace('Example (group)', { groupKey: 'Archive-Scope@example.com' });

    const result = await sync(ds.id);
    expect(result).toMatchObject({
      created: 2,
      errors: [
        {
          entry: 'frank@example.com',
          message: 'the address frank@example.com is already used by mailbox Frank@example.com',
        },
      ],
    });
    expect((await members(ds.id)).map((m) => m.primaryAddress)).toEqual([
      'dana@example.com',
      'erin@example.com',
    ]);

    // "All users in the organisation" as a member lets everyone with Gmail through.
    const everyone = example.addGroup('everyone', ['customer']);
    const all = await workspace('Example (everyone)', { groupKey: everyone.id });
    const dry = await sync(all.id, { dryRun: true });
    // Everyone with Gmail passes the filter; all but one already belong to another mailbox.
    expect(dry.changes.map((c) => c.primaryAddress)).toEqual(['outsider@example.com']);
    expect(dry.errors.map((e) => e.entry)).toEqual([
      'admin@example.com',
      'bob@example.com',
      'carol@example.com',
      'dana@example.com',
      'erin@example.com',
      'frank@example.com',
    ]);
  });

  it('pages through more users than one page holds, in the same order on a dry run and a commit', async () => {
    const domain = google.addDomain('big.example');
    const bigAdmin = domain.addUser('it-admin', { isAdmin: true });
    for (let i = 0; i < 520; i++) domain.addUser(`user${String(i).padStart(4, '0')}`);
    const key = google.addServiceAccount(domain, {
      delegatedScopes: [GOOGLE_SCOPES.directoryUserReadonly],
    }).key;
    const secretId = randomUUID();
    secrets.set(secretId, { id: secretId, type: 'google-service-account', serviceAccountKey: key.json });
    const ds = await workspace('Big', {
      credentialsSecretId: secretId,
      adminSubject: bigAdmin.primaryEmail,
      domain: 'big.example',
    });
    const listedBefore = google.counters.route('users.list');
    const dry = await sync(ds.id, { dryRun: true });
    expect(dry.created).toBe(521);
    expect(google.counters.route('users.list') - listedBefore).toBe(2);
    const commit = await sync(ds.id);
    expect(commit.changes.map((c) => c.primaryAddress)).toEqual(dry.changes.map((c) => c.primaryAddress));
  });

  // Back-off waits 1-2 s, then 2-4 s…: longer than the default test timeout when faults come in a row.
  it(
    'backs off on quota errors and server errors and lists the same changes',
    { timeout: 60_000 },
    async () => {
      const quota = example.addGroup('quota-scope', [admin]);
      const ds = await workspace('Example (quota)', { groupKey: quota.email });
      const calm = await sync(ds.id, { dryRun: true });
      google.setFaults({ quotaErrorFraction: 0.3, serverErrorFraction: 0.1, seed: 7 });
      try {
        const faultsBefore = google.counters.quotaErrors + google.counters.serverErrors;
        const stormy = await sync(ds.id, { dryRun: true });
        expect(google.counters.quotaErrors + google.counters.serverErrors).toBeGreaterThan(faultsBefore);
        expect(stormy.changes).toEqual(calm.changes);
        expect(stormy.errors).toEqual(calm.errors);
      } finally {
        google.setFaults({});
      }
    },
  );

  it('fails clearly when the key lacks delegation, the subject is no admin, or the group is unknown; the test names the category', async () => {
    const undelegated = await workspace('Example (no delegation)', {
      credentialsSecretId: undelegatedSecretId,
    });
    const refused = await fail(sync(undelegated.id, { dryRun: true }));
    expect(refused).toMatchObject({ code: 'RULE_VIOLATION', reason: 'directory_source_authorization' });
    expect(refused.message).toContain('admin.directory.user.readonly');
    expect(refused.message).toContain('unauthorized_client');
    const tokensBefore = google.counters.tokenRequests;
    const test = await bus.request(DIRECTORY_SERVICE_TEST_CONNECTION_V1, {
      tenantId: tenant,
      id: undelegated.id,
    });
    expect(test).toMatchObject({ success: false, error: { category: 'authorization' } });
    expect(test.steps.map((s) => [s.name, s.status])).toEqual([
      ['acquire token', 'failed'],
      ['list users', 'skipped'],
    ]);
    // A refused grant is remembered: the test did not ask the token endpoint again.
    expect(google.counters.tokenRequests).toBe(tokensBefore);

    const bob = example.user('bob@example.com');
    const notAdmin = await workspace('Example (not an admin)', { adminSubject: bob?.primaryEmail });
    const forbidden = await fail(sync(notAdmin.id, { dryRun: true }));
    expect(forbidden).toMatchObject({ code: 'RULE_VIOLATION', reason: 'directory_source_authorization' });
    expect(forbidden.message).toContain('bob@example.com may not read the users of the customer my_customer');
    expect(forbidden.message).toContain('Not Authorized to access this resource/api');

    const unknownAdmin = await workspace('Example (unknown admin)', { adminSubject: 'ghost@example.com' });
    expect(await fail(sync(unknownAdmin.id, { dryRun: true }))).toMatchObject({
      reason: 'directory_source_configuration',
    });

    const groupWithoutScope = await workspace('Example (group, users-only key)', {
      credentialsSecretId: usersOnlySecretId,
      groupKey: 'legal@example.com',
    });
    const scoped = await bus.request(DIRECTORY_SERVICE_TEST_CONNECTION_V1, {
      tenantId: tenant,
      id: groupWithoutScope.id,
    });
    expect(scoped).toMatchObject({ success: false, error: { category: 'authorization' } });
    expect(scoped.error?.message).toContain('admin.directory.group.member.readonly');

    const unknownGroup = await workspace('Example (unknown group)', { groupKey: 'nobody@example.com' });
    const missing = await bus.request(DIRECTORY_SERVICE_TEST_CONNECTION_V1, {
      tenantId: tenant,
      id: unknownGroup.id,
    });
    expect(missing).toMatchObject({
      success: false,
      error: {
        category: 'configuration',
        message: 'Google has no group nobody@example.com in this account',
        serverMessage: 'notFound: Resource Not Found: groupKey',
      },
    });
    expect(missing.steps.map((s) => [s.name, s.status])).toEqual([
      ['acquire token', 'ok'],
      ['list users', 'ok'],
      ['list group members', 'failed'],
    ]);

    const fixed = await bus.request(DIRECTORY_SERVICE_UPDATE_V1, {
      tenantId: tenant,
      id: unknownGroup.id,
      settings: { groupKey: 'legal@example.com' },
    });
    expect(fixed.settings).toMatchObject({
      groupKey: 'legal@example.com',
      adminSubject: 'admin@example.com',
    });
    const ok = await bus.request(DIRECTORY_SERVICE_TEST_CONNECTION_V1, {
      tenantId: tenant,
      id: unknownGroup.id,
    });
    expect(ok).toMatchObject({ success: true });
    expect(ok.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok']);
  });
});
