import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import type { RunningPlatform } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fetchOperations, type Operation } from './support/openapi-operations.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Hostile input on every route of the OpenAPI document (issue 17, item 6): no request, however
 * malformed, is answered with a 5xx. Bodies nested 5,000 deep, prototype keys, NUL characters,
 * every body field and query parameter the document names filled with wrong types, odd Unicode and
 * huge values, forged list cursors, NUL and 5,000-character ids in the path: each a 4xx problem.
 */
let bootstrapKey = '';
let started: E2ePlatform;
let platform: RunningPlatform;
let tenant = '';
let admin = '';

let operations: Operation[] = [];

/** The tenant's admin key on its routes (once it exists), the operator's everywhere else. */
async function send(method: string, path: string, body?: string) {
  const key = admin && path.startsWith(`/tenants/${tenant}/`) ? admin : bootstrapKey;
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method: method.toUpperCase(),
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body }),
  });
  // Server-sent events never end: their status is all this test needs.
  const text = response.headers.get('content-type')?.startsWith('text/event-stream')
    ? (await response.body?.cancel(), '')
    : await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text };
}

/** The path with `{tenantId}` ours and every other parameter `fill(name)`. */
function pathOf(operation: Operation, fill: (name: string) => string): string {
  return operation.template
    .replace(/^\/api\/v1/, '')
    .replace(/\{([^}]+)\}/g, (_match, name: string) => (name === 'tenantId' ? tenant : fill(name)));
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

beforeAll(async () => {
  started = await startE2ePlatform({
    database: 'hostile_input',
    // Its profiles are IMAP ones: their connection test goes to the IMAP connector.
    services: [...CORE_SERVICES, 'connector-imap'],
    tenant: 'Hostile Input Ltd',
  });
  ({ platform, bootstrapKey, tenant, adminKey: admin } = started);

  operations = await fetchOperations(platform.baseUrl);
}, 180_000);

afterAll(async () => {
  await started?.stop();
});

/** Every answer below 500; the failures listed all at once, as `METHOD path → status body`. */
function expectNo5xx(answers: { label: string; status: number; text: string }[]): void {
  const failures = answers
    .filter((a) => a.status >= 500)
    .map((a) => `${a.label} → ${a.status} ${a.text.slice(0, 200)}`);
  expect(failures).toEqual([]);
}

describe('hostile input on every route of the OpenAPI document', () => {
  it('covers the API (the document lists the routes with bodies, queries and ids)', () => {
    expect(operations.filter((o) => o.hasJsonBody).length).toBeGreaterThan(15);
    expect(operations.filter((o) => o.queryParams.includes('cursor')).length).toBeGreaterThanOrEqual(6);
  });

  it('answers malformed bodies with 400, never 5xx', async () => {
    const bodies = {
      deep: `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
      deepArray: `{"name":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
      proto: '{"__proto__":{"isAdmin":true},"name":"x"}',
      constructor: '{"constructor":{"name":"x"},"name":"x"}',
      nul: '{"name":"a\\u0000b","primaryAddress":"a\\u0000@example.com","description":"\\u0000"}',
      malformed: '{"name": ',
    };
    const answers = [];
    for (const operation of operations.filter((o) => o.hasJsonBody)) {
      const path = pathOf(operation, () => randomUUID());
      for (const [kind, body] of Object.entries(bodies)) {
        const answer = await send(operation.method, path, body);
        answers.push({ label: `${operation.method} ${operation.template} (${kind})`, ...answer });
        if (kind === 'deep' || kind === 'proto') {
          expect(
            [400, 404, 413],
            `${operation.method} ${operation.template} (${kind}): ${answer.text}`,
          ).toContain(answer.status);
        }
      }
    }
    expectNo5xx(answers);
  });

  it('answers wrong types, odd Unicode and huge values in every field of every body below 500', async () => {
    // Each variant fills every field the body's schema names at once: one request per variant and route.
    const variants: Record<string, unknown> = {
      number: 12345,
      negative: -1,
      float: 1.5e308,
      bigInteger: 2 ** 64,
      boolean: true,
      null: null,
      array: ['a', 1, null],
      object: { nested: { deeper: 'x' } },
      emptyString: '',
      loneSurrogate: 'a\ud800b',
      bidiAndZeroWidth: '\u202eevil\u200b\ufeff',
      combining: 'e\u0301\u0301\u0301'.repeat(200),
      emoji: '📬🏳️‍🌈'.repeat(50),
      control: '\u0001\u001b[31m\u007f',
      huge: 'x'.repeat(1_000_000),
      uuidLike: '00000000-0000-0000-0000-000000000000',
      timestamp: '+275760-09-13T00:00:00.000Z',
    };
    const answers = [];
    let fields = 0;
    for (const operation of operations.filter((o) => o.hasJsonBody && o.bodyFields.length > 0)) {
      fields += operation.bodyFields.length;
      const path = pathOf(operation, () => randomUUID());
      for (const [kind, value] of Object.entries(variants)) {
        const body = JSON.stringify(Object.fromEntries(operation.bodyFields.map((field) => [field, value])));
        answers.push({
          label: `${operation.method} ${operation.template} (${kind})`,
          ...(await send(operation.method, path, body)),
        });
      }
    }
    // The schemas are read: the document's bodies name their fields.
    expect(fields).toBeGreaterThan(50);
    expectNo5xx(answers);
  });

  it('answers odd, huge and mistyped values in every query parameter below 500', async () => {
    const values = [
      '-1',
      '1e309',
      'NaN',
      '99999999999999999999',
      'true',
      '%F0%9F%93%AC',
      '%ED%A0%80',
      'x'.repeat(8_000),
      '[]',
    ];
    const answers = [];
    for (const operation of operations.filter((o) => o.queryParams.length > 0)) {
      for (const value of values) {
        const query = operation.queryParams.map((name) => `${name}=${value}`).join('&');
        const path = `${pathOf(operation, () => randomUUID())}?${query}`;
        answers.push({
          label: `${operation.method} ${operation.template}?…=${value.slice(0, 20)}`,
          ...(await send(operation.method, path)),
        });
      }
    }
    expectNo5xx(answers);
  });

  it('answers forged cursors of every list with 400 naming the cursor', async () => {
    // Invalid whatever the list sorts by: a 400 naming the cursor.
    const invalid = [
      cursorOf(['2026-11-24T05:00:00.000Z', 'not-a-uuid']),
      cursorOf(['a\u0000b', randomUUID()]),
      cursorOf(['x'.repeat(5_000), randomUUID()]),
      'not base64 at all!',
    ];
    // Invalid for time-sorted lists (PostgreSQL cannot read them), fine for a name-sorted one.
    const timeForged = [
      cursorOf(['1', randomUUID()]),
      cursorOf(['+275760-09-13T00:00:00.000Z', randomUUID()]),
      cursorOf(['99999999999999999999999', randomUUID()]),
    ];
    const answers = [];
    for (const operation of operations.filter(
      (o) => o.method === 'get' && o.queryParams.includes('cursor'),
    )) {
      for (const cursor of [...invalid, ...timeForged]) {
        const path = `${pathOf(operation, () => randomUUID())}?cursor=${encodeURIComponent(cursor)}`;
        const answer = await send('get', path);
        answers.push({ label: `GET ${operation.template} cursor=${cursor.slice(0, 40)}`, ...answer });
        // A list under an object that does not exist (a run's tasks) may say so first.
        const allowed = operation.pathParams.some((p) => p !== 'tenantId') ? [400, 404] : [400];
        if (invalid.includes(cursor)) expect(allowed, `${path}: ${answer.text}`).toContain(answer.status);
      }
    }
    expectNo5xx(answers);
  });

  it('answers NUL characters in queries and NUL or 5,000-character ids in paths below 500', async () => {
    const answers = [];
    for (const operation of operations) {
      for (const name of operation.queryParams.filter((q) => q !== 'cursor')) {
        const path = `${pathOf(operation, () => randomUUID())}?${name}=a%00b`;
        answers.push({ label: `${operation.method} ${path}`, ...(await send(operation.method, path)) });
      }
      if (operation.pathParams.some((p) => p !== 'tenantId')) {
        for (const id of ['a%00b', 'x'.repeat(5_000)]) {
          const path = pathOf(operation, () => id);
          const body = operation.hasJsonBody ? '{}' : undefined;
          answers.push({
            label: `${operation.method} ${operation.template} id=${id.slice(0, 8)}`,
            ...(await send(operation.method, path, body)),
          });
        }
      }
    }
    expectNo5xx(answers);
  });

  it('treats a null mailboxId on a saved profile test as absent (was a 500)', async () => {
    const idOf = async (path: string, body: object) => {
      const answer = await send('post', `/tenants/${tenant}${path}`, JSON.stringify(body));
      expect(answer.status, answer.text).toBe(201);
      return (JSON.parse(answer.text) as { id: string }).id;
    };
    const secret = await idOf('/secrets', { name: 'basic', type: 'basic', username: 'u', password: 'p' });
    const mailbox = await idOf('/mailboxes', { primaryAddress: 'null-test@example.com' });
    const profile = await idOf('/archiving-profiles', {
      name: 'Null mailbox test',
      type: 'imap',
      mode: 'single',
      credentialsSecretId: secret,
      mailboxId: mailbox,
      // A reserved name (RFC 2606) fails at DNS at once: the answer is a failed test, not an error.
      serverName: 'imap.example.invalid',
      protocol: 'imap-ssl',
    });
    const answer = await send(
      'post',
      `/tenants/${tenant}/archiving-profiles/${profile}/test-connection`,
      '{"mailboxId":null}',
    );
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ success: false, error: { category: 'dns' } });
  });
});

/** A GET from another loopback address than the tests' own: a second client for the api. */
function getFrom(
  localAddress: string,
  path: string,
  key: string,
): Promise<{ status: number; retryAfter?: string }> {
  const url = new URL(`${platform.baseUrl}/api/v1${path}`);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        localAddress,
        headers: { authorization: `Bearer ${key}` },
      },
      (response) => {
        response.resume();
        response.once('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            ...(response.headers['retry-after'] !== undefined && {
              retryAfter: response.headers['retry-after'],
            }),
          }),
        );
      },
    );
    request.once('error', reject);
    request.end();
  });
}

// Last in this file: it leaves two loopback clients throttled for a minute.
describe('failed authentication (issue 17, item 7)', () => {
  it('throttles a client after 10 failures with 429 and Retry-After, and audits a burst once', async () => {
    const guess = () => `mk_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    const answers = [];
    for (let i = 0; i < 40; i++) answers.push(await getFrom('127.0.0.2', '/session', guess()));
    expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(401));
    expect(answers.slice(10).every((a) => a.status === 429 && Number(a.retryAfter) > 0)).toBe(true);
    // Even the right key waits: the client is throttled before any key is looked at.
    expect((await getFrom('127.0.0.2', '/session', admin)).status).toBe(429);
    // Other clients are not.
    expect((await getFrom('127.0.0.1', '/session', admin)).status).toBe(200);

    // 10 failures and one throttle entry, not 41 rows.
    const log = await send('get', '/audit-log?limit=200');
    const entries = (JSON.parse(log.text) as { items: { action: string; objectId: string | null }[] }).items;
    expect(entries.filter((e) => e.action === 'auth.authenticate').length).toBe(10);
    expect(entries.filter((e) => e.action === 'auth.throttle')).toEqual([
      expect.objectContaining({ objectId: 'client 127.0.0.2' }),
    ]);
  });

  it('throttles guesses at one key from many clients, never the holder of the real key', async () => {
    const prefix = admin.slice(0, 'mk_'.length + 12);
    const wrongSecret = () => `${prefix}_${randomBytes(32).toString('base64url')}`;
    for (let i = 0; i < 10; i++)
      expect((await getFrom('127.0.0.3', '/session', wrongSecret())).status).toBe(401);
    // A fresh client guessing at the same key is throttled at once …
    const guess = await getFrom('127.0.0.4', '/session', wrongSecret());
    expect(guess.status).toBe(429);
    expect(Number(guess.retryAfter)).toBeGreaterThan(0);
    // … while the real key works from there.
    expect((await getFrom('127.0.0.4', '/session', admin)).status).toBe(200);
  });
});
