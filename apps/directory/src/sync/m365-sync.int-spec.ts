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
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { contractFailure, type FakeTenant, type RunningGraphFake, startGraphFake } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type DirectoryUnderTest, startDirectoryUnderTest } from '../test-support/directory-under-test.js';

/**
 * The m365 directory service as it runs (its schema, its handlers on a NATS server of its own)
 * against the Graph fake over HTTPS. The secrets service is stood in for by responders on this
 * private server that answer describe and resolve from a table, as the secrets service would.
 */
let graph: RunningGraphFake;
let directory: DirectoryUnderTest | undefined;
let bus: MessageBus;
let contoso: FakeTenant;

const tenant = randomUUID();
/** An Entra GUID that is not an RFC 4122 UUID (variant bits 0001): Entra issues such ids. */
const APPLICATION_ID = '9a0c0305-e82c-4f89-11d3-3f2504e04f89';
const CLIENT_SECRET = 'Qk8Q~5uWm3c.xZ1vG7rT-yB2nL4pH6jD9sF0aE8k';
const clientSecretId = randomUUID();
const wrongSecretId = randomUUID();
const basicSecretId = randomUUID();

const fail = contractFailure;

beforeAll(async () => {
  graph = await startGraphFake();
  contoso = graph.addTenant('contoso.onmicrosoft.com');
  contoso.addApplication({ clientId: APPLICATION_ID, secrets: [CLIENT_SECRET] });
  directory = await startDirectoryUnderTest('directory_m365', tenant, {
    m365: { authorityUrl: graph.origin, graphUrl: graph.origin },
  });
  bus = directory.bus;
  const { secrets } = directory;
  secrets.set(clientSecretId, { id: clientSecretId, type: 'client-secret', clientSecret: CLIENT_SECRET });
  secrets.set(wrongSecretId, {
    id: wrongSecretId,
    type: 'client-secret',
    clientSecret: 'not-the-secret~value',
  });
  secrets.set(basicSecretId, { id: basicSecretId, type: 'basic', username: 'svc', password: 'pw' });
});

afterAll(async () => {
  await directory?.stop();
  await graph?.stop();
});

const m365 = (name: string, settings: Record<string, unknown> = {}) =>
  bus.request(DIRECTORY_SERVICE_CREATE_V1, {
    tenantId: tenant,
    name,
    type: 'm365',
    settings: {
      credentialsSecretId: clientSecretId,
      applicationId: APPLICATION_ID,
      directoryId: contoso.id,
      ...settings,
    },
  });

const members = async (directoryServiceId: string) =>
  (await bus.request(MAILBOX_LIST_V1, { tenantId: tenant, directoryServiceId, limit: 100 })).items;

describe('m365 settings', () => {
  it('stores the settings, echoes Entra GUIDs as given and reports the secret as used', async () => {
    const upper = APPLICATION_ID.toUpperCase();
    const ds = await m365('Contoso (settings)', { applicationId: upper });
    expect(ds).toMatchObject({
      type: 'm365',
      disableMissing: false,
      settings: { credentialsSecretId: clientSecretId, applicationId: upper, directoryId: contoso.id },
    });
    const read = await bus.request(DIRECTORY_SERVICE_GET_V1, { tenantId: tenant, id: ds.id });
    expect(read.settings).toEqual(ds.settings);
    const used = await bus.request(DIRECTORY_REFERENCES_FIND_V1, {
      tenantId: tenant,
      kind: 'secret',
      id: clientSecretId,
    });
    expect(used.references).toContainEqual({
      kind: 'directory-service',
      id: ds.id,
      name: 'Contoso (settings)',
    });
  });

  it('refuses foreign, missing and malformed fields, and secrets that do not fit, as field errors', async () => {
    const foreign = await fail(m365('Bad 1', { serverName: 'ldap.contoso.com', groupId: 'not-a-guid' }));
    expect(foreign.code).toBe('VALIDATION');
    expect(foreign.fields).toEqual(
      expect.arrayContaining([
        { field: 'serverName', message: 'serverName is not a setting of a m365 directory service' },
        expect.objectContaining({ field: 'groupId' }),
      ]),
    );
    const missing = await fail(
      bus.request(DIRECTORY_SERVICE_CREATE_V1, {
        tenantId: tenant,
        name: 'Bad 2',
        type: 'm365',
        settings: {},
      }),
    );
    expect(missing.fields?.map((f) => f.field).sort()).toEqual([
      'applicationId',
      'credentialsSecretId',
      'directoryId',
    ]);
    const basic = await fail(m365('Bad 3', { credentialsSecretId: basicSecretId }));
    expect(basic.fields).toEqual([
      {
        field: 'credentialsSecretId',
        message:
          'credentialsSecretId must name a certificate or client-secret secret for a m365 directory service (this one is basic)',
      },
    ]);
    const unknown = await fail(m365('Bad 4', { credentialsSecretId: randomUUID() }));
    expect(unknown.fields?.[0]?.field).toBe('credentialsSecretId');
    const onStatic = await fail(
      bus.request(DIRECTORY_SERVICE_CREATE_V1, {
        tenantId: tenant,
        name: 'Bad 5',
        type: 'static',
        settings: { applicationId: APPLICATION_ID },
      }),
    );
    expect(onStatic.fields).toEqual([
      { field: 'applicationId', message: 'applicationId is not a setting of a static directory service' },
    ]);
    const ldap = await fail(
      bus.request(DIRECTORY_SERVICE_CREATE_V1, {
        tenantId: tenant,
        name: 'Bad 6',
        type: 'active-directory' as 'static',
      }),
    );
    expect(ldap.fields?.[0]?.field).toBe('type');
  });
});

describe('m365 sync (D4)', () => {
  it('lists on a dry run, creates on a commit, skips guests and users without a mailbox, and disables what left', async () => {
    const adele = contoso.addUser('adele.vance', {
      displayName: 'Adele Vance',
      proxyAddresses: [
        'SMTP:adele.vance@contoso.onmicrosoft.com',
        'smtp:adele@contoso.com',
        'SIP:adele.vance@contoso.onmicrosoft.com',
      ],
    });
    const alex = contoso.addUser('alex.wilber', { displayName: 'Alex Wilber' });
    contoso.addUser('partner', { userType: 'Guest', mail: 'partner@fabrikam.com' });
    contoso.addUser('scanner', { displayName: 'Scanner (no licence)', mailbox: false });
    contoso.addUser('no-mail', { mail: null, mailbox: false });
    const ds = await m365('Contoso');

    const dry = await bus.request(DIRECTORY_SERVICE_SYNC_V1, { tenantId: tenant, id: ds.id, dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      created: 2,
      updated: 0,
      disabled: 0,
      unchanged: 0,
      errors: [],
    });
    expect(dry.changes).toEqual(
      expect.arrayContaining([
        {
          action: 'create',
          primaryAddress: 'adele.vance@contoso.onmicrosoft.com',
          displayName: 'Adele Vance',
          secondaryAddresses: ['adele@contoso.com'],
          enabled: true,
        },
        expect.objectContaining({ action: 'create', primaryAddress: 'alex.wilber@contoso.onmicrosoft.com' }),
      ]),
    );
    expect(await members(ds.id)).toEqual([]);

    const commit = await bus.request(DIRECTORY_SERVICE_SYNC_V1, {
      tenantId: tenant,
      id: ds.id,
      dryRun: false,
    });
    expect(commit).toMatchObject({ dryRun: false, created: 2, unchanged: 0 });
    const created = await members(ds.id);
    expect(created.map((m) => [m.primaryAddress, m.origin, m.enabled, m.directoryServiceId])).toEqual([
      ['adele.vance@contoso.onmicrosoft.com', 'directory', true, ds.id],
      ['alex.wilber@contoso.onmicrosoft.com', 'directory', true, ds.id],
    ]);
    expect(
      (await bus.request(DIRECTORY_SERVICE_GET_V1, { tenantId: tenant, id: ds.id })).lastSync,
    ).toMatchObject({
      created: 2,
    });

    const again = await bus.request(DIRECTORY_SERVICE_SYNC_V1, {
      tenantId: tenant,
      id: ds.id,
      dryRun: false,
    });
    expect(again).toMatchObject({ created: 0, updated: 0, disabled: 0, unchanged: 2, changes: [] });

    contoso.users.splice(contoso.users.indexOf(alex), 1);
    // Entra renames the user: the fake's state is plain data, replaced as a rename would.
    contoso.users.splice(contoso.users.indexOf(adele), 1, { ...adele, displayName: 'Adele Vance (Sales)' });
    const kept = await bus.request(DIRECTORY_SERVICE_SYNC_V1, { tenantId: tenant, id: ds.id, dryRun: false });
    expect(kept).toMatchObject({ updated: 1, disabled: 0, unchanged: 1 });
    const disabling = await bus.request(DIRECTORY_SERVICE_SYNC_V1, {
      tenantId: tenant,
      id: ds.id,
      dryRun: false,
      disableMissing: true,
    });
    expect(disabling).toMatchObject({ disabled: 1, unchanged: 1 });
    expect(disabling.changes).toEqual([
      {
        action: 'disable',
        primaryAddress: 'alex.wilber@contoso.onmicrosoft.com',
        displayName: 'Alex Wilber',
        secondaryAddresses: [],
        enabled: false,
      },
    ]);
    const after = await members(ds.id);
    expect(after.map((m) => [m.displayName, m.enabled])).toEqual([
      ['Adele Vance (Sales)', true],
      ['Alex Wilber', false],
    ]);
  });

  it('limits the set to the transitive members of the group, and reports an address another mailbox uses', async () => {
    const megan = contoso.addUser('megan.bowen', { displayName: 'Megan Bowen' });
    const lee = contoso.addUser('lee.gu', { displayName: 'Lee Gu' });
    const nested = contoso.addGroup('Legal', [lee]);
    const group = contoso.addGroup('Archive scope', [megan, nested]);
    await bus.request(MAILBOX_CREATE_V1, {
      tenantId: tenant,
      primaryAddress: 'Lee.Gu@contoso.onmicrosoft.com',
    });
    const ds = await m365('Contoso (group)', { groupId: group.id.toUpperCase() });

    const result = await bus.request(DIRECTORY_SERVICE_SYNC_V1, {
      tenantId: tenant,
      id: ds.id,
      dryRun: false,
    });
    expect(result).toMatchObject({
      created: 1,
      errors: [
        {
          entry: 'lee.gu@contoso.onmicrosoft.com',
          message:
            'the address lee.gu@contoso.onmicrosoft.com is already used by mailbox Lee.Gu@contoso.onmicrosoft.com',
        },
      ],
    });
    expect((await members(ds.id)).map((m) => m.primaryAddress)).toEqual([
      'megan.bowen@contoso.onmicrosoft.com',
    ]);
  });

  it('finds an address of another mailbox written differently (Unicode domain, case) before writing', async () => {
    const user = contoso.addUser('vertrieb', {
      displayName: 'Vertrieb',
      proxyAddresses: ['SMTP:vertrieb@contoso.onmicrosoft.com', 'smtp:verkauf@bücher.example'],
    });
    await bus.request(MAILBOX_CREATE_V1, {
      tenantId: tenant,
      primaryAddress: 'VERKAUF@xn--bcher-kva.example',
    });
    const ds = await m365('Contoso (IDN)');
    const dry = await bus.request(DIRECTORY_SERVICE_SYNC_V1, { tenantId: tenant, id: ds.id, dryRun: true });
    expect(dry.errors).toContainEqual({
      entry: 'vertrieb@contoso.onmicrosoft.com',
      message:
        'the address verkauf@xn--bcher-kva.example is already used by mailbox VERKAUF@xn--bcher-kva.example',
    });
    contoso.users.splice(contoso.users.indexOf(user), 1);
  });

  it('waits as Graph asks when it throttles, and lists the same changes', async () => {
    const ds = await m365('Contoso (throttled)');
    const calm = await bus.request(DIRECTORY_SERVICE_SYNC_V1, { tenantId: tenant, id: ds.id, dryRun: true });
    graph.setFaults({ throttleFraction: 0.3, retryAfterSeconds: 1 });
    try {
      const throttledBefore = graph.counters.throttled;
      const stormy = await bus.request(DIRECTORY_SERVICE_SYNC_V1, {
        tenantId: tenant,
        id: ds.id,
        dryRun: true,
      });
      expect(graph.counters.throttled).toBeGreaterThan(throttledBefore);
      expect(graph.counters.earlyRetries).toBe(0);
      expect(stormy.changes).toEqual(calm.changes);
      expect(stormy.errors).toEqual(calm.errors);
    } finally {
      graph.setFaults({});
    }
  });

  it('fails clearly with a wrong secret, and the connection test names the category', async () => {
    const ds = await m365('Contoso (wrong secret)', { credentialsSecretId: wrongSecretId });
    const error = await fail(
      bus.request(DIRECTORY_SERVICE_SYNC_V1, { tenantId: tenant, id: ds.id, dryRun: true }),
    );
    expect(error).toMatchObject({ code: 'RULE_VIOLATION', reason: 'directory_source_authentication' });
    expect(error.message).toContain('AADSTS7000215');

    const test = await bus.request(DIRECTORY_SERVICE_TEST_CONNECTION_V1, { tenantId: tenant, id: ds.id });
    expect(test).toMatchObject({ success: false, error: { category: 'authentication' } });
    expect(test.steps.map((s) => [s.name, s.status])).toEqual([
      ['acquire token', 'failed'],
      ['list users', 'skipped'],
    ]);

    const fixed = await bus.request(DIRECTORY_SERVICE_UPDATE_V1, {
      tenantId: tenant,
      id: ds.id,
      settings: { credentialsSecretId: clientSecretId },
    });
    expect(fixed.settings).toMatchObject({
      credentialsSecretId: clientSecretId,
      applicationId: APPLICATION_ID,
    });
    const ok = await bus.request(DIRECTORY_SERVICE_TEST_CONNECTION_V1, { tenantId: tenant, id: ds.id });
    expect(ok).toMatchObject({ success: true });
    expect(ok.steps.map((s) => s.status)).toEqual(['ok', 'ok']);
  });
});
