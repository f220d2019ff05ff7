import { generateKeyPairSync } from 'node:crypto';

import {
  CONNECTOR_TEST_CONNECTION_V1,
  type ConnectorTestConnectionRequest,
  type TestConnectionResult,
} from '@mailkeep/contracts';
import type { RunningPlatform } from '@mailkeep/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Archiving profiles end to end (issue 5): every cell of the property table through HTTP, the
 * boundaries, P1 search, P4 type immutability, If-Match, guarded deletes and test connection —
 * against the real secrets, directory and scheduler services; a connector is played by this test
 * on the platform's NATS where none exists yet.
 */
let bootstrapKey = '';
let started: E2ePlatform;
let platform: RunningPlatform;
let nats: NatsConnection;
let tenant = '';
let admin = '';
const ids = { basic: '', clientSecret: '', serviceAccount: '', mailbox: '', member: '', directory: '' };

interface Reply<T> {
  status: number;
  body: T;
  etag: string | null;
}
interface Problem {
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
  references?: { kind: string; id: string; name?: string }[];
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const isText = typeof body === 'string';
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${path === '/tenants' ? bootstrapKey : admin}`,
      ...(body !== undefined && { 'content-type': isText ? 'text/csv' : 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: isText ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    etag: response.headers.get('etag'),
  };
}

const profilesOf = (path = '') => `/tenants/${tenant}/archiving-profiles${path}`;
let counter = 0;
const uniqueName = () => `Profile ${++counter}`;

beforeAll(async () => {
  started = await startE2ePlatform({
    database: 'profiles_e2e',
    // No connector: the test-connection tests answer for the Exchange one themselves (or find
    // nobody answering), as a platform whose Exchange pool is down or elsewhere would.
    services: CORE_SERVICES,
  });
  ({ platform, bootstrapKey } = started);
  nats = await connect({ servers: platform.natsUrl });
  tenant = (await call<{ id: string }>('POST', '/tenants', { name: 'Profiles Inc' })).body.id;
  const key = await fetch(`${platform.baseUrl}/api/v1/tenants/${tenant}/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bootstrapKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', role: 'admin' }),
  });
  admin = ((await key.json()) as { key: string }).key;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secret = async (body: Record<string, unknown>) => {
    const created = await call<{ id: string }>('POST', `/tenants/${tenant}/secrets`, body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  };
  ids.basic = await secret({ name: 'imap login', type: 'basic', username: 'archiver', password: 'pw-1' });
  ids.clientSecret = await secret({ name: 'entra app', type: 'client-secret', clientSecret: 'cs-1' });
  ids.serviceAccount = await secret({
    name: 'google sa',
    type: 'google-service-account',
    serviceAccountKey: {
      type: 'service_account',
      client_email: 'archiver@project.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: 'https://oauth2.googleapis.com/token',
    },
  });
  const mailbox = await call<{ id: string }>('POST', `/tenants/${tenant}/mailboxes`, {
    primaryAddress: 'sales@example.com',
  });
  expect(mailbox.status, JSON.stringify(mailbox.body)).toBe(201);
  ids.mailbox = mailbox.body.id;
  const directory = await call<{ id: string }>('POST', `/tenants/${tenant}/directory-services`, {
    name: 'Staff',
    type: 'static',
  });
  expect(directory.status, JSON.stringify(directory.body)).toBe(201);
  ids.directory = directory.body.id;
  const imported = await call(
    'POST',
    `/tenants/${tenant}/mailboxes:import?directoryServiceId=${ids.directory}`,
    'primaryAddress,displayName,secondaryAddresses\r\nmember@example.com,Member,\r\n',
  );
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const members = await call<{ items: { id: string }[] }>(
    'GET',
    `/tenants/${tenant}/mailboxes?directoryServiceId=${ids.directory}`,
  );
  ids.member = members.body.items[0]?.id ?? '';
}, 120_000);

afterAll(async () => {
  await nats?.close();
  await started?.stop();
});

type ProfileType = 'imap' | 'pop3' | 'exchange' | 'm365' | 'google-workspace';
type Mode = 'single' | 'multiple';
const table: Record<
  string,
  Partial<Record<ProfileType, 'req' | 'opt' | 'single' | 'multiple' | 'single-opt'>>
> = {
  mailboxId: {
    imap: 'single',
    pop3: 'single',
    exchange: 'single',
    m365: 'single',
    'google-workspace': 'single',
  },
  directoryServiceId: {
    imap: 'multiple',
    exchange: 'multiple',
    m365: 'multiple',
    'google-workspace': 'multiple',
  },
  serverName: { imap: 'req', pop3: 'req', exchange: 'req' },
  port: { imap: 'opt', pop3: 'opt' },
  protocol: { imap: 'req', pop3: 'req' },
  timeoutSeconds: { imap: 'opt', pop3: 'opt', exchange: 'opt' },
  sourceMailbox: { exchange: 'single-opt', m365: 'single-opt', 'google-workspace': 'single-opt' },
  applicationId: { m365: 'req' },
  directoryId: { m365: 'req' },
  ignoreTlsCertificateErrors: { imap: 'opt', pop3: 'opt', exchange: 'opt' },
  folders: { imap: 'opt', exchange: 'opt', m365: 'opt', 'google-workspace': 'opt' },
};

function value(property: string, type: ProfileType): unknown {
  const values: Record<string, unknown> = {
    mailboxId: ids.mailbox,
    directoryServiceId: ids.directory,
    serverName: 'mail.example.com',
    port: 1993,
    protocol: type === 'pop3' ? 'pop-ssl' : 'imap-ssl',
    timeoutSeconds: 30,
    sourceMailbox: 'journal@example.com',
    applicationId: '0b7a9c57-1d5e-4a8b-9f3c-2e6d4b1a0c9e',
    directoryId: '7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f',
    ignoreTlsCertificateErrors: false,
    folders: { include: [], exclude: ['Archive'], excludeDefaults: true },
  };
  return values[property];
}

function cellUse(property: string, type: ProfileType, mode: Mode): 'required' | 'optional' | 'forbidden' {
  const cell = table[property]?.[type];
  if (cell === undefined) return 'forbidden';
  if (cell === 'single' || cell === 'multiple') return cell === mode ? 'required' : 'forbidden';
  if (cell === 'single-opt') return mode === 'single' ? 'optional' : 'forbidden';
  return cell === 'req' ? 'required' : 'optional';
}

function minimal(type: ProfileType, mode: Mode): Record<string, unknown> {
  const secret =
    type === 'm365' ? ids.clientSecret : type === 'google-workspace' ? ids.serviceAccount : ids.basic;
  const profile: Record<string, unknown> = { name: uniqueName(), type, mode, credentialsSecretId: secret };
  for (const property of Object.keys(table)) {
    if (cellUse(property, type, mode) === 'required') profile[property] = value(property, type);
  }
  return profile;
}

const combinations: [ProfileType, Mode][] = [
  ['imap', 'single'],
  ['imap', 'multiple'],
  ['pop3', 'single'],
  ['exchange', 'single'],
  ['exchange', 'multiple'],
  ['m365', 'single'],
  ['m365', 'multiple'],
  ['google-workspace', 'single'],
  ['google-workspace', 'multiple'],
];

describe('the property table through HTTP', () => {
  it.each(combinations)('%s in %s mode: every cell', async (type, mode) => {
    const created = await call('POST', profilesOf(), minimal(type, mode));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (const property of Object.keys(table)) {
      const use = cellUse(property, type, mode);
      if (use === 'required') {
        const profile = minimal(type, mode);
        delete profile[property];
        const missing = await call<Problem>('POST', profilesOf(), profile);
        expect(missing.status, `${type}/${mode} without ${property}`).toBe(400);
        expect(missing.body.errors?.map((e) => e.field)).toEqual([property]);
      } else {
        const present = await call<Problem>('POST', profilesOf(), {
          ...minimal(type, mode),
          [property]: value(property, type),
        });
        if (use === 'optional') expect(present.status, `${type}/${mode} with ${property}`).toBe(201);
        else {
          expect(present.status, `${type}/${mode} with ${property}`).toBe(400);
          expect(present.body.errors?.map((e) => e.field)).toEqual([property]);
        }
      }
    }
  });
});

describe('boundaries', () => {
  const imap = (extra: Record<string, unknown>) =>
    call<Problem & { port?: number; timeoutSeconds?: number }>('POST', profilesOf(), {
      ...minimal('imap', 'single'),
      ...extra,
    });
  const refused = async (extra: Record<string, unknown>, field: string) => {
    const reply = await imap(extra);
    expect(reply.status, JSON.stringify(extra)).toBe(400);
    expect(reply.body.errors?.map((e) => e.field)).toContain(field);
  };

  it('checks ports, server names and timeouts', async () => {
    for (const port of [-1, 65536, '993', 993.5]) await refused({ port }, 'port');
    for (const port of [0, 65535]) expect((await imap({ port })).status).toBe(201);
    for (const serverName of ['imap://host', 'host:993', 'host/path', 'user@host', 'mail example.com', '']) {
      await refused({ serverName }, 'serverName');
    }
    for (const serverName of ['192.0.2.7', '2001:db8::7', 'mail.bücher.example']) {
      expect((await imap({ serverName })).status, serverName).toBe(201);
    }
    for (const timeoutSeconds of [9, 601]) await refused({ timeoutSeconds }, 'timeoutSeconds');
    expect((await imap({ timeoutSeconds: '' })).body.timeoutSeconds).toBe(60);
    expect((await imap({})).body).toMatchObject({ port: 993, timeoutSeconds: 60 });
    expect((await imap({ protocol: 'imap-tls' })).body.port).toBe(143);
  });

  it('refuses POP3 in multiple mode, a protocol of another type and an unfit secret', async () => {
    const pop = await call<Problem>('POST', profilesOf(), { ...minimal('pop3', 'single'), mode: 'multiple' });
    expect(pop.status).toBe(400);
    expect(pop.body.errors?.map((e) => e.field)).toContain('mode');
    await refused({ protocol: 'pop-tls' }, 'protocol');
    await refused({ credentialsSecretId: ids.clientSecret }, 'credentialsSecretId');
    await refused({ credentialsSecretId: '00000000-0000-4000-8000-000000000000' }, 'credentialsSecretId');
    await refused({ mailboxId: '00000000-0000-4000-8000-000000000000' }, 'mailboxId');
  });
});

describe('Entra GUIDs (issue 19)', () => {
  // Entra issues GUIDs that are not RFC 4122 UUIDs (no version or variant nibble); an
  // 8-4-4-4-12 hex value in either case is accepted, stored lower-case and shown again.
  it.each([
    ['a non-RFC 4122 GUID', '9a0c0305-e82c-4f89-11d3-3f2504e04f89', '6f1d9b2e-3c4a-0d5e-c8f7-2a1b3c4d5e6f'],
    ['upper case', '9A0C0305-E82C-4F89-11D3-3F2504E04F89', '72F988BF-86F1-41AF-91AB-2D7CD011DB47'],
    [
      'real ids as Entra shows them',
      '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
    ],
  ])('%s → 201, and GET returns it', async (_case, applicationId, directoryId) => {
    const created = await call<{ id: string; applicationId: string; directoryId: string }>(
      'POST',
      profilesOf(),
      { ...minimal('m365', 'single'), applicationId, directoryId },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const read = await call<{ applicationId: string; directoryId: string }>(
      'GET',
      profilesOf(`/${created.body.id}`),
    );
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({
      applicationId: applicationId.toLowerCase(),
      directoryId: directoryId.toLowerCase(),
    });
  });
});

describe('editing, naming and search', () => {
  it('keeps the type, checks versions and names', async () => {
    const created = await call<{ id: string; version: number }>('POST', profilesOf(), {
      ...minimal('imap', 'single'),
      name: 'Sales IMAP',
    });
    const path = profilesOf(`/${created.body.id}`);
    expect(created.etag).toBe('"1"');
    const typeChange = await call<Problem>('PATCH', path, { type: 'pop3' });
    expect(typeChange.status).toBe(422);
    expect(typeChange.body.errors?.map((e) => e.field)).toEqual(['type']);
    const sameType = await call<{ version: number; name: string }>(
      'PATCH',
      path,
      { type: 'imap', name: 'Sales IMAP EU' },
      {
        'if-match': '"1"',
      },
    );
    expect(sameType.status).toBe(200);
    expect(sameType.body).toMatchObject({ version: 2, name: 'Sales IMAP EU' });
    expect((await call('PATCH', path, { name: 'Late' }, { 'if-match': '"1"' })).status).toBe(412);
    const badPort = await call<Problem>('PATCH', path, { port: 70000 });
    expect(badPort.body.errors?.map((e) => e.field)).toEqual(['port']);
    const duplicate = await call<Problem>('POST', profilesOf(), {
      ...minimal('imap', 'single'),
      name: 'sales imap eu',
    });
    expect(duplicate.status).toBe(409);
  });

  it('searches by name part and by whole id, % and _ literal, in pages', async () => {
    const special = await call<{ id: string }>('POST', profilesOf(), {
      ...minimal('imap', 'single'),
      name: 'Promo_50% off',
    });
    const find = async (search: string) =>
      (
        await call<{ items: { id: string }[] }>('GET', profilesOf(`?search=${encodeURIComponent(search)}`))
      ).body.items.map((p) => p.id);
    expect(await find('PROMO_50')).toEqual([special.body.id]);
    expect(await find('_50%')).toEqual([special.body.id]);
    expect(await find(special.body.id.toUpperCase())).toEqual([special.body.id]);
    expect(await find(special.body.id.slice(0, 13))).toEqual([]);
    expect(await find('%')).toEqual([special.body.id]);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Reply<{ items: { id: string }[]; nextCursor: string | null }> = await call(
        'GET',
        profilesOf(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`),
      );
      page.body.items.forEach((p) => seen.add(p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await call<{ items: unknown[] }>('GET', profilesOf('?limit=200'));
    expect(seen.size).toBe(all.body.items.length);
  });
});

describe('deletes guarded across services', () => {
  it('asks the real scheduler: 409 naming a schedule, 204 then 404 when unused', async () => {
    const used = await call<{ id: string }>('POST', profilesOf(), minimal('imap', 'single'));
    const unused = await call<{ id: string }>('POST', profilesOf(), minimal('imap', 'single'));
    const schedule = await call<{ id: string }>('POST', profilesOf(`/${used.body.id}/schedules`), {
      name: 'Nightly',
      timezone: 'Europe/Berlin',
      recurrence: { type: 'daily', times: ['02:00'] },
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);

    const refused = await call<Problem>('DELETE', profilesOf(`/${used.body.id}`));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('Nightly');
    expect(refused.body.references).toEqual([{ kind: 'schedule', id: schedule.body.id, name: 'Nightly' }]);
    expect((await call('DELETE', profilesOf(`/${unused.body.id}`))).status).toBe(204);
    expect((await call('GET', profilesOf(`/${unused.body.id}`))).status).toBe(404);
  });

  it('answers for the secrets and directory services: a used secret, mailbox or directory service cannot go', async () => {
    const secret = await call<Problem>('DELETE', `/tenants/${tenant}/secrets/${ids.basic}`);
    expect(secret.status).toBe(409);
    expect(secret.body.references?.some((r) => r.kind === 'archiving-profile')).toBe(true);
    const mailbox = await call<Problem>('DELETE', `/tenants/${tenant}/mailboxes/${ids.mailbox}`);
    expect(mailbox.status).toBe(409);
    // The property-table walk created multiple-mode profiles on this directory service.
    const directory = await call<Problem>('DELETE', `/tenants/${tenant}/directory-services/${ids.directory}`);
    expect(directory.status).toBe(409);
    expect(directory.body.references?.some((r) => r.kind === 'archiving-profile')).toBe(true);
  });
});

describe('test connection', () => {
  // Exchange: the platform runs no Exchange connector yet, so this test plays it (IMAP and POP3
  // connectors run in the platform and answer for themselves).
  it('needs a connector of the type, and a mailbox in multiple mode', async () => {
    const single = await call<{ id: string }>('POST', profilesOf(), minimal('exchange', 'single'));
    const none = await call<Problem>('POST', profilesOf(`/${single.body.id}/test-connection`), {});
    expect(none.status).toBe(503);
    expect(none.body.code).toBe('connector_unavailable');
    const multiple = await call<{ id: string }>('POST', profilesOf(), minimal('exchange', 'multiple'));
    const withoutMailbox = await call<Problem>(
      'POST',
      profilesOf(`/${multiple.body.id}/test-connection`),
      {},
    );
    expect(withoutMailbox.status).toBe(400);
    expect(withoutMailbox.body.errors?.map((e) => e.field)).toEqual(['mailboxId']);
  });

  it('passes the profile and mailbox to the connector, and its result back', async () => {
    const seen: ConnectorTestConnectionRequest[] = [];
    const result: TestConnectionResult = {
      success: false,
      durationMs: 12,
      steps: [{ name: 'authenticate', status: 'failed', durationMs: 5, detail: 'NO [AUTHENTICATIONFAILED]' }],
      error: {
        category: 'authentication',
        message: 'The server refused the credentials',
        serverMessage: '[AUTHENTICATIONFAILED] Authentication failed.',
      },
      transcript: 'S: * OK ready\nC: a1 LOGIN ***\nS: a1 NO [AUTHENTICATIONFAILED]',
    };
    const connector = nats.subscribe(CONNECTOR_TEST_CONNECTION_V1.exchange.subject, {
      queue: 'connector-exchange',
      callback: (_error, msg) => {
        seen.push(msg.json<ConnectorTestConnectionRequest>());
        msg.respond(JSON.stringify(result));
      },
    });
    await nats.flush();
    try {
      const multiple = await call<{ id: string }>('POST', profilesOf(), minimal('exchange', 'multiple'));
      const tested = await call<TestConnectionResult>(
        'POST',
        profilesOf(`/${multiple.body.id}/test-connection`),
        {
          mailboxId: ids.member,
        },
      );
      expect(tested.status).toBe(200);
      expect(tested.body).toEqual(result);
      expect(seen[0]).toMatchObject({
        tenantId: tenant,
        mailbox: { id: ids.member, primaryAddress: 'member@example.com' },
      });
      expect(seen[0]?.profile).toMatchObject({
        type: 'exchange',
        serverName: 'mail.example.com',
        timeoutSeconds: 60,
      });
      expect(JSON.stringify(seen[0])).not.toContain('pw-1');

      const draft = await call<TestConnectionResult>(
        'POST',
        profilesOf('/test-connection'),
        minimal('exchange', 'single'),
      );
      expect(draft.status).toBe(200);
      expect(seen[1]?.mailbox.id).toBe(ids.mailbox);
      const wrongMailbox = await call<Problem>('POST', profilesOf(`/${multiple.body.id}/test-connection`), {
        mailboxId: ids.mailbox,
      });
      expect(wrongMailbox.status).toBe(400);
    } finally {
      connector.unsubscribe();
    }
  });
});

describe('schedules from a profile (P6)', () => {
  it('creates the schedule with the profile as target in the real scheduler', async () => {
    const profile = await call<{ id: string }>('POST', profilesOf(), minimal('imap', 'single'));
    const schedule = {
      name: 'Nightly P6',
      enabled: true,
      timezone: 'Europe/Berlin',
      recurrence: { type: 'daily', times: ['02:00'] },
    };
    const created = await call<{ id: string; target: unknown; nextRuns: string[] }>(
      'POST',
      profilesOf(`/${profile.body.id}/schedules`),
      schedule,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.target).toEqual({ kind: 'archiving-profile', profileId: profile.body.id });
    expect(created.body.nextRuns).toHaveLength(5);
    expect(
      (await call('POST', profilesOf(`/${profile.body.id}/schedules`), { ...schedule, target: {} })).status,
    ).toBe(400);
    expect(
      (await call('POST', profilesOf('/00000000-0000-4000-8000-000000000000/schedules'), schedule)).status,
    ).toBe(404);
  });
});

describe('events', () => {
  it('publishes profile.evt.profile.created.v1', async () => {
    const jsm = await jetstreamManager(nats);
    const last = await jsm.streams.getMessage('DOMAIN_EVENTS', {
      last_by_subj: 'profile.evt.profile.created.v1',
    });
    expect(last?.json<{ tenantId: string }>().tenantId).toBe(tenant);
  });
});
