import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { SECRET_CREATE_V2, SECRET_RESOLVE_V2, SECRET_UPDATE_V2 } from '@mailkeep/contracts';
import {
  callApi,
  createTenantWithAdmin,
  type RunningDovecot,
  type RunningPlatform,
  startDovecot,
  type TestDatabase,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type Fixture,
  isWrite,
  pathFor,
  queryFor,
  SAMPLE_BODIES,
  type SampleBody,
} from './support/security-sweep.js';
import { fetchOperations, type Operation } from './support/openapi-operations.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * The security suite of issue 17, on one platform (api, secrets, directory, profiles, scheduler,
 * catalog, the IMAP connector) archiving from a real Dovecot with two tenants:
 * - a tenant-isolation sweep generated from the OpenAPI document: every route called with the
 *   other tenant's ids both ways, and with the auditor's key on every write;
 * - secret-leak scans with recognisable values: every API answer, the services' logs, every
 *   JetStream stream (KV buckets included), a pg_dump of the database, and every message a raw
 *   client of the unauthenticated NATS saw, resolve replies included (item 9, decision 0022).
 * Hostile input on every route is test/hostile-input.e2e-spec.ts.
 */
let bootstrapKey = '';
/** Recognisable plaintexts: none may appear anywhere but in the request that set them. */
const plaintexts = {
  a: `Sekret-A-${randomBytes(12).toString('hex')}`,
  b: `Sekret-B-${randomBytes(12).toString('hex')}`,
  clientSecret: `ClientSekret-${randomBytes(12).toString('hex')}`,
};

let started: E2ePlatform;
let database: TestDatabase;
let dovecot: RunningDovecot;
let platform: RunningPlatform;
let sniffer: NatsConnection;
const sniffed: { subject: string; data: string }[] = [];
/** Every answer the API gave in this file, for the leak scan. */
const answers: string[] = [];
let operations: Operation[] = [];
const tenants: Record<'a' | 'b', Fixture & { adminKey: string }> = {} as never;
let auditorKey = '';

async function api(key: string, method: string, path: string, body?: SampleBody) {
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method: method.toUpperCase(),
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': body.contentType }),
    },
    ...(body !== undefined && { body: body.text }),
  });
  // Server-sent events never end: their status is all the sweep needs.
  const text = response.headers.get('content-type')?.startsWith('text/event-stream')
    ? (await response.body?.cancel(), '')
    : await response.text();
  answers.push(text);
  return { status: response.status, text };
}

async function created(key: string, path: string, body: unknown): Promise<string> {
  const answer = await api(key, 'post', path, {
    contentType: 'application/json',
    text: JSON.stringify(body),
  });
  expect(answer.status, `${path}: ${answer.text}`).toBe(201);
  return (JSON.parse(answer.text) as { id: string }).id;
}

/** A tenant with one of every object: secrets, mailbox, directory, profile, schedule, a run, its messages. */
async function tenantWithEverything(name: string, mailUser: string, password: string) {
  const { tenantId, adminKey } = await createTenantWithAdmin(platform.baseUrl, bootstrapKey, name);
  const at = `/tenants/${tenantId}`;
  const secret = await created(adminKey, `${at}/secrets`, {
    name: 'dovecot login',
    type: 'basic',
    username: mailUser,
    password,
  });
  await created(adminKey, `${at}/secrets`, {
    name: 'app secret',
    type: 'client-secret',
    clientSecret: plaintexts.clientSecret,
    expiresAt: '2030-01-01T00:00:00.000Z',
  });
  const mailbox = await created(adminKey, `${at}/mailboxes`, { primaryAddress: `${mailUser}@example.com` });
  const directory = await created(adminKey, `${at}/directory-services`, { name: 'staff', type: 'static' });
  const profile = await created(adminKey, `${at}/archiving-profiles`, {
    name: 'dovecot',
    type: 'imap',
    mode: 'single',
    credentialsSecretId: secret,
    mailboxId: mailbox,
    serverName: '127.0.0.1',
    port: dovecot.ports.imaps,
    protocol: 'imap-ssl',
    ignoreTlsCertificateErrors: true,
    timeoutSeconds: 30,
  });
  // A connection test and a run: the secret is resolved over NATS both times.
  const tested = await api(adminKey, 'post', `${at}/archiving-profiles/${profile}/test-connection`, {
    contentType: 'application/json',
    text: '{}',
  });
  expect(JSON.parse(tested.text), tested.text).toMatchObject({ success: true });
  const schedule = await created(adminKey, `${at}/archiving-profiles/${profile}/schedules`, {
    name: 'nightly',
    timezone: 'UTC',
    recurrence: { type: 'daily', times: ['02:00'] },
  });
  const run = await created(adminKey, `${at}/schedules/${schedule}/run`, {});
  const message = await waitFor(
    async () => {
      const page = await callApi<{ items: { id: string }[] }>(
        platform.baseUrl,
        adminKey,
        'GET',
        `${at}/messages`,
      );
      return page.body.items[0]?.id;
    },
    { timeoutMs: 120_000, description: `${name}'s messages catalogued` },
  );
  const integrityCheck = await created(adminKey, `${at}/integrity-checks`, {});
  const keys = await callApi<{ items: { id: string }[] }>(
    platform.baseUrl,
    adminKey,
    'GET',
    `${at}/api-keys`,
  );
  const apiKey = keys.body.items[0]?.id ?? '';
  const fixture = {
    tenantId,
    adminKey,
    secrets: secret,
    mailboxes: mailbox,
    'directory-services': directory,
    'archiving-profiles': profile,
    schedules: schedule,
    runs: run,
    messages: message,
    'integrity-checks': integrityCheck,
    'api-keys': apiKey,
    tenants: tenantId,
    part: '2',
  };
  return fixture;
}

beforeAll(async () => {
  dovecot = await startDovecot({
    users: [
      { name: 'tenant-a', password: plaintexts.a },
      { name: 'tenant-b', password: plaintexts.b },
    ],
  });
  for (const user of ['tenant-a', 'tenant-b']) {
    await dovecot.deliver(user, 'INBOX', mail(`Hello ${user}`));
    await dovecot.deliver(user, 'INBOX', mail(`Report for ${user}`, 'report.txt'));
  }
  started = await startE2ePlatform({
    database: 'security_e2e',
    // Every profile of the fixture is an IMAP one: the other connectors would see nothing.
    services: [...CORE_SERVICES, 'connector-imap'],
    options: { mailServers: [dovecot] },
  });
  ({ platform, database, bootstrapKey } = started);
  // A local client of the platform's NATS, as `npm start` runs it (no users): it hears everything.
  sniffer = await connect({ servers: platform.natsUrl });
  sniffer.subscribe('>', {
    callback: (_error, msg) => {
      sniffed.push({ subject: msg.subject, data: msg.string() });
    },
  });
  await sniffer.flush();

  tenants.a = await tenantWithEverything('Isolation A Ltd', 'tenant-a', plaintexts.a);
  tenants.b = await tenantWithEverything('Isolation B Ltd', 'tenant-b', plaintexts.b);
  auditorKey = (
    await callApi<{ key: string }>(
      platform.baseUrl,
      tenants.a.adminKey,
      'POST',
      `/tenants/${tenants.a.tenantId}/api-keys`,
      {
        name: 'auditor',
        role: 'auditor',
      },
    )
  ).body.key;
  operations = await fetchOperations(platform.baseUrl);
}, 300_000);

afterAll(async () => {
  await sniffer?.close();
  await started?.stop();
  await dovecot?.stop();
});

function mail(subject: string, attachment?: string): Buffer {
  const headers = `From: sender@example.com\r\nTo: archive@example.com\r\nSubject: ${subject}\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\nMessage-ID: <${randomBytes(8).toString('hex')}@example.com>\r\nMIME-Version: 1.0\r\n`;
  if (attachment === undefined)
    return Buffer.from(`${headers}Content-Type: text/plain\r\n\r\nBody of ${subject}\r\n`);
  return Buffer.from(
    `${headers}Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n` +
      `--b1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=${attachment}\r\n\r\nfigures\r\n--b1--\r\n`,
  );
}

/** The body of a write for the given fixture, or undefined for a write without one. */
function bodyOf(operation: Operation, ids: Fixture): SampleBody | undefined {
  if (operation.bodyTypes.length === 0) return undefined;
  const sample = SAMPLE_BODIES[`${operation.method} ${operation.template}`];
  if (sample === undefined) throw new Error(`no sample body for ${operation.method} ${operation.template}`);
  return sample(ids, randomBytes(4).toString('hex'));
}

/** The other tenant's ids, or its tenant id, anywhere in a successful answer. */
function mentionsOf(text: string, fixture: Fixture): string[] {
  return Object.entries(fixture)
    .filter(([name, id]) => name !== 'part' && name !== 'adminKey' && text.includes(id))
    .map(([name]) => name);
}

describe('tenant isolation, swept from the OpenAPI document', () => {
  it('covers every operation: each has its probes or a reason', () => {
    expect(operations.length).toBeGreaterThan(50);
    // Every write has a sample body (or none in the document), every id a fixture object.
    const unprepared = operations.flatMap((operation) => {
      try {
        bodyOf(operation, tenants.b);
        pathFor(operation, tenants.b.tenantId, tenants.b);
        return [];
      } catch (error) {
        return [(error as Error).message];
      }
    });
    expect(unprepared).toEqual([]);
  });

  it("refuses a tenant's key on the other tenant's routes (403/404, never 2xx or 5xx)", async () => {
    const failures: string[] = [];
    for (const operation of operations.filter((o) => o.pathParams.includes('tenantId'))) {
      const path = pathFor(operation, tenants.b.tenantId, tenants.b) + queryFor(operation, tenants.b);
      const answer = await api(tenants.a.adminKey, operation.method, path, bodyOf(operation, tenants.b));
      if (![403, 404].includes(answer.status))
        failures.push(`${operation.method} ${path} → ${answer.status} ${answer.text.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  });

  it("refuses the other tenant's ids on a tenant's own routes, in paths, queries and bodies", async () => {
    const failures: string[] = [];
    let probes = 0;
    for (const operation of operations.filter((o) => o.pathParams.includes('tenantId'))) {
      const foreignIds = { ...tenants.b, tenantId: tenants.a.tenantId };
      const path = pathFor(operation, tenants.a.tenantId, foreignIds);
      const query = queryFor(operation, tenants.b);
      const body = bodyOf(operation, tenants.b);
      const inPath = operation.pathParams.some((p) => p !== 'tenantId');
      const inBodyOrQuery =
        query !== '' || (body !== undefined && mentionsOf(body.text, tenants.b).length > 0);
      if (!inPath && !inBodyOrQuery) continue;
      probes++;
      const answer = await api(tenants.a.adminKey, operation.method, path + query, body);
      const label = `${operation.method} ${path}${query} → ${answer.status} ${answer.text.slice(0, 160)}`;
      if (inPath) {
        // An object of the other tenant does not exist here.
        if (![403, 404].includes(answer.status)) failures.push(label);
      } else if (answer.status >= 500 || [401, 429].includes(answer.status)) {
        failures.push(label);
      } else if (answer.status < 300) {
        // A filter or reference by a foreign id: allowed only when nothing of the other tenant comes back
        // and nothing was done with its objects (a connection test with its secret must fail).
        const leaked = mentionsOf(answer.text, tenants.b);
        if (leaked.length > 0 || /"success":\s*true/.test(answer.text))
          failures.push(`${label} (${leaked.join()})`);
      }
    }
    expect(probes).toBeGreaterThan(25);
    expect(failures).toEqual([]);
  });

  it('refuses the auditor every write (403), and the tenant admin every operator route', async () => {
    const failures: string[] = [];
    for (const operation of operations.filter(isWrite)) {
      const path = pathFor(operation, tenants.a.tenantId, tenants.a) + queryFor(operation, tenants.a);
      const answer = await api(auditorKey, operation.method, path, bodyOf(operation, tenants.a));
      if (answer.status !== 403)
        failures.push(`auditor ${operation.method} ${path} → ${answer.status} ${answer.text.slice(0, 160)}`);
    }
    for (const operation of operations.filter((o) => !o.pathParams.includes('tenantId'))) {
      const path = pathFor(operation, tenants.a.tenantId, tenants.b);
      const answer = await api(tenants.a.adminKey, operation.method, path, bodyOf(operation, tenants.b));
      const refused = answer.status === 403 || answer.status === 404;
      // Public or self-describing routes (health, session, the tenant list) may answer, about the caller only.
      const harmless =
        answer.status < 300 && !isWrite(operation) && mentionsOf(answer.text, tenants.b).length === 0;
      if (!refused && !harmless)
        failures.push(`admin ${operation.method} ${path} → ${answer.status} ${answer.text.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  });
});

/** The requests that carry a secret's values, sealed to the secrets service (decision 0026). */
const SECRET_WRITES: readonly string[] = [SECRET_CREATE_V2.subject, SECRET_UPDATE_V2.subject];

describe('secret plaintexts stay secret (recognisable values, every place they could leak)', () => {
  const values = Object.values(plaintexts);
  const found = (where: string, text: string) =>
    values.filter((v) => text.includes(v)).map((v) => `${where}: ${v.slice(0, 12)}…`);

  it('appear in no API answer and no service log', () => {
    expect(answers.length).toBeGreaterThan(100);
    expect(answers.flatMap((text, i) => found(`answer ${i}`, text))).toEqual([]);
    const logs = platform.output();
    expect(logs).toContain('secret resolved');
    expect(found('logs', logs)).toEqual([]);
    // API keys are secrets too: the logs never hold one.
    expect([tenants.a.adminKey, tenants.b.adminKey, auditorKey].filter((key) => logs.includes(key))).toEqual(
      [],
    );
  });

  it('appear in no message of any JetStream stream or KV bucket', async () => {
    const jsm = await jetstreamManager(sniffer);
    const leaks: string[] = [];
    let scanned = 0;
    for await (const stream of jsm.streams.list()) {
      for (
        let seq = stream.state.first_seq;
        seq <= stream.state.last_seq && stream.state.messages > 0;
        seq++
      ) {
        const message = await jsm.streams.getMessage(stream.config.name, { seq }).catch(() => null);
        if (message === null) continue;
        scanned++;
        leaks.push(
          ...found(
            `${stream.config.name}#${seq}`,
            `${message.string()}${JSON.stringify(message.header ?? {})}`,
          ),
        );
      }
    }
    expect(scanned).toBeGreaterThan(10);
    expect(leaks).toEqual([]);
  });

  it('appear nowhere in a dump of the database (values are envelope-encrypted, keys hashed)', () => {
    const dump = execFileSync('pg_dump', ['--no-owner', database.url], {
      maxBuffer: 512 * 1024 * 1024,
    }).toString('utf8');
    expect(dump).toContain('dovecot login');
    expect(found('pg_dump', dump)).toEqual([]);
    expect([tenants.a.adminKey, tenants.b.adminKey, auditorKey].filter((key) => dump.includes(key))).toEqual(
      [],
    );
  });

  it('cannot be read off NATS by a local client: resolve replies are sealed to the requester (item 9)', () => {
    const requests = sniffed.filter((m) => m.subject === SECRET_RESOLVE_V2.subject);
    // Two connection tests and two runs resolved a secret: the sniffer saw the requests …
    expect(requests.length).toBeGreaterThanOrEqual(4);
    // … and the replies on their inboxes, sealed.
    const replies = sniffed.filter((m) => m.subject.startsWith('_INBOX') && m.data.includes('"senderKey"'));
    expect(replies.length).toBeGreaterThanOrEqual(requests.length);
    expect(sniffed.flatMap((m) => found(m.subject, m.data))).toEqual([]);
  });

  // The api seals a new or changed value to the secrets service (decision 0026): a local client of
  // the unauthenticated NATS of `npm start` hears the write and learns its tenant and length only.
  it('cannot be read off NATS when a secret is saved: create and update requests are sealed', () => {
    const writes = sniffed.filter((m) => SECRET_WRITES.includes(m.subject));
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(writes.every((m) => m.data.includes('"sealed"'))).toBe(true);
    expect(writes.flatMap((m) => found(m.subject, m.data))).toEqual([]);
  });
});
