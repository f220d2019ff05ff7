import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { MESSAGE_ARCHIVED_V1, type MessageArchivedEvent } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { blobKey, FILESYSTEM_BLOBS_DIR, FilesystemBlobStore } from '@mailkeep/storage';
import { type RunningPlatform, waitFor } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * The catalog end to end (A3, A4): the platform as the README starts it, archived events
 * published on its NATS and blobs put in its filesystem store as a connector does, then the
 * message and integrity routes of SPEC §5 through HTTP.
 */
let bootstrapKey = '';
let started: E2ePlatform;
let platform: RunningPlatform;
let bus: MessageBus;
let dataDir: string;
let blobs: FilesystemBlobStore;
const tenants = { a: '', b: '' };
const admins = { a: '', b: '' };
const mailboxId = randomUUID();
const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** Bytes no header reader would like: CRLF and bare LF, 8-bit, NUL, a long line. */
const RAW = Buffer.concat([
  Buffer.from(
    'Message-ID: <raw-1@example.com>\r\nSubject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?= / "quotes"\r\n',
    'latin1',
  ),
  Buffer.from(
    'From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nDate: Tue, 1 Jul 2003 10:52:37 +0200\r\n\r\n',
  ),
  Buffer.from([0x00, 0xff, 0x80, 0x0a, 0x0d, 0x0a]),
  Buffer.alloc(70_000, 'x'),
  Buffer.from('\r\n.\r\nend\n'),
]);

interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
  bytes: Buffer;
}
interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}
interface Message {
  id: string;
  mailboxId: string;
  folder: string;
  sha256: string;
  size: number;
  subject: string | null;
  from: string | null;
  date: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown } = {},
): Promise<Reply<T>> {
  const key = options.key === undefined ? admins.a : options.key;
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(key !== null && { authorization: `Bearer ${key}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return {
    status: response.status,
    headers: response.headers,
    body: (json && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined) as T,
    bytes,
  };
}

async function newTenant(name: string): Promise<{ id: string; key: string }> {
  const tenant = await call<{ id: string }>('POST', '/tenants', { key: bootstrapKey, body: { name } });
  expect(tenant.status).toBe(201);
  const key = await call<{ key: string }>('POST', `/tenants/${tenant.body.id}/api-keys`, {
    key: bootstrapKey,
    body: { name: 'admin', role: 'admin' },
  });
  expect(key.status).toBe(201);
  return { id: tenant.body.id, key: key.body.key };
}

/** Stores the bytes and announces them, as the connector pipeline does. */
async function archive(
  tenantId: string,
  raw: Buffer,
  fields: Partial<MessageArchivedEvent>,
): Promise<string> {
  const blob = await blobs.put(tenantId, Readable.from([raw]));
  const event: MessageArchivedEvent = {
    tenantId,
    mailboxId,
    runId: randomUUID(),
    taskId: randomUUID(),
    sourceIdentity: `imap:INBOX:1:${randomUUID()}`,
    folder: 'INBOX',
    sha256: blob.sha256,
    size: blob.size,
    created: blob.created,
    archivedAt: new Date().toISOString(),
    ...fields,
  };
  await bus.publish(MESSAGE_ARCHIVED_V1, event, { msgId: randomUUID() });
  return blob.sha256;
}

const messages = (tenant = tenants.a) => `/tenants/${tenant}/messages`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-catalog-e2e-'));
  // This file archives as a connector does: the api and the catalog are all it talks to.
  started = await startE2ePlatform({
    database: 'catalog_e2e',
    services: ['api', 'catalog'],
    env: { MAILKEEP_DATA_DIR: dataDir },
  });
  ({ platform, bootstrapKey } = started);
  bus = await MessageBus.connect({
    servers: platform.natsUrl,
    name: 'catalog-e2e',
    logger: createLogger({ service: 'catalog-e2e', level: 'warn' }),
  });
  blobs = new FilesystemBlobStore({ root: join(dataDir, FILESYSTEM_BLOBS_DIR) });
  const [a, b] = [await newTenant('Catalog Inc'), await newTenant('Other Catalog Ltd')];
  [tenants.a, admins.a, tenants.b, admins.b] = [a.id, a.key, b.id, b.key];
  await archive(tenants.a, RAW, {
    messageId: '<raw-1@example.com>',
    subject: '=?utf-8?Q?Gr=C3=BC=C3=9Fe?= / "quotes"',
    from: 'Alice <alice@example.com>',
    to: 'bob@example.org',
    date: 'Tue, 1 Jul 2003 10:52:37 +0200',
  });
  await archive(tenants.a, Buffer.from('Subject: second\r\n\r\nbody\r\n'), {
    subject: 'second',
    folder: 'Archive/2024',
  });
  await archive(tenants.b, Buffer.from('Subject: other tenant\r\n\r\nbody\r\n'), { subject: 'other tenant' });
  await waitFor(async () => (await call<Page<Message>>('GET', messages())).body.items?.length === 2, {
    timeoutMs: 30_000,
    description: 'the catalog lists the archived messages',
  });
});

afterAll(async () => {
  await bus?.close();
  await started?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('messages (A4)', () => {
  it('lists and filters, with problem+json for bad input', async () => {
    const all = await call<Page<Message>>('GET', messages());
    expect(all.status).toBe(200);
    expect(all.body.items.map((item) => item.subject)).toEqual(['second', 'Grüße / "quotes"']);
    const filtered = await call<Page<Message>>(
      'GET',
      `${messages()}?q=alice&from=alice%40example.com&after=2003-01-01T00:00:00Z&before=2004-01-01T00:00:00Z&mailboxId=${mailboxId}&folder=INBOX&to=&limit=1`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body).toMatchObject({
      items: [{ subject: 'Grüße / "quotes"', date: '2003-07-01T08:52:37.000Z' }],
      nextCursor: null,
    });
    const paged = await call<Page<Message>>('GET', `${messages()}?limit=1`);
    expect(paged.body.items).toHaveLength(1);
    const next = await call<Page<Message>>('GET', `${messages()}?limit=1&cursor=${paged.body.nextCursor}`);
    expect(next.body).toMatchObject({ items: [{ folder: 'INBOX' }], nextCursor: null });

    const bad = await call<Problem>('GET', `${messages()}?mailboxId=nope&after=yesterday&cursor=bogus`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors?.map((error) => error.field).sort()).toEqual(['after', 'mailboxId']);
    const badCursor = await call<Problem>('GET', `${messages()}?cursor=bogus`);
    expect(badCursor).toMatchObject({
      status: 400,
      body: { code: 'validation', errors: [{ field: 'cursor' }] },
    });
  });

  it('shows one message and downloads it byte for byte as message/rfc822', async () => {
    const [item] = (await call<Page<Message>>('GET', `${messages()}?q=quotes`)).body.items;
    const one = await call<Message>('GET', `${messages()}/${item!.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: item!.id,
      mailboxId,
      folder: 'INBOX',
      size: RAW.length,
      from: 'Alice <alice@example.com>',
    });

    const raw = await call('GET', `${messages()}/${item!.id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(raw.headers.get('content-length')).toBe(String(RAW.length));
    expect(raw.headers.get('content-disposition')).toBe(
      `attachment; filename="Gru_e quotes.eml"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20quotes.eml`,
    );
    expect(raw.bytes.equals(RAW)).toBe(true);
  });

  it('never shows another tenant’s message: 404, as if it did not exist', async () => {
    const [foreign] = (await call<Page<Message>>('GET', messages(tenants.b), { key: admins.b })).body.items;
    expect(foreign?.subject).toBe('other tenant');
    for (const path of [`${messages()}/${foreign!.id}`, `${messages()}/${foreign!.id}/raw`]) {
      const reply = await call<Problem>('GET', path);
      expect(reply.status, path).toBe(404);
      expect(reply.body.code).toBe('not_found');
    }
    // Tenant a's key on tenant b's routes: 404 too (T2); no key: 401.
    expect((await call('GET', messages(tenants.b))).status).toBe(404);
    expect((await call('GET', messages(), { key: null })).status).toBe(401);
  });
});

describe('integrity checks (A4)', () => {
  it('finds a blob removed behind the platform’s back, and its download says so', async () => {
    const gone = await archive(tenants.a, Buffer.from('Subject: doomed\r\n\r\nbody\r\n'), {
      subject: 'doomed',
    });
    await waitFor(
      async () => (await call<Page<Message>>('GET', `${messages()}?subject=doomed`)).body.items.length === 1,
      {
        timeoutMs: 30_000,
        description: 'the doomed message catalogued',
      },
    );
    unlinkSync(join(dataDir, FILESYSTEM_BLOBS_DIR, blobKey({ tenantId: tenants.a, sha256: gone })));

    const started = await call<{ id: string; status: string }>(
      'POST',
      `/tenants/${tenants.a}/integrity-checks`,
    );
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.status).toBe('running');
    const check = await waitFor(
      async () => {
        const reply = await call<{ status: string }>(
          'GET',
          `/tenants/${tenants.a}/integrity-checks/${started.body.id}`,
        );
        return reply.body.status === 'running' ? undefined : reply.body;
      },
      { timeoutMs: 30_000, description: 'the integrity check finished' },
    );
    expect(check).toMatchObject({
      id: started.body.id,
      status: 'succeeded',
      checked: 3,
      total: 3,
      mismatches: [],
      missing: [{ sha256: gone }],
      missingCount: 1,
    });
    const [doomed] = (await call<Page<Message>>('GET', `${messages()}?subject=doomed`)).body.items;
    const download = await call<Problem>('GET', `${messages()}/${doomed!.id}/raw`);
    expect(download).toMatchObject({ status: 404, body: { code: 'blob_not_found' } });
    // Another tenant cannot read the check.
    expect(
      (await call('GET', `/tenants/${tenants.b}/integrity-checks/${started.body.id}`, { key: admins.b }))
        .status,
    ).toBe(404);
  });
});

describe('the example archive consumer (A5)', () => {
  /** Runs examples/archive-consumer.ts on the platform's NATS; resolves with the lines it printed. */
  async function consume(
    ...args: string[]
  ): Promise<{ seq: number; subject: string; event: MessageArchivedEvent }[]> {
    const { stdout } = await run(
      process.execPath,
      [join(root, 'examples/archive-consumer.ts'), '--server', platform.natsUrl, ...args],
      { cwd: root, timeout: 30_000 },
    );
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; subject: string; event: MessageArchivedEvent });
  }

  it('type-checks', async () => {
    await run(join(root, 'node_modules/.bin/tsc'), ['-p', 'examples/tsconfig.json'], { cwd: root });
  });

  it('replays from a sequence number and from a time', async () => {
    const fromStart = await consume(
      '--from-seq',
      '1',
      '--max',
      '2',
      '--subject',
      MESSAGE_ARCHIVED_V1.subject,
    );
    expect(fromStart.map((line) => [line.seq, line.subject, line.event.subject])).toEqual([
      [1, MESSAGE_ARCHIVED_V1.subject, '=?utf-8?Q?Gr=C3=BC=C3=9Fe?= / "quotes"'],
      [2, MESSAGE_ARCHIVED_V1.subject, 'second'],
    ]);
    const fromSecond = await consume('--from-seq', '2', '--max', '1');
    expect(fromSecond[0]?.event.subject).toBe('second');

    const since = new Date();
    await archive(tenants.a, Buffer.from('Subject: after\r\n\r\nbody\r\n'), {
      subject: 'published after --since',
    });
    const fromTime = await consume('--since', since.toISOString(), '--max', '1');
    expect(fromTime.map((line) => line.event.subject)).toEqual(['published after --since']);
  });

  it('refuses bad arguments with a usage line', async () => {
    await expect(consume('--from-seq', 'zero')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--from-seq must be a stream sequence number') as unknown,
    });
  });
});
