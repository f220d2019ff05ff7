import { createHash, randomBytes } from 'node:crypto';

import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  createTestDatabase,
  type RunningPlatform,
  startPlatform,
  type TestDatabase,
  waitFor,
} from '@mailkeep/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * The foundation end to end: the platform started as the README starts it, driven over HTTP by
 * an operator and by tenant keys, its audit log verified and tampered with, its output searched
 * for secrets.
 */
let bootstrapKey = '';
const issuedKeys: string[] = [];
let started: E2ePlatform;
let database: TestDatabase;
let platform: RunningPlatform;

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
  requestId: string;
}

async function call<T = unknown>(method: string, path: string, key: string | undefined, body?: unknown) {
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(key && { authorization: `Bearer ${key}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

beforeAll(async () => {
  started = await startE2ePlatform({ database: 'platform', services: CORE_SERVICES });
  ({ platform, database, bootstrapKey } = started);
});

afterAll(async () => {
  await started?.stop();
});

describe('platform foundation over HTTP', () => {
  const operator = () => bootstrapKey;
  const tenants: Record<'a' | 'b', string> = { a: '', b: '' };
  const keys: Record<string, string> = {};

  it('is live and ready, documents itself and exposes metrics', async () => {
    expect((await call('GET', '/health/live', undefined)).status).toBe(200);
    const ready = await call<{ checks: Record<string, string> }>('GET', '/health/ready', undefined);
    expect(ready).toMatchObject({
      status: 200,
      body: { checks: { nats: 'up', database: 'up', storage: 'up' } },
    });
    const openapi = await call<{ paths: Record<string, unknown> }>('GET', '/openapi.json', undefined);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tenants',
        '/api/v1/tenants/{tenantId}/api-keys',
        '/api/v1/tenants/{tenantId}/audit-log/verify',
      ]),
    );
    const docs = await fetch(`${platform.baseUrl}/api/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
    const metrics = await (await fetch(`${platform.baseUrl}/metrics`)).text();
    expect(metrics).toContain('mailkeep_http_requests_total');
  });

  it('listens on loopback only by default, and its log says so (MAILKEEP_HTTP_HOST)', async () => {
    const port = Number(new URL(platform.baseUrl).port);
    const listening = platform
      .output()
      .split('\n')
      .find((line) => line.includes('"msg":"api listening"'));
    expect(JSON.parse(listening ?? '{}')).toMatchObject({ address: '127.0.0.1', port });
    // 127.0.0.2 is this machine too, but not the bound address: nothing answers there.
    await expect(fetch(`http://127.0.0.2:${port}/api/v1/health/live`)).rejects.toThrow();
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/health/live`)).status).toBe(200);
  });

  it('refuses requests without a valid key with 401 problem details', async () => {
    const missing = await call<Problem>('GET', '/tenants', undefined);
    expect(missing.status).toBe(401);
    expect(missing.type).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(missing.body.requestId).toBeTruthy();
    expect((await call('GET', '/tenants', 'mk_000000000000_not-a-real-key-at-all')).status).toBe(401);
  });

  it('identifies every answer by request id, also for a body that is not JSON', async () => {
    const response = await fetch(`${platform.baseUrl}/api/v1/tenants`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${operator()}`,
        'content-type': 'application/json',
        'x-request-id': 'trace-me-42',
      },
      body: '{"name":',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-request-id')).toBe('trace-me-42');
    expect(await response.json()).toMatchObject({ code: 'malformed_body', requestId: 'trace-me-42' });
  });

  it('lets an operator create tenants, with every field error at once and names unique in any case', async () => {
    const invalid = await call<Problem>('POST', '/tenants', operator(), { name: '   ', colour: 'red' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.map((e) => e.field).sort()).toEqual(['colour', 'name']);

    const a = await call<{ id: string; name: string }>('POST', '/tenants', operator(), {
      name: '  Acme Corp ',
    });
    expect(a.status).toBe(201);
    expect(a.body.name).toBe('Acme Corp');
    tenants.a = a.body.id;
    const b = await call<{ id: string }>('POST', '/tenants', operator(), { name: 'Globex_50%' });
    tenants.b = b.body.id;

    const duplicate = await call<Problem>('POST', '/tenants', operator(), { name: 'ACME CORP' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('duplicate_name');
  });

  it('finds tenants by part of the name or by the whole id, with % and _ literal, in pages', async () => {
    for (let i = 0; i < 3; i++) await call('POST', '/tenants', operator(), { name: `Paged ${i}` });
    const byName = await call<{ items: { id: string }[] }>('GET', '/tenants?search=acme', operator());
    expect(byName.body.items.map((t) => t.id)).toEqual([tenants.a]);
    const byId = await call<{ items: { id: string }[] }>(
      'GET',
      `/tenants?search=${tenants.b.toUpperCase()}`,
      operator(),
    );
    expect(byId.body.items.map((t) => t.id)).toEqual([tenants.b]);
    const partialId = await call<{ items: unknown[] }>(
      'GET',
      `/tenants?search=${tenants.b.slice(0, 8)}x`,
      operator(),
    );
    expect(partialId.body.items).toEqual([]);
    const literal = await call<{ items: { id: string }[] }>('GET', '/tenants?search=_50%25', operator());
    expect(literal.body.items.map((t) => t.id)).toEqual([tenants.b]);
    expect(
      (await call<{ items: unknown[] }>('GET', '/tenants?search=%25', operator())).body.items,
    ).toHaveLength(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(
        'GET',
        `/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        operator(),
      );
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect((await call<Problem>('GET', '/tenants?cursor=garbage', operator())).status).toBe(400);
    expect((await call<Problem>('GET', '/tenants?limit=0', operator())).body.errors?.[0]?.field).toBe(
      'limit',
    );
  });

  it('measures names as the database does and refuses a null name on rename, as field errors', async () => {
    // 40 × 5 code points (📬, 🏳, U+FE0F, U+200D, 🌈) = 200: fits varchar(200); class-validator's
    // MaxLength counts 160 for it, so one more flag is where the two would disagree.
    const flags = '📬🏳️‍🌈'.repeat(40);
    const fits = await call<{ id: string; name: string }>('POST', '/tenants', operator(), { name: flags });
    expect(fits.status).toBe(201);
    expect(fits.body.name).toBe(flags);
    const tooLong = await call<Problem>('POST', '/tenants', operator(), { name: `${flags}🏳️‍🌈` });
    expect(tooLong.status).toBe(400);
    expect(new Set(tooLong.body.errors?.map((e) => e.field))).toEqual(new Set(['name']));

    const renamed = await call<Problem>('PATCH', `/tenants/${fits.body.id}`, operator(), { name: null });
    expect(renamed.status).toBe(400);
    expect(new Set(renamed.body.errors?.map((e) => e.field))).toEqual(new Set(['name']));
    const unchanged = await call<{ name: string }>('GET', `/tenants/${fits.body.id}`, operator());
    expect(unchanged.body.name).toBe(flags);
    expect((await call('DELETE', `/tenants/${fits.body.id}`, operator())).status).toBeLessThan(300);
  });

  it('issues admin and auditor keys per tenant, shown once', async () => {
    for (const tenant of ['a', 'b'] as const) {
      for (const role of ['admin', 'auditor'] as const) {
        const created = await call<{ id: string; key: string; role: string }>(
          'POST',
          `/tenants/${tenants[tenant]}/api-keys`,
          operator(),
          { name: `${role} of ${tenant}`, role },
        );
        expect(created.status).toBe(201);
        expect(created.body.role).toBe(role);
        keys[`${role}-${tenant}`] = created.body.key;
        issuedKeys.push(created.body.key);
      }
    }
    const listed = await call<{ items: { prefix: string }[] }>(
      'GET',
      `/tenants/${tenants.a}/api-keys`,
      keys['admin-a'],
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    expect(JSON.stringify(listed.body)).not.toContain(keys['admin-a']);
    const operatorRole = await call<Problem>('POST', `/tenants/${tenants.a}/api-keys`, operator(), {
      name: 'x',
      role: 'operator',
    });
    expect(operatorRole.status).toBe(400);
  });

  it('tells a key who it is: role and tenant (GET /session)', async () => {
    const admin = await call<{ role: string; tenantId: string | null }>('GET', '/session', keys['admin-b']);
    expect(admin).toMatchObject({ status: 200, body: { role: 'admin', tenantId: tenants.b } });
    const op = await call<{ role: string; tenantId: string | null }>('GET', '/session', operator());
    expect(op).toMatchObject({ status: 200, body: { role: 'operator', tenantId: null } });
    expect(
      (await call('GET', '/session', 'mk_000000000000_not-a-valid-key-at-all-0000000000000')).status,
    ).toBe(401);
  });

  it('keeps each key inside its own tenant', async () => {
    const adminA = keys['admin-a'];
    expect((await call('GET', `/tenants/${tenants.a}`, adminA)).status).toBe(200);
    expect((await call('GET', `/tenants/${tenants.b}`, adminA)).status).toBe(404);
    expect((await call('GET', `/tenants/${tenants.b}/api-keys`, adminA)).status).toBe(404);
    expect(
      (await call('POST', `/tenants/${tenants.b}/api-keys`, adminA, { name: 'x', role: 'admin' })).status,
    ).toBe(404);
    expect((await call('GET', `/tenants/${tenants.b}/audit-log`, keys['auditor-a'])).status).toBe(404);
    expect((await call('GET', `/tenants/${tenants.a}/audit-log`, keys['auditor-b'])).status).toBe(404);
    // An id that does not exist looks exactly the same.
    expect((await call('GET', '/tenants/00000000-0000-4000-8000-000000000000', adminA)).status).toBe(404);

    expect((await call('POST', '/tenants', adminA, { name: 'Sneaky' })).status).toBe(403);
    expect((await call('GET', '/tenants', adminA)).status).toBe(403);
    const auditorWrite = await call<Problem>('POST', `/tenants/${tenants.a}/api-keys`, keys['auditor-a'], {
      name: 'x',
      role: 'admin',
    });
    expect(auditorWrite.status).toBe(403);
    expect((await call('GET', `/tenants/${tenants.a}/api-keys`, keys['auditor-a'])).status).toBe(200);
  });

  it('records every write and every refusal in a hash chain that verifies', async () => {
    const log = await call<{ items: { action: string; outcome: string; actor: { role: string | null } }[] }>(
      'GET',
      `/tenants/${tenants.a}/audit-log?limit=200`,
      keys['auditor-a'],
    );
    expect(log.status).toBe(200);
    const summary = log.body.items.map((e) => `${e.action}:${e.outcome}:${e.actor.role}`);
    expect(summary).toContain('tenant.create:success:operator');
    expect(summary.filter((s) => s === 'api-key.create:success:operator')).toHaveLength(2);
    expect(summary).toContain('api-key.create:failed:operator'); // the refused role
    expect(summary).toContain('auth.authorize:denied:auditor');
    // Admin A's reach into tenant B is kept in A's own chain.
    expect(summary).toContain('auth.authorize:denied:admin');

    const platformLog = await call<{ items: { action: string; outcome: string; status: number }[] }>(
      'GET',
      '/audit-log?outcome=denied&limit=200',
      operator(),
    );
    expect(
      platformLog.body.items.filter((e) => e.action === 'auth.authenticate' && e.status === 401).length,
    ).toBeGreaterThanOrEqual(2);

    const verified = await call<{ valid: boolean; checked: number }>(
      'GET',
      `/tenants/${tenants.a}/audit-log/verify`,
      keys['auditor-a'],
    );
    expect(verified.body).toEqual({ valid: true, checked: log.body.items.length });
    expect((await call<{ valid: boolean }>('GET', '/audit-log/verify', operator())).body.valid).toBe(true);
  });

  it('names the first tampered audit row', async () => {
    const log = await call<{ items: { id: string; seq: number }[] }>(
      'GET',
      `/tenants/${tenants.a}/audit-log?limit=200`,
      operator(),
    );
    const victim = [...log.body.items].sort((x, y) => x.seq - y.seq)[2];
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`UPDATE api.audit_entry SET action = action || '-edited' WHERE id = $1`, [
        victim?.id,
      ]);
    } finally {
      await client.end();
    }
    const verified = await call<{ valid: boolean; checked: number; firstBrokenEntryId: string }>(
      'GET',
      `/tenants/${tenants.a}/audit-log/verify`,
      operator(),
    );
    expect(verified.body).toEqual({
      valid: false,
      checked: 2,
      firstBrokenEntryId: victim?.id,
      problem: 'entry-altered',
    });
  });

  it('keys the chain: an edit re-hashed without the audit key is found', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // An attacker with write access to the table edits an entry and recomputes a plain SHA-256
      // over it (the scheme before the key), marking it as such.
      const { rows } = await client.query<Record<string, unknown> & { id: string }>(
        `SELECT * FROM api.audit_entry WHERE chain = $1 ORDER BY seq DESC LIMIT 1`,
        [tenants.b],
      );
      const row = rows[0]!;
      const action = 'tenant.read';
      const canonical = JSON.stringify([
        row.id,
        row.chain,
        String(row.seq),
        (row.at as Date).toISOString(),
        row.actor_api_key_id,
        row.actor_role,
        row.tenant_id,
        action,
        row.object_type,
        row.object_id,
        row.outcome,
        row.status,
        row.request_id,
        row.previous_hash,
      ]);
      const forged = createHash('sha256').update(canonical, 'utf8').digest('hex');
      await client.query(
        `UPDATE api.audit_entry SET action = $2, hash = $3, hash_alg = 'sha256' WHERE id = $1`,
        [row.id, action, forged],
      );
      const verified = await call<{ valid: boolean; firstBrokenEntryId?: string; problem?: string }>(
        'GET',
        `/tenants/${tenants.b}/audit-log/verify`,
        operator(),
      );
      expect(verified.body).toMatchObject({
        valid: false,
        firstBrokenEntryId: row.id,
        problem: 'entry-altered',
      });
    } finally {
      await client.end();
    }
  });

  it('finds the newest entries deleted (the head is anchored outside PostgreSQL)', async () => {
    // A fresh chain: a new tenant with a few audited writes.
    const created = await call<{ id: string }>('POST', '/tenants', operator(), { name: 'Truncated Ltd' });
    const chain = created.body.id;
    for (const name of ['one', 'two', 'three']) {
      expect(
        (await call('POST', `/tenants/${chain}/api-keys`, operator(), { name, role: 'auditor' })).status,
      ).toBe(201);
    }
    const before = await call<{ valid: boolean; checked: number }>(
      'GET',
      `/tenants/${chain}/audit-log/verify`,
      operator(),
    );
    expect(before.body).toEqual({ valid: true, checked: 4 });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `DELETE FROM api.audit_entry WHERE chain = $1 AND seq > (SELECT max(seq) - 2 FROM api.audit_entry WHERE chain = $1)`,
        [chain],
      );
    } finally {
      await client.end();
    }
    const after = await call<{ valid: boolean; checked: number; problem?: string }>(
      'GET',
      `/tenants/${chain}/audit-log/verify`,
      operator(),
    );
    expect(after.body).toEqual({ valid: false, checked: 2, problem: 'truncated' });
  });

  it('audits requests with a NUL or a 5,000-character id in the path', async () => {
    const long = 'x'.repeat(5_000);
    for (const id of ['a%00b', long]) {
      expect(
        (await call('DELETE', `/tenants/${tenants.a}/mailboxes/${id}`, keys['admin-a'])).status,
      ).toBeLessThan(500);
    }
    const log = await call<{ items: { objectId: string | null; action: string }[] }>(
      'GET',
      `/tenants/${tenants.a}/audit-log?limit=10`,
      keys['admin-a'],
    );
    const objectIds = log.body.items.map((entry) => entry.objectId);
    expect(objectIds).toContain('a\\u0000b');
    expect(objectIds.some((id) => id?.startsWith('x'.repeat(150)) && id.length === 200)).toBe(true);
  });

  it('publishes tenant events on the domain stream', async () => {
    const nc = await connect({ servers: platform.natsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      const message = await jsm.streams.getMessage('DOMAIN_EVENTS', {
        last_by_subj: 'tenant.evt.tenant.created.v1',
      });
      expect(message).toBeTruthy();
      // The caller's trace continues through the api into the event's headers (W3C trace context).
      const traceId = randomBytes(16).toString('hex');
      const response = await fetch(`${platform.baseUrl}/api/v1/tenants`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${operator()}`,
          'content-type': 'application/json',
          traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        },
        body: JSON.stringify({ name: 'Evented' }),
      });
      const created = (await response.json()) as { id: string };
      const latest = await jsm.streams.getMessage('DOMAIN_EVENTS', {
        last_by_subj: 'tenant.evt.tenant.created.v1',
      });
      expect(latest?.json<{ tenantId: string }>().tenantId).toBe(created.id);
      expect(latest?.header.get('Nats-Msg-Id')).toBe(`tenant-created-${created.id}`);
      expect(latest?.header.get('traceparent')).toContain(traceId);
      // The access-log line arrives over the child's stdout a moment after the response.
      await waitFor(() => platform.output().includes(`"traceId":"${traceId}"`), {
        description: 'the access-log line of the traced request',
      });
    } finally {
      await nc.close();
    }
  });

  it('deletes a tenant: it answers 404 and its keys stop working', async () => {
    expect((await call('DELETE', `/tenants/${tenants.b}`, operator())).status).toBe(204);
    expect((await call('GET', `/tenants/${tenants.b}`, operator())).status).toBe(404);
    expect((await call('GET', `/tenants/${tenants.b}`, keys['admin-b'])).status).toBe(401);
    expect((await call('POST', '/tenants', operator(), { name: 'Globex_50%' })).status).toBe(201); // name freed
  });

  it('stops cleanly on SIGTERM, having written no key or Authorization header to its output', async () => {
    // Stopped first, so that everything the platform wrote is in the captured output.
    expect(await platform.stop()).toBe(0);
    const output = platform.output();
    expect(output).toContain('"msg":"http request"'); // the output was captured
    expect(output).not.toContain(bootstrapKey);
    for (const key of issuedKeys) expect(output).not.toContain(key);
    expect(output.toLowerCase()).not.toContain('bearer ');
  });
});

describe('bootstrap key without configuration', () => {
  // Bounds, not delays: a start on a busy machine can take minutes, and an exit ends the wait at once.
  const starting = { readyTimeoutMs: 150_000 };

  it('is generated on the first start, shown once, and works', async () => {
    const fresh = await createTestDatabase('bootstrap');
    try {
      // The api alone generates, shows and checks the bootstrap key.
      const first = await startPlatform(
        { MAILKEEP_DATABASE_URL: fresh.url, MAILKEEP_SERVICES: 'api' },
        starting,
      );
      const shown = /\n {4}(mk_[0-9a-f]{12}_[A-Za-z0-9_-]{43})\n/.exec(first.output())?.[1];
      expect(shown).toBeTruthy();
      const response = await fetch(`${first.baseUrl}/api/v1/tenants`, {
        headers: { authorization: `Bearer ${shown}` },
      });
      expect(response.status).toBe(200);
      expect(first.output().split(shown ?? '').length - 1).toBe(1);
      expect(await first.stop()).toBe(0);

      const second = await startPlatform(
        { MAILKEEP_DATABASE_URL: fresh.url, MAILKEEP_SERVICES: 'api' },
        starting,
      );
      expect(second.output()).not.toMatch(/mk_[0-9a-f]{12}_/);
      expect(await second.stop()).toBe(0);
    } finally {
      await fresh.drop();
    }
  }, 360_000);

  it('refuses to start on a bad setting, naming it without echoing it', async () => {
    const secret = 'short-but-secret';
    const scratch = await createTestDatabase('badconfig');
    // The api is the service that reads these settings.
    const failure = await startPlatform(
      {
        MAILKEEP_DATABASE_URL: scratch.url,
        MAILKEEP_BOOTSTRAP_API_KEY: secret,
        MAILKEEP_HTTP_PORT: '99999',
        MAILKEEP_SERVICES: 'api',
      },
      starting,
    ).then(
      () => new Error('the platform started with a bad configuration'),
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    expect(failure.message).toContain('exited');
    expect(failure.message).toContain('MAILKEEP_HTTP_PORT');
    expect(failure.message).toContain('MAILKEEP_BOOTSTRAP_API_KEY');
    expect(failure.message).not.toContain(secret);
    await scratch.drop();
  }, 180_000);
});
