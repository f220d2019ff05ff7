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
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

const { deliverMail, profileFor, runThrough, expectExactlyOnce, imapSource, pop3Source } = faultRun(() => ({
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
}, 180_000);

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
      // What the killed attempt archived after its last progress event is seen again as
      // duplicates by the next attempt (decision 0006; issue 17 item 8 is open): archived +
      // duplicates covers the mailbox.
      expect(
        (run.counters.messagesArchived ?? 0) + (run.counters.duplicatesSkipped ?? 0),
      ).toBeGreaterThanOrEqual(MESSAGES);
    }
    await expectExactlyOnce(imap.mailboxId, imap.source);
    // Every message POP3 had is in the archive (one deleted unarchived would be missing for good),
    // and the server holds none of them any more.
    await expectExactlyOnce(pop3.mailboxId, pop3.source);
    expect(await dovecot.list('popper', 'INBOX')).toEqual([]);
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
  });

  it('the scheduler', async () => {
    const { mailboxId, scheduleId, source } = await imapMailbox('schedulerdown');
    const run = await runThrough(scheduleId, () => platform.restart('scheduler'));
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.counters).toMatchObject({ messagesArchived: MESSAGES, messagesFailed: 0 });
    await expectExactlyOnce(mailboxId, source);
  });
});
