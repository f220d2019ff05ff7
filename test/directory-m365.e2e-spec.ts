import {
  type FakeTenant,
  type RunningGraphFake,
  type RunningPlatform,
  startGraphFake,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Mailbox, Problem, SyncResult } from './support/directory-api.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * The m365 directory service end to end (issue 19): the platform as the README starts it, its
 * directory service pointed at the Graph fake (MAILKEEP_M365_AUTHORITY_URL / _GRAPH_URL, the
 * fake's CA trusted through NODE_EXTRA_CA_CERTS), driven over HTTP with a real client-secret
 * secret resolved by the real secrets service.
 */
let bootstrapKey = '';
/** Entra application ids are GUIDs that need not be RFC 4122 UUIDs. */
const APPLICATION_ID = '9a0c0305-e82c-4f89-11d3-3f2504e04f89';
const CLIENT_SECRET = 'Xy28Q~Lr3mP.aB7cD9eF0gH1iJ2kL3mN4oP5qR6s';
let started: E2ePlatform;
let platform: RunningPlatform;
let graph: RunningGraphFake;
let fabrikam: FakeTenant;

async function call<T = unknown>(method: string, path: string, body?: unknown) {
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bootstrapKey}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

beforeAll(async () => {
  graph = await startGraphFake();
  fabrikam = graph.addTenant('fabrikam.onmicrosoft.com');
  fabrikam.addApplication({ clientId: APPLICATION_ID, secrets: [CLIENT_SECRET] });
  started = await startE2ePlatform({
    database: 'directory_m365_e2e',
    // The directory service reads Graph itself: no connector.
    services: CORE_SERVICES,
    env: {
      MAILKEEP_LOG_LEVEL: 'info',
      MAILKEEP_M365_AUTHORITY_URL: graph.origin,
      MAILKEEP_M365_GRAPH_URL: graph.origin,
      NODE_EXTRA_CA_CERTS: graph.caPath,
    },
  });
  ({ platform, bootstrapKey } = started);
});

afterAll(async () => {
  await started?.stop();
  await graph?.stop();
});

describe('an m365 directory service over HTTP', () => {
  let tenant = '';
  let secretId = '';
  let serviceId = '';
  const mailboxes = async () =>
    (await call<{ items: Mailbox[] }>('GET', `/tenants/${tenant}/mailboxes?search=fabrikam`)).body.items;

  it('is created with a client-secret secret, its settings next to type, and refuses what does not fit', async () => {
    tenant = (await call<{ id: string }>('POST', '/tenants', { name: 'Fabrikam' })).body.id;
    await waitFor(async () => (await call('GET', `/tenants/${tenant}/directory-services`)).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: 'the directory service to answer',
    });
    secretId = (
      await call<{ id: string }>('POST', `/tenants/${tenant}/secrets`, {
        name: 'Fabrikam archiver app',
        type: 'client-secret',
        clientSecret: CLIENT_SECRET,
      })
    ).body.id;
    const basicId = (
      await call<{ id: string }>('POST', `/tenants/${tenant}/secrets`, {
        name: 'IMAP login',
        type: 'basic',
        username: 'archiver@fabrikam.com',
        password: 'S3cure!pass',
      })
    ).body.id;

    const wrongType = await call<Problem>('POST', `/tenants/${tenant}/directory-services`, {
      name: 'Fabrikam',
      type: 'm365',
      credentialsSecretId: basicId,
      applicationId: APPLICATION_ID,
      directoryId: fabrikam.id,
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors?.[0]?.field).toBe('credentialsSecretId');
    const foreign = await call<Problem>('POST', `/tenants/${tenant}/directory-services`, {
      name: 'Fabrikam',
      type: 'm365',
      credentialsSecretId: secretId,
      applicationId: APPLICATION_ID,
      directoryId: fabrikam.id,
      baseDn: 'dc=fabrikam,dc=com',
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([
      { field: 'baseDn', message: 'baseDn is not a setting of a m365 directory service' },
    ]);

    const created = await call<Record<string, unknown>>('POST', `/tenants/${tenant}/directory-services`, {
      name: 'Fabrikam',
      type: 'm365',
      credentialsSecretId: secretId,
      applicationId: APPLICATION_ID,
      directoryId: fabrikam.id,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'm365',
      credentialsSecretId: secretId,
      applicationId: APPLICATION_ID,
      directoryId: fabrikam.id,
      disableMissing: false,
      memberCount: 0,
    });
    expect(created.body).not.toHaveProperty('settings');
    serviceId = created.body.id as string;

    const openapi = await call<{
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: unknown }> } } }>;
    }>('GET', '/openapi.json');
    const createBody = openapi.body.paths['/api/v1/tenants/{tenantId}/directory-services']?.post?.requestBody;
    expect(createBody?.content['application/json']?.schema).toEqual({
      oneOf: [
        { $ref: '#/components/schemas/StaticDirectoryServiceCreateDto' },
        { $ref: '#/components/schemas/M365DirectoryServiceCreateDto' },
        { $ref: '#/components/schemas/GoogleWorkspaceDirectoryServiceCreateDto' },
        { $ref: '#/components/schemas/LdapDirectoryServiceCreateDto' },
      ],
    });

    const deleteSecret = await call<Problem>('DELETE', `/tenants/${tenant}/secrets/${secretId}`);
    expect(deleteSecret.status).toBe(409);
    expect(deleteSecret.body.detail).toContain('Fabrikam');
  });

  it('lists the right changes on a dry run without changing anything, then creates them', async () => {
    fabrikam.addUser('isaiah.langer', {
      displayName: 'Isaiah Langer',
      proxyAddresses: ['SMTP:isaiah.langer@fabrikam.onmicrosoft.com', 'smtp:isaiah@fabrikam.com'],
    });
    fabrikam.addUser('nestor.wilke', { displayName: 'Nestor Wilke' });
    fabrikam.addUser('guest', { userType: 'Guest', mail: 'guest.user@contoso.com' });
    fabrikam.addUser('kiosk', { displayName: 'Kiosk (no mailbox)', mailbox: false });

    const dry = await call<SyncResult>('POST', `/tenants/${tenant}/directory-services/${serviceId}/sync`, {
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      created: 2,
      updated: 0,
      disabled: 0,
      unchanged: 0,
      errors: [],
    });
    expect(dry.body.changes).toEqual([
      {
        action: 'create',
        primaryAddress: 'isaiah.langer@fabrikam.onmicrosoft.com',
        displayName: 'Isaiah Langer',
        secondaryAddresses: ['isaiah@fabrikam.com'],
        enabled: true,
      },
      {
        action: 'create',
        primaryAddress: 'nestor.wilke@fabrikam.onmicrosoft.com',
        displayName: 'Nestor Wilke',
        secondaryAddresses: [],
        enabled: true,
      },
    ]);
    expect(await mailboxes()).toEqual([]);

    const commit = await call<SyncResult>('POST', `/tenants/${tenant}/directory-services/${serviceId}/sync`, {
      dryRun: false,
    });
    expect(commit.body).toMatchObject({ dryRun: false, created: 2 });
    expect(
      (await mailboxes()).map((m) => [m.primaryAddress, m.origin, m.directoryServiceId, m.enabled]),
    ).toEqual([
      ['isaiah.langer@fabrikam.onmicrosoft.com', 'directory', serviceId, true],
      ['nestor.wilke@fabrikam.onmicrosoft.com', 'directory', serviceId, true],
    ]);
    const read = await call<{ lastSync: Record<string, unknown>; memberCount: number }>(
      'GET',
      `/tenants/${tenant}/directory-services/${serviceId}`,
    );
    expect(read.body.memberCount).toBe(2);
    expect(read.body.lastSync).toMatchObject({ created: 2, dryRun: false });
  });

  it('disables a user removed at the source with disableMissing, and a group filter limits the set', async () => {
    const nestor = fabrikam.users.find((u) => u.displayName === 'Nestor Wilke');
    fabrikam.users.splice(fabrikam.users.indexOf(nestor as never), 1);
    const patched = await call('PATCH', `/tenants/${tenant}/directory-services/${serviceId}`, {
      disableMissing: true,
    });
    expect(patched.status).toBe(200);
    const sync = await call<SyncResult>('POST', `/tenants/${tenant}/directory-services/${serviceId}/sync`, {
      dryRun: false,
    });
    expect(sync.body).toMatchObject({ disabled: 1, unchanged: 1 });
    expect((await mailboxes()).map((m) => [m.primaryAddress, m.enabled])).toEqual([
      ['isaiah.langer@fabrikam.onmicrosoft.com', true],
      ['nestor.wilke@fabrikam.onmicrosoft.com', false],
    ]);

    const pradeep = fabrikam.addUser('pradeep.gupta', { displayName: 'Pradeep Gupta' });
    const group = fabrikam.addGroup('Archive', [pradeep]);
    const scoped = await call<Record<string, unknown>>('POST', `/tenants/${tenant}/directory-services`, {
      name: 'Fabrikam archive group',
      type: 'm365',
      credentialsSecretId: secretId,
      applicationId: APPLICATION_ID,
      directoryId: fabrikam.id,
      groupId: group.id,
    });
    expect(scoped.body).toMatchObject({ groupId: group.id });
    const dry = await call<SyncResult>(
      'POST',
      `/tenants/${tenant}/directory-services/${scoped.body.id as string}/sync`,
      {
        dryRun: true,
      },
    );
    expect(dry.body.changes.map((c) => c.primaryAddress)).toEqual(['pradeep.gupta@fabrikam.onmicrosoft.com']);
  });

  it('answers a wrong secret with a clear 422 and a failed connection test, never a 5xx', async () => {
    const wrongId = (
      await call<{ id: string }>('POST', `/tenants/${tenant}/secrets`, {
        name: 'Old app secret',
        type: 'client-secret',
        clientSecret: 'Zz11Q~expired.secret-value-0000000000000',
      })
    ).body.id;
    const ds = await call<{ id: string }>('POST', `/tenants/${tenant}/directory-services`, {
      name: 'Fabrikam (old secret)',
      type: 'm365',
      credentialsSecretId: wrongId,
      applicationId: APPLICATION_ID,
      directoryId: fabrikam.id,
    });
    const sync = await call<Problem>('POST', `/tenants/${tenant}/directory-services/${ds.body.id}/sync`, {
      dryRun: true,
    });
    expect(sync.status).toBe(422);
    expect(sync.body.detail).toContain('AADSTS7000215');
    const test = await call<{ success: boolean; error: { category: string } }>(
      'POST',
      `/tenants/${tenant}/directory-services/${ds.body.id}/test-connection`,
    );
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ success: false, error: { category: 'authentication' } });
  });
});
