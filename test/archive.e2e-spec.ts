import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { blobKey, FILESYSTEM_BLOBS_DIR, segmentKey } from '@mailkeep/storage';

import {
  buildMailCorpus,
  freePort,
  type RunningDovecot,
  type RunningPlatform,
  startDovecot,
  type TestDatabase,
  waitFor,
  withoutTimings,
} from '@mailkeep/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { archiveApi } from './support/archive-api.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * The archive end to end (issues 7 and 8): the whole platform as `npm start` runs it (api,
 * secrets, directory, profiles, scheduler, catalog, the IMAP and POP3 connectors), a real Dovecot
 * holding the mixed corpus, and only the REST API of SPEC §5 in between. Every message comes back
 * byte-identical to what the server sent; counts match; a second run adds nothing; POP3 with
 * delete in source empties its mailbox of archived mail; the integrity check finds a blob removed
 * behind the platform's back.
 */
let bootstrapKey = '';
let started: E2ePlatform;
let database: TestDatabase;
let platform: RunningPlatform;
let dovecot: RunningDovecot;
let tenant = '';
let admin = '';
let dataDir = '';

const { call, created, download, catalogued, cataloguedCount, runToEnd } = archiveApi(() => ({
  baseUrl: platform.baseUrl,
  bootstrapKey,
  adminKey: admin,
  tenant,
}));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Removes a blob's bytes behind the platform's back: its segment when the catalog located it in
 * one, else its own file. Resolves with the hashes of every message that went with it.
 */
async function removeBlobOf(victim: string): Promise<string[]> {
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    const located = await db.query<{ segment_id: string }>(
      `SELECT segment_id FROM catalog.blob_location WHERE tenant_id = $1 AND sha256 = $2`,
      [tenant, victim],
    );
    const segmentId = located.rows[0]?.segment_id;
    if (segmentId === undefined) {
      unlinkSync(join(dataDir, FILESYSTEM_BLOBS_DIR, blobKey({ tenantId: tenant, sha256: victim })));
      return [victim];
    }
    unlinkSync(join(dataDir, FILESYSTEM_BLOBS_DIR, segmentKey(tenant, segmentId)));
    const held = await db.query<{ sha256: string }>(
      `SELECT sha256 FROM catalog.blob_location WHERE tenant_id = $1 AND segment_id = $2`,
      [tenant, segmentId],
    );
    return held.rows.map((row) => row.sha256);
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  dovecot = await startDovecot();
  // The platform's data directory is ours, so a blob can be removed behind its back.
  dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-archive-e2e-'));
  started = await startE2ePlatform({
    database: 'archive_e2e',
    services: [...CORE_SERVICES, 'connector-imap', 'connector-pop3'],
    env: { MAILKEEP_DATA_DIR: dataDir },
    options: { mailServers: [dovecot] },
  });
  ({ platform, database, bootstrapKey } = started);
  tenant = (await call<{ id: string }>('POST', '/tenants', { name: 'Archive Run Ltd' })).body.id;
  const key = await fetch(`${platform.baseUrl}/api/v1/tenants/${tenant}/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bootstrapKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', role: 'admin' }),
  });
  admin = ((await key.json()) as { key: string }).key;
}, 180_000);

afterAll(async () => {
  await started?.stop();
  await dovecot?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the archive end to end: Dovecot, the platform, the REST API', () => {
  it('archives the whole corpus with counters equal to it, and a second run archives nothing', async () => {
    // The mixed corpus (without the 20 MB message: the connector's own tests cover it) in INBOX
    // and a folder with non-ASCII characters and `&`.
    const corpus = buildMailCorpus({ largeAttachmentBytes: 0 });
    for (const [i, message] of corpus.entries()) {
      await dovecot.deliver('alice', i % 2 === 0 ? 'INBOX' : 'Ärger & Co', message.raw);
    }
    const secret = await created<{ id: string }>('/secrets', {
      name: 'alice at dovecot',
      type: 'basic',
      username: 'alice',
      password: 'alice-pass',
    });
    const mailbox = await created<{ id: string }>('/mailboxes', { primaryAddress: 'alice@example.com' });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Alice IMAP',
      type: 'imap',
      mode: 'single',
      credentialsSecretId: secret.id,
      mailboxId: mailbox.id,
      serverName: '127.0.0.1',
      port: dovecot.ports.imaps,
      protocol: 'imap-ssl',
      ignoreTlsCertificateErrors: true,
      timeoutSeconds: 30,
    });
    // P11 through the connector: the saved profile reaches the server.
    const tested = await call<{ success: boolean; steps: { name: string; status: string }[] }>(
      'POST',
      `/tenants/${tenant}/archiving-profiles/${profile.id}/test-connection`,
      {},
    );
    expect(tested.status, JSON.stringify(tested.body)).toBe(200);
    expect(tested.body.success, JSON.stringify(tested.body)).toBe(true);

    const schedule = await created<{ id: string }>(`/archiving-profiles/${profile.id}/schedules`, {
      name: 'Alice nightly',
      timezone: 'Europe/Berlin',
      recurrence: { type: 'daily', times: ['02:00'] },
    });

    const first = await runToEnd(schedule.id);
    expect(first, JSON.stringify(first)).toMatchObject({
      status: 'succeeded',
      counters: {
        mailboxesTotal: 1,
        mailboxesSucceeded: 1,
        mailboxesFailed: 0,
        messagesArchived: corpus.length,
        messagesFailed: 0,
      },
      tasks: [{ mailboxId: mailbox.id, status: 'succeeded', attempts: 1, lastError: null }],
    });
    expect(first.counters.bytesArchived).toBeGreaterThan(
      corpus.reduce((sum, m) => sum + m.raw.length, 0) / 2,
    );

    // Every message the server holds is catalogued and downloads byte-identical to what it sent.
    const sent = new Map<string, Buffer>();
    for (const folder of ['INBOX', 'Ärger & Co']) {
      for (const message of await dovecot.list('alice', folder)) {
        const raw = await dovecot.rawSource('alice', folder, message.uid);
        sent.set(sha256(raw), raw);
      }
    }
    expect(sent.size).toBe(corpus.length);
    const archived = await cataloguedCount(mailbox.id, corpus.length);
    expect(archived).toHaveLength(corpus.length);
    expect(new Set(archived.map((message) => message.sha256))).toEqual(new Set(sent.keys()));
    expect(new Set(archived.map((message) => message.folder))).toEqual(new Set(['INBOX', 'Ärger & Co']));
    for (const message of archived) {
      const raw = await download(message.id);
      expect(raw.status).toBe(200);
      expect(raw.type).toContain('message/rfc822');
      expect(
        raw.bytes.equals(sent.get(message.sha256) ?? Buffer.alloc(0)),
        message.subject ?? message.id,
      ).toBe(true);
    }

    const second = await runToEnd(schedule.id);
    expect(second).toMatchObject({
      status: 'succeeded',
      counters: { mailboxesSucceeded: 1, messagesArchived: 0, duplicatesSkipped: 0, messagesFailed: 0 },
    });

    expect(await catalogued(mailbox.id)).toHaveLength(corpus.length);

    // The log tells the story in words.
    const log = await call<{ items: { severity: string; message: string }[] }>(
      'GET',
      `/tenants/${tenant}/runs/${first.id}/log`,
    );
    expect(log.body.items.map((entry) => entry.message)).toEqual([
      'Run started (manual)',
      'Queued 1 mailbox task(s) for imap connectors',
      expect.stringMatching(
        new RegExp(
          `^Run succeeded: 1 of 1 mailboxes succeeded, 0 failed; ${corpus.length} messages archived`,
        ),
      ),
    ]);
  }, 180_000);

  it('POP3 with delete in source empties the mailbox of the archived mail, byte-identical in the archive', async () => {
    const corpus = buildMailCorpus({ largeAttachmentBytes: 0, domain: 'pop3.test' });
    for (const message of corpus) await dovecot.deliver('bob', 'INBOX', message.raw);
    const sent = new Map<string, Buffer>();
    for (const message of await dovecot.list('bob', 'INBOX')) {
      const raw = await dovecot.pop3Source('bob', message.uid);
      sent.set(sha256(raw), raw);
    }
    const secret = await created<{ id: string }>('/secrets', {
      name: 'bob at dovecot',
      type: 'basic',
      username: 'bob',
      password: 'bob-pass',
    });
    const mailbox = await created<{ id: string }>('/mailboxes', { primaryAddress: 'bob@example.com' });
    const profile = await created<{ id: string }>('/archiving-profiles', {
      name: 'Bob journal POP3',
      type: 'pop3',
      mode: 'single',
      credentialsSecretId: secret.id,
      mailboxId: mailbox.id,
      deleteInSource: true,
      serverName: '127.0.0.1',
      port: dovecot.ports.pop3s,
      protocol: 'pop-ssl',
      ignoreTlsCertificateErrors: true,
    });
    const schedule = await created<{ id: string }>(`/archiving-profiles/${profile.id}/schedules`, {
      name: 'Bob journal',
      timezone: 'UTC',
      recurrence: { type: 'interval', everyMinutes: 15 },
      enabled: false,
    });
    const run = await runToEnd(schedule.id);
    expect(run).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: corpus.length, messagesFailed: 0 },
    });
    // Deleted only once archived: the mailbox is empty and every message is in the archive.
    expect(await dovecot.list('bob', 'INBOX')).toEqual([]);
    const archived = await cataloguedCount(mailbox.id, corpus.length);
    expect(new Set(archived.map((message) => message.sha256))).toEqual(new Set(sent.keys()));
    for (const message of archived) {
      expect((await download(message.id)).bytes.equals(sent.get(message.sha256) ?? Buffer.alloc(0))).toBe(
        true,
      );
    }
    // A message arriving later stays until a run has archived it.
    await dovecot.deliver('bob', 'INBOX', corpus[0]?.raw ?? Buffer.from('Subject: late\r\n\r\nx\r\n'));
    expect(await dovecot.list('bob', 'INBOX')).toHaveLength(1);
  }, 180_000);

  it('the integrity check reports a blob removed behind the platform’s back', async () => {
    const mailboxes = await call<{ items: { id: string; primaryAddress: string }[] }>(
      'GET',
      `/tenants/${tenant}/mailboxes`,
    );
    const alice = mailboxes.body.items.find((mailbox) => mailbox.primaryAddress === 'alice@example.com');
    const [victim] = await catalogued(alice?.id ?? '');
    if (!victim) throw new Error('needs the archive of the first test');
    // Small messages live in segments (decision 0020): losing the victim's segment loses exactly
    // the messages the catalog located in it; a message stored alone loses only itself.
    const lost = await removeBlobOf(victim.sha256);
    const started = await call<{ id: string }>('POST', `/tenants/${tenant}/integrity-checks`);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const check = await waitFor(
      async () => {
        const reply = await call<{ status: string; missing: { sha256: string }[]; mismatches: unknown[] }>(
          'GET',
          `/tenants/${tenant}/integrity-checks/${started.body.id}`,
        );
        return reply.body.status === 'running' ? undefined : reply.body;
      },
      { timeoutMs: 60_000, description: 'the integrity check finished' },
    );
    expect(lost).toContain(victim.sha256);
    expect(check).toMatchObject({ status: 'succeeded', mismatches: [] });
    expect(check.missing.map((finding) => finding.sha256).sort()).toEqual(lost.sort());
  }, 120_000);
});

describe('the egress policy through the REST API (issue 17)', () => {
  interface TestResult {
    success: boolean;
    error?: { category: string; message: string; serverMessage: string };
    steps: { name: string; status: string; detail: string }[];
  }

  it('answers a draft test of loopback, the metadata address or 2130706433 as configuration, alike for open and closed ports', async () => {
    const secret = await created<{ id: string }>('/secrets', {
      name: 'probe',
      type: 'basic',
      username: 'alice',
      password: 'alice-pass',
    });
    const mailbox = await created<{ id: string }>('/mailboxes', { primaryAddress: 'probe@example.com' });
    const draft = (serverName: string, port: number) => ({
      name: 'Probe',
      type: 'imap',
      mode: 'single',
      credentialsSecretId: secret.id,
      mailboxId: mailbox.id,
      serverName,
      port,
      protocol: 'imap-ssl',
      timeoutSeconds: 10,
    });
    // Open ports the platform's allowance does not name: the API itself (HTTP, not IMAP), and a
    // closed one. Dovecot's allowed ports are covered by the archive tests above.
    const apiPort = Number(new URL(platform.baseUrl).port);
    const closedPort = await freePort();
    const cases = [
      ['127.0.0.1', apiPort, '127.0.0.1'],
      ['127.0.0.1', closedPort, '127.0.0.1'],
      ['169.254.169.254', 80, '169.254.169.254'],
      ['2130706433', apiPort, '127.0.0.1'],
    ] as const;
    const answers: TestResult[] = [];
    for (const [serverName, port, address] of cases) {
      const tested = await call<TestResult>(
        'POST',
        `/tenants/${tenant}/archiving-profiles/test-connection`,
        draft(serverName, port),
      );
      expect(tested.status, JSON.stringify(tested.body)).toBe(200);
      expect(tested.body.success).toBe(false);
      const who = serverName === address ? address : `${address} (${serverName})`;
      expect(tested.body.error).toEqual({
        category: 'configuration',
        message: `the server's address ${who} is not allowed by this deployment's egress policy`,
        serverMessage: `the server's address ${who} is not allowed by this deployment's egress policy`,
      });
      expect(tested.body.steps.map((step) => step.status)).toEqual([
        'failed',
        'skipped',
        'skipped',
        'skipped',
        'skipped',
      ]);
      answers.push(tested.body);
    }
    // An open port and a closed one on a refused address answer alike (no scanning detail).
    expect(withoutTimings(answers[0] as TestResult)).toEqual(withoutTimings(answers[1] as TestResult));
  });
});
