import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  createTenantWithAdmin,
  createTestDatabase,
  type PlatformProcesses,
  type RunningDovecot,
  startDovecot,
  startPlatformProcesses,
  type TestDatabase,
  waitFor,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunBody } from '../support/archive-api.js';
import { faultRun } from './support/fault-run.js';

/**
 * Each service SIGKILLed in the middle of a run (and NATS itself), then started again: the run
 * must end by itself with every message of the source archived exactly once, byte for byte. (The
 * catalog's kill is in storage-faults.fault-spec.ts, which balances the two files' time.)
 */
const MESSAGES = 60;

const bootstrapKey = `mk_op_${randomBytes(16).toString('hex')}`;
let database: TestDatabase;
let dovecot: RunningDovecot;
let dataDir: string;
let platform: PlatformProcesses;
let tenant: string;
let adminKey: string;

const {
  api,
  deliverMail,
  profileFor,
  directoryProfileFor,
  getRun,
  finishedRun,
  runThrough,
  expectExactlyOnce,
  expectExactCounters,
  imapSource,
  pop3Source,
} = faultRun(() => ({
  platform,
  dovecot,
  bootstrapKey,
  tenant,
  adminKey,
}));

beforeAll(async () => {
  [database, dovecot] = await Promise.all([
    createTestDatabase('faults_kills'),
    startDovecot({ specialUseFolders: false }),
  ]);
  dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-faults-'));
  platform = await startPlatformProcesses(
    {
      MAILKEEP_DATABASE_URL: database.url,
      MAILKEEP_BOOTSTRAP_API_KEY: bootstrapKey,
      MAILKEEP_DATA_DIR: dataDir,
      // One message at a time per task: the run lasts long enough to be interrupted.
      MAILKEEP_CONNECTOR_MESSAGES_IN_FLIGHT: '1',
      // A killed scheduler's dispatch is resumed after its lease (the shortest allowed) by the
      // restarted one's recovery pass, which looks every 2 s.
      MAILKEEP_SCHEDULER_DISPATCH_LEASE_SECONDS: '10',
      MAILKEEP_SCHEDULER_RECOVERY_SECONDS: '2',
      // Small messages go into segments (the default, decision 0020); a segment waits 50 ms for
      // more, so the IMAP and POP3 tasks of the tenant share segments and a worker killed mid-run
      // nearly always dies with a segment open or being written: those messages were never
      // acknowledged and must be fetched again by the retry.
      MAILKEEP_SEGMENT_LINGER_MS: '50',
    },
    { mailServers: [dovecot] },
  );
  ({ tenantId: tenant, adminKey } = await createTenantWithAdmin(
    platform.baseUrl,
    bootstrapKey,
    'Faults Ltd',
  ));
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  await dovecot?.stop();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function imapMailbox(user: string) {
  await deliverMail(user, MESSAGES);
  return { ...(await profileFor(user, 'imap')), source: await imapSource(user) };
}

describe('SIGKILL mid-run, restart: exactly once against the source, the run ends by itself', () => {
  it('the connector workers mid-segment: IMAP, and POP3 deleting in source (nothing deleted before it was stored)', async () => {
    // Both at once: each waits out its killed worker's mailbox lease (a minute, decision 0006).
    const imap = await imapMailbox('worker');
    await deliverMail('popper', MESSAGES);
    const pop3 = { ...(await profileFor('popper', 'pop3-delete')), source: await pop3Source('popper') };
    const [imapRun, pop3Run] = await Promise.all([
      runThrough(imap.scheduleId, () => platform.restart('connector-imap')),
      runThrough(pop3.scheduleId, () => platform.restart('connector-pop3')),
    ]);
    for (const run of [imapRun, pop3Run]) {
      expect(run.status, JSON.stringify(run)).toBe('succeeded');
      expect(run.counters).toMatchObject({ mailboxesSucceeded: 1, messagesFailed: 0 });
      // The task was delivered again: its counters come from the catalog (issue 17 item 8).
      expect(run.tasks[0]?.attempts, JSON.stringify(run)).toBeGreaterThan(1);
    }
    await expectExactlyOnce(imap.mailboxId, imap.source);
    // Every message POP3 had is in the archive (one deleted unarchived would be missing for good),
    // and the server holds none of them any more.
    await expectExactlyOnce(pop3.mailboxId, pop3.source);
    expect(await dovecot.list('popper', 'INBOX')).toEqual([]);
    // Counted exactly, although the killed attempts archived messages no progress event reported.
    await expectExactCounters(imapRun, imap.mailboxId, MESSAGES);
    await expectExactCounters(pop3Run, pop3.mailboxId, MESSAGES);
  });

  it('the NATS server (back after 3 s with the same store)', async () => {
    const { mailboxId, scheduleId, source } = await imapMailbox('natsdown');
    const run = await runThrough(scheduleId, async () => {
      await platform.nats.kill();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await platform.nats.restart();
    });
    // Issue 17 item 3: no message left behind with the task `succeeded`.
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.counters).toMatchObject({ mailboxesSucceeded: 1, messagesFailed: 0 });
    await expectExactlyOnce(mailboxId, source);
    await expectExactCounters(run, mailboxId, MESSAGES);
  });

  it('the scheduler', async () => {
    const { mailboxId, scheduleId, source } = await imapMailbox('schedulerdown');
    const run = await runThrough(scheduleId, () => platform.restart('scheduler'));
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    await expectExactlyOnce(mailboxId, source);
    await expectExactCounters(run, mailboxId, MESSAGES);
  });

  it('the scheduler in the middle of dispatching a run (held waiting for its mailboxes)', async () => {
    const users = [1, 2, 3].map((n) => `dispatch-${n}@example.com`);
    for (const user of users) await deliverMail(user, MESSAGES / users.length);
    const { mailboxIds, scheduleId } = await directoryProfileFor('Mid-dispatch', users);
    const sources = await Promise.all(users.map((user) => imapSource(user)));
    // The directory frozen: dispatch takes the run, announces it and then waits for the first
    // page of mailboxes — the scheduler dies there, holding the run's dispatch lease.
    platform.pause('directory');
    let runId: string;
    try {
      const started = await api.call<RunBody>('POST', `/tenants/${tenant}/schedules/${scheduleId}/run`);
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      runId = started.body.id;
      const dispatching = await waitFor(
        async () => {
          const run = await getRun(runId);
          return run.status === 'running' ? run : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 50, description: 'dispatch under way' },
      );
      expect(dispatching.counters.mailboxesTotal).toBe(0);
      await platform.kill('scheduler');
    } finally {
      platform.resume('directory');
    }
    await platform.restart('scheduler');
    const run = await finishedRun(runId);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    // One task per mailbox, each command delivered once.
    expect(run.tasks.map((task) => task.attempts)).toEqual([1, 1, 1]);
    expect(run.counters).toMatchObject({ mailboxesTotal: 3, mailboxesSucceeded: 3 });
    for (const [i, mailboxId] of mailboxIds.entries()) {
      await expectExactlyOnce(mailboxId, sources[i] as Set<string>);
    }
    await expectExactCounters(run, mailboxIds, MESSAGES);
  });
});
