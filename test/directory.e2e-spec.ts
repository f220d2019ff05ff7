import { type RunningPlatform, waitFor } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Mailboxes and directory services end to end (issue 4): the platform as the README starts it,
 * driven over HTTP. It runs on a NATS server of its own, so that its directory service never
 * shares a queue group with another test file's platform on the shared server.
 */
let bootstrapKey = '';
const ROWS = 10_000;
let started: E2ePlatform;
let platform: RunningPlatform;

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}
interface Mailbox {
  id: string;
  primaryAddress: string;
  secondaryAddresses: string[];
  displayName: string;
  directoryServiceId: string | null;
  enabled: boolean;
  origin: string;
}
interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  errors: { row: number; message: string }[];
}

async function call<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  options: { key?: string; contentType?: string } = {},
) {
  const raw = typeof body === 'string';
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.key ?? bootstrapKey}`,
      ...(body !== undefined && { 'content-type': options.contentType ?? 'application/json' }),
    },
    ...(body !== undefined && { body: raw ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

beforeAll(async () => {
  started = await startE2ePlatform({
    database: 'directory_e2e',
    services: CORE_SERVICES,
    env: { MAILKEEP_LOG_LEVEL: 'info' },
  });
  ({ platform, bootstrapKey } = started);
});

afterAll(async () => {
  await started?.stop();
});

describe('mailboxes and directory services over HTTP', () => {
  let tenantA = '';
  let tenantB = '';
  let adminB = '';
  let directoryServiceId = '';
  let someMailbox: Mailbox | undefined;

  it('sets up two tenants and waits for the directory service', async () => {
    tenantA = (await call<{ id: string }>('POST', '/tenants', { name: 'Directory A' })).body.id;
    tenantB = (await call<{ id: string }>('POST', '/tenants', { name: 'Directory B' })).body.id;
    adminB = (
      await call<{ key: string }>('POST', `/tenants/${tenantB}/api-keys`, { name: 'admin b', role: 'admin' })
    ).body.key;
    // The api is ready before the directory service necessarily is.
    await waitFor(async () => (await call('GET', `/tenants/${tenantA}/mailboxes`)).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: 'the directory service to answer',
    });
    const openapi = await call<{ paths: Record<string, unknown> }>('GET', '/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tenants/{tenantId}/mailboxes',
        '/api/v1/tenants/{tenantId}/mailboxes/{id}',
        '/api/v1/tenants/{tenantId}/directory-services/{id}/sync',
      ]),
    );
    expect(Object.keys(openapi.body.paths).filter((path) => path.includes('import'))).toEqual([
      '/api/v1/tenants/{tenantId}/mailboxes:import',
    ]);
  });

  it('creates a static directory service with a name unique in any case', async () => {
    const created = await call<{ id: string; type: string; memberCount: number }>(
      'POST',
      `/tenants/${tenantA}/directory-services`,
      { name: 'Imported staff', description: 'from HR', type: 'static' },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'static', memberCount: 0 });
    directoryServiceId = created.body.id;
    const duplicate = await call<Problem>('POST', `/tenants/${tenantA}/directory-services`, {
      name: 'IMPORTED STAFF',
      type: 'static',
    });
    expect(duplicate.status).toBe(409);
    const invalid = await call<Problem>('POST', `/tenants/${tenantA}/directory-services`, {
      name: 'x',
      type: 'active-directory',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.map((e) => e.field)).toEqual(['type']);
  });

  it('validates mailboxes in the directory service, with field names of the body', async () => {
    const unknownField = await call<Problem>('POST', `/tenants/${tenantA}/mailboxes`, {
      primaryAddress: 'a@example.com',
      colour: 'red',
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors?.map((e) => e.field)).toEqual(['colour']);
    const badAddresses = await call<Problem>('POST', `/tenants/${tenantA}/mailboxes`, {
      primaryAddress: 'not an address',
      secondaryAddresses: ['ok@example.com', 'a..b@example.com'],
    });
    expect(badAddresses.status).toBe(400);
    expect(badAddresses.body.errors?.map((e) => e.field)).toEqual(['primaryAddress', 'secondaryAddresses.1']);
    const made = await call<Mailbox>('POST', `/tenants/${tenantA}/mailboxes`, {
      primaryAddress: 'José@Exämple.DE',
      secondaryAddresses: ['Jose@example.de'],
      displayName: 'José',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      primaryAddress: 'José@xn--exmple-cua.de',
      origin: 'manual',
      enabled: true,
    });
    const taken = await call<Problem>('POST', `/tenants/${tenantA}/mailboxes`, {
      primaryAddress: 'JOSE@EXAMPLE.DE',
    });
    expect(taken.status).toBe(409);
  });

  it(`imports ${ROWS.toLocaleString('en')} mailboxes from one CSV request, keeping good rows around broken ones`, async () => {
    const lines = ['primaryAddress,displayName,secondaryAddresses'];
    for (let i = 0; i < ROWS; i++) {
      lines.push(`user${i}@bulk.example,"Doe, ""User"" ${i}",alias${i}@bulk.example;other${i}@bulk.example`);
      if (i === 5_000) lines.push('not an address,Broken,'); // row 5,003
      if (i === 7_000) lines.push('USER7000@bulk.example,Duplicate,'); // row 7,004
    }
    const csv = `\uFEFF${lines.join('\r\n')}\r\n`;
    const path = `/tenants/${tenantA}/mailboxes:import?directoryServiceId=${directoryServiceId}`;
    const started = performance.now();
    const first = await call<ImportResult>('POST', path, csv, { contentType: 'text/csv' });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`CSV import: ${ROWS} rows in ${seconds.toFixed(2)} s\n`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: ROWS, updated: 0, unchanged: 0 });
    expect(first.body.errors.map((e) => e.row)).toEqual([5_003, 7_004]);
    expect(first.body.errors[1]?.message).toContain('row 7003');

    const againStarted = performance.now();
    const again = await call<ImportResult>('POST', path, csv, { contentType: 'text/csv' });
    const againSeconds = (performance.now() - againStarted) / 1000;
    process.stdout.write(`CSV re-import: ${ROWS} rows unchanged in ${againSeconds.toFixed(2)} s\n`);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: ROWS });
    expect(again.body.errors).toHaveLength(2);

    const one = await call<{ items: Mailbox[] }>('GET', `/tenants/${tenantA}/mailboxes?search=user4242@`);
    expect(one).toMatchObject({ status: 200, body: {} });
    someMailbox = one.body.items[0];
    expect(someMailbox).toMatchObject({
      primaryAddress: 'user4242@bulk.example',
      displayName: 'Doe, "User" 4242',
      secondaryAddresses: ['alias4242@bulk.example', 'other4242@bulk.example'],
      directoryServiceId,
    });
  });

  it('refuses an import without a header, or not as text/csv', async () => {
    const path = `/tenants/${tenantA}/mailboxes:import`;
    const noHeader = await call<Problem>('POST', path, 'a@example.com,A,\n', { contentType: 'text/csv' });
    expect(noHeader.status).toBe(400);
    expect((await call<Problem>('POST', path, { rows: [] })).status).toBe(415);
  });

  it('pages through every member of the directory service and syncs it', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Mailbox[]; nextCursor: string | null } } = await call(
        'GET',
        `/tenants/${tenantA}/mailboxes?directoryServiceId=${directoryServiceId}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      for (const mailbox of page.body.items) seen.add(mailbox.id);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(ROWS);

    const sync = await call<{ dryRun: boolean; unchanged: number; created: number }>(
      'POST',
      `/tenants/${tenantA}/directory-services/${directoryServiceId}/sync`,
      { dryRun: true },
    );
    expect(sync).toMatchObject({ status: 200, body: { dryRun: true, created: 0, unchanged: ROWS } });
    const read = await call<{ memberCount: number }>(
      'GET',
      `/tenants/${tenantA}/directory-services/${directoryServiceId}`,
    );
    expect(read.body.memberCount).toBe(ROWS);
  });

  it('guards deletes: asks profiles for a mailbox, and the scheduler for a directory service', async () => {
    // Profiles runs in the platform and no profile uses this mailbox (a used one is 409: test/profiles.e2e-spec.ts).
    const mailbox = await call<Problem>('DELETE', `/tenants/${tenantA}/mailboxes/${someMailbox?.id}`);
    expect(mailbox.status).toBe(204);
    expect((await call('GET', `/tenants/${tenantA}/mailboxes/${someMailbox?.id}`)).status).toBe(404);
    // The scheduler runs now and answers (no directory-sync schedules exist yet), as does profiles:
    // the unused directory service goes. A missing answer (503) stays covered by directory.int-spec.ts.
    const service = await call<Problem>(
      'DELETE',
      `/tenants/${tenantA}/directory-services/${directoryServiceId}`,
    );
    expect(service.status).toBe(204);
    expect((await call('GET', `/tenants/${tenantA}/directory-services/${directoryServiceId}`)).status).toBe(
      404,
    );
  });

  it("answers 404 for another tenant's ids", async () => {
    const id = someMailbox?.id ?? '';
    for (const key of [bootstrapKey, adminB]) {
      expect((await call('GET', `/tenants/${tenantB}/mailboxes/${id}`, undefined, { key })).status).toBe(404);
      expect(
        (await call('PATCH', `/tenants/${tenantB}/mailboxes/${id}`, { displayName: 'x' }, { key })).status,
      ).toBe(404);
      expect((await call('DELETE', `/tenants/${tenantB}/mailboxes/${id}`, undefined, { key })).status).toBe(
        404,
      );
      expect(
        (
          await call('GET', `/tenants/${tenantB}/directory-services/${directoryServiceId}`, undefined, {
            key,
          })
        ).status,
      ).toBe(404);
      const list = await call<{ items: unknown[] }>('GET', `/tenants/${tenantB}/mailboxes`, undefined, {
        key,
      });
      expect(list.body.items).toEqual([]);
    }
    // And B's admin cannot reach into A at all.
    expect(
      (await call('GET', `/tenants/${tenantA}/mailboxes/${id}`, undefined, { key: adminB })).status,
    ).toBe(404);
  });

  it('audits the writes', async () => {
    const log = await call<{ items: { action: string; outcome: string }[] }>(
      'GET',
      `/tenants/${tenantA}/audit-log?limit=200`,
    );
    const actions = log.body.items.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'directory-service.create:success',
        'mailbox.create:success',
        'mailbox.import:success',
        'mailbox.delete:success',
        'directory-service.delete:success',
      ]),
    );
  });
});
