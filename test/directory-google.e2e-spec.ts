import { GOOGLE_SCOPES } from '@mailkeep/google-workspace';
import {
  type ApiAnswer,
  callApi,
  type FakeGoogleDomain,
  type FakeGoogleUser,
  type RunningGoogleFake,
  type RunningPlatform,
  startGoogleFake,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { archiveApi } from './support/archive-api.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';
import type { Mailbox, Problem, SyncResult } from './support/directory-api.js';

/**
 * The google-workspace directory service end to end (issue 20, deliverable 2): the platform as the
 * README starts it, its Google endpoints (MAILKEEP_GOOGLE_TOKEN_URL / _ADMIN_URL) pointed at the
 * HTTPS Google fake (trusted through NODE_EXTRA_CA_CERTS), driven over HTTP by a tenant admin with
 * a real google-service-account secret resolved by the real secrets service.
 */
let operatorKey = '';
let started: E2ePlatform;
let platform: RunningPlatform;
let google: RunningGoogleFake;
let northwind: FakeGoogleDomain;
let admin: FakeGoogleUser;
let tenant = '';
let adminKey = '';

interface TestResult {
  success: boolean;
  steps: { name: string; status: string; detail: string }[];
  error?: { category: string; message: string; serverMessage: string };
}

const call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> => callApi<T>(platform.baseUrl, adminKey, method, `/tenants/${tenant}${path}`, body);

beforeAll(async () => {
  google = await startGoogleFake();
  northwind = google.addDomain('northwind.example');
  admin = northwind.addUser('it-admin', { givenName: 'Ingrid', familyName: 'Tanaka', isAdmin: true });
  started = await startE2ePlatform({
    database: 'directory_google_e2e',
    // The Gmail connector archives the mailboxes the directory feeds to a multiple-mode profile.
    services: [...CORE_SERVICES, 'connector-google-workspace'],
    env: {
      MAILKEEP_LOG_LEVEL: 'info',
      MAILKEEP_GOOGLE_TOKEN_URL: google.tokenUrl,
      MAILKEEP_GOOGLE_ADMIN_URL: google.origin,
      MAILKEEP_GOOGLE_GMAIL_URL: google.origin,
      NODE_EXTRA_CA_CERTS: google.caPath,
    },
    tenant: 'Northwind',
  });
  ({ platform, bootstrapKey: operatorKey, tenant, adminKey } = started);
  await waitFor(async () => (await call('GET', '/directory-services')).status === 200, {
    timeoutMs: 30_000,
    intervalMs: 200,
    description: 'the directory service to answer',
  });
});

afterAll(async () => {
  await started?.stop();
  await google?.stop();
});

/** A google-service-account secret holding a fresh key of the fake's project, with this delegation. */
async function serviceAccountSecret(name: string, delegatedScopes: string[]): Promise<string> {
  const { key } = google.addServiceAccount(northwind, { delegatedScopes });
  const created = await call<{ id: string; clientEmail: string }>('POST', '/secrets', {
    name,
    type: 'google-service-account',
    serviceAccountKey: key.json,
  });
  expect(created.status).toBe(201);
  expect(created.body.clientEmail).toBe(key.clientEmail);
  return created.body.id;
}

describe('a google-workspace directory service over HTTP', () => {
  let secretId = '';
  let serviceId = '';
  const mailboxes = async () =>
    (await call<{ items: Mailbox[] }>('GET', '/mailboxes?search=northwind')).body.items;
  const syncOf = <T = SyncResult>(id: string, body: Record<string, unknown>) =>
    call<T>('POST', `/directory-services/${id}/sync`, body);

  it('is created with a google-service-account secret, its settings next to type, and refuses what does not fit', async () => {
    secretId = await serviceAccountSecret('Northwind directory reader', [
      GOOGLE_SCOPES.directoryUserReadonly,
      GOOGLE_SCOPES.directoryGroupMemberReadonly,
    ]);
    const basicId = (
      await call<{ id: string }>('POST', '/secrets', {
        name: 'IMAP login',
        type: 'basic',
        username: 'archiver@northwind.example',
        password: 'S3cure!pass',
      })
    ).body.id;

    const wrongType = await call<Problem>('POST', '/directory-services', {
      name: 'Northwind',
      type: 'google-workspace',
      credentialsSecretId: basicId,
      adminSubject: admin.primaryEmail,
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors?.[0]?.field).toBe('credentialsSecretId');
    const invalid = await call<Problem>('POST', '/directory-services', {
      name: 'Northwind',
      type: 'google-workspace',
      credentialsSecretId: secretId,
      adminSubject: 'it-admin',
      customer: 'my_customer',
      domain: 'northwind.example',
      directoryId: '9a0c0305-e82c-4f89-11d3-3f2504e04f89',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.map((e) => e.field).sort()).toEqual([
      'adminSubject',
      'directoryId',
      'domain',
    ]);

    const created = await call('POST', '/directory-services', {
      name: 'Northwind',
      type: 'google-workspace',
      credentialsSecretId: secretId,
      adminSubject: admin.primaryEmail,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'google-workspace',
      credentialsSecretId: secretId,
      adminSubject: 'it-admin@northwind.example',
      disableMissing: false,
      memberCount: 0,
    });
    expect(created.body).not.toHaveProperty('settings');
    serviceId = created.body['id'] as string;

    const openapi = await callApi<{
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: unknown }> } } }>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>(platform.baseUrl, adminKey, 'GET', '/openapi.json');
    const createBody = openapi.body.paths['/api/v1/tenants/{tenantId}/directory-services']?.post?.requestBody;
    expect(createBody?.content['application/json']?.schema).toEqual({
      oneOf: [
        { $ref: '#/components/schemas/StaticDirectoryServiceCreateDto' },
        { $ref: '#/components/schemas/M365DirectoryServiceCreateDto' },
        { $ref: '#/components/schemas/GoogleWorkspaceDirectoryServiceCreateDto' },
        { $ref: '#/components/schemas/LdapDirectoryServiceCreateDto' },
      ],
    });
    expect(
      Object.keys(
        openapi.body.components.schemas['GoogleWorkspaceDirectoryServiceCreateDto']?.properties ?? {},
      ),
    ).toEqual(
      expect.arrayContaining(['credentialsSecretId', 'adminSubject', 'customer', 'domain', 'groupKey']),
    );

    const deleteSecret = await call<Problem>('DELETE', `/secrets/${secretId}`);
    expect(deleteSecret.status).toBe(409);
    expect(deleteSecret.body.detail).toContain('Northwind');
  });

  it('tests the connection, lists the right changes on a dry run without changing anything, then creates them', async () => {
    northwind.addUser('maria.garcia', {
      givenName: 'María',
      familyName: 'García',
      aliases: ['maria@northwind.example', 'ventas@northwind.example'],
    });
    northwind.addUser('tom.baker', { givenName: 'Tom', familyName: 'Baker' });
    northwind.addUser('former.employee', { givenName: 'Former', familyName: 'Employee', suspended: true });
    northwind.addUser('meeting-room', { givenName: 'Meeting', familyName: 'Room', gmail: false });

    const test = await call<TestResult>('POST', `/directory-services/${serviceId}/test-connection`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ success: true });
    expect(test.body.steps.map((s) => [s.name, s.status])).toEqual([
      ['acquire token', 'ok'],
      ['list users', 'ok'],
    ]);
    expect(test.body.steps[1]?.detail).toBe('5 users on the first page, 4 of them with Gmail');

    const dry = await syncOf(serviceId, { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      created: 4,
      updated: 0,
      disabled: 0,
      unchanged: 0,
      errors: [],
    });
    expect(dry.body.changes).toEqual([
      {
        action: 'create',
        primaryAddress: 'former.employee@northwind.example',
        displayName: 'Former Employee',
        secondaryAddresses: [],
        enabled: false,
      },
      {
        action: 'create',
        primaryAddress: 'it-admin@northwind.example',
        displayName: 'Ingrid Tanaka',
        secondaryAddresses: [],
        enabled: true,
      },
      {
        action: 'create',
        primaryAddress: 'maria.garcia@northwind.example',
        displayName: 'María García',
        secondaryAddresses: ['maria@northwind.example', 'ventas@northwind.example'],
        enabled: true,
      },
      {
        action: 'create',
        primaryAddress: 'tom.baker@northwind.example',
        displayName: 'Tom Baker',
        secondaryAddresses: [],
        enabled: true,
      },
    ]);
    expect(await mailboxes()).toEqual([]);

    const commit = await syncOf(serviceId, { dryRun: false });
    expect(commit.body).toMatchObject({ dryRun: false, created: 4 });
    expect(
      (await mailboxes()).map((m) => [m.primaryAddress, m.origin, m.directoryServiceId, m.enabled]),
    ).toEqual([
      ['former.employee@northwind.example', 'directory', serviceId, false],
      ['it-admin@northwind.example', 'directory', serviceId, true],
      ['maria.garcia@northwind.example', 'directory', serviceId, true],
      ['tom.baker@northwind.example', 'directory', serviceId, true],
    ]);
    const read = await call<{ lastSync: Record<string, unknown>; memberCount: number }>(
      'GET',
      `/directory-services/${serviceId}`,
    );
    expect(read.body.memberCount).toBe(4);
    expect(read.body.lastSync).toMatchObject({ created: 4, dryRun: false });
  });

  it('updates renamed users, disables a user removed at the source with disableMissing, and a group limits the set', async () => {
    const tom = northwind.user('tom.baker@northwind.example') as FakeGoogleUser;
    const maria = northwind.user('maria.garcia@northwind.example') as FakeGoogleUser;
    northwind.users.splice(northwind.users.indexOf(tom), 1);
    maria.aliases.push('maria.g@northwind.example');
    const patched = await call('PATCH', `/directory-services/${serviceId}`, { disableMissing: true });
    expect(patched.status).toBe(200);
    const sync = await syncOf(serviceId, { dryRun: false });
    expect(sync.body).toMatchObject({ updated: 1, disabled: 1, unchanged: 2 });
    expect(
      (await mailboxes()).map((m) => [m.primaryAddress, m.secondaryAddresses.length, m.enabled]),
    ).toEqual([
      ['former.employee@northwind.example', 0, false],
      ['it-admin@northwind.example', 0, true],
      ['maria.garcia@northwind.example', 3, true],
      ['tom.baker@northwind.example', 0, false],
    ]);

    const priya = northwind.addUser('priya.shah', { givenName: 'Priya', familyName: 'Shah' });
    const finance = northwind.addGroup('finance', [priya]);
    northwind.addGroup('archive', [finance, { external: 'auditor@contoso.example' }]);
    const scoped = await call<{ id: string; groupKey: string }>('POST', '/directory-services', {
      name: 'Northwind archive group',
      type: 'google-workspace',
      credentialsSecretId: secretId,
      adminSubject: admin.primaryEmail,
      domain: 'northwind.example',
      groupKey: 'archive@northwind.example',
    });
    expect(scoped.body).toMatchObject({ groupKey: 'archive@northwind.example', domain: 'northwind.example' });
    const dry = await syncOf(scoped.body.id, { dryRun: true });
    expect(dry.body.changes.map((c) => c.primaryAddress)).toEqual(['priya.shah@northwind.example']);
  });

  it('feeds a multiple-mode Gmail profile: the enabled mailboxes are archived, the disabled ones never tasked', async () => {
    const { created, runToEnd } = archiveApi(() => ({
      baseUrl: platform.baseUrl,
      bootstrapKey: operatorKey,
      adminKey,
      tenant,
    }));
    const maria = northwind.user('maria.garcia@northwind.example') as FakeGoogleUser;
    for (const n of [1, 2]) {
      maria.mailbox?.addMessage(
        Buffer.from(
          [
            'From: Lucas Martin <lucas.martin@contoso.example>',
            'To: María García <maria.garcia@northwind.example>',
            `Subject: Pedido ${n}`,
            `Date: Mon, 07 Dec 2026 0${n}:00:00 +0000`,
            `Message-ID: <pedido-${n}@contoso.example>`,
            'MIME-Version: 1.0',
            'Content-Type: text/plain; charset=utf-8',
            '',
            `Pedido número ${n}.`,
            '',
          ].join('\r\n'),
        ),
      );
    }
    const gmailKey = google.addServiceAccount(northwind, {
      delegatedScopes: [GOOGLE_SCOPES.gmailReadonly],
    }).key;
    const gmailSecret = await created<{ id: string }>('/secrets', {
      name: 'Northwind Gmail reader',
      type: 'google-service-account',
      serviceAccountKey: gmailKey.json,
    });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Northwind Gmail (synced)',
      type: 'google-workspace',
      mode: 'multiple',
      credentialsSecretId: gmailSecret.id,
      directoryServiceId: serviceId,
    });
    const schedule = await created<{ id: string }>(`/archiving-profiles/${profile.id}/schedules`, {
      name: 'Northwind nightly',
      timezone: 'UTC',
      recurrence: { type: 'daily', times: ['02:00'] },
    });
    const run = await runToEnd(schedule.id);
    const byAddress = new Map((await mailboxes()).map((m) => [m.id, m.primaryAddress]));
    expect(run.status).toBe('succeeded');
    expect(run.tasks.map((t) => [byAddress.get(t.mailboxId), t.status]).sort()).toEqual([
      ['it-admin@northwind.example', 'succeeded'],
      ['maria.garcia@northwind.example', 'succeeded'],
    ]);
    expect(run.counters).toMatchObject({ mailboxesTotal: 2, mailboxesFailed: 0, messagesArchived: 2 });
  });

  it('answers a key without delegation with a clear 422 and a failed connection test, never a 5xx', async () => {
    const undelegatedId = await serviceAccountSecret('Key without delegation', []);
    const ds = await call<{ id: string }>('POST', '/directory-services', {
      name: 'Northwind (no delegation)',
      type: 'google-workspace',
      credentialsSecretId: undelegatedId,
      adminSubject: admin.primaryEmail,
    });
    const sync = await syncOf<Problem>(ds.body.id, { dryRun: true });
    expect(sync.status).toBe(422);
    expect(sync.body).toMatchObject({ status: 422, code: 'directory_source_authorization' });
    expect(sync.body.detail).toContain('unauthorized_client');
    expect(sync.body.detail).toContain('https://www.googleapis.com/auth/admin.directory.user.readonly');
    const test = await call<TestResult>('POST', `/directory-services/${ds.body.id}/test-connection`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ success: false, error: { category: 'authorization' } });

    const elsewhere = await call<{ id: string }>('POST', '/directory-services', {
      name: 'Northwind (other customer)',
      type: 'google-workspace',
      credentialsSecretId: secretId,
      adminSubject: admin.primaryEmail,
      customer: 'C01b2c3d4',
    });
    const refused = await syncOf<Problem>(elsewhere.body.id, { dryRun: true });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain(
      'it-admin@northwind.example may not read the users of the customer C01b2c3d4',
    );
  });
});
