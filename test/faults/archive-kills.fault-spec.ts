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
 * Each service SIGKILLed in the middle of an IMAP run (and NATS itself), then started again: the
 * run must end by itself with every message of the source archived exactly once, byte for byte.
 */
const MESSAGES = 60;

const bootstrapKey = `mk_op_${randomBytes(16).toString('hex')}`;
let database: TestDatabase;
let dovecot: RunningDovecot;
let dataDir: string;
let platform: PlatformProcesses;
let tenant: string;
let adminKey: string;

const { deliverMail, profileFor, runThrough, expectExactlyOnce, imapSource } = faultRun(() => ({
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
  it('a connector worker', async () => {
    const { mailboxId, scheduleId, source } = await imapMailbox('worker');
    const run = await runThrough(scheduleId, () => platform.restart('connector-imap'));
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.counters).toMatchObject({ mailboxesSucceeded: 1, messagesFailed: 0 });
    // What the killed attempt archived after its last progress event is seen again as duplicates
    // by the next attempt (decision 0006): archived + duplicates covers the mailbox exactly.
    expect(
      (run.counters.messagesArchived ?? 0) + (run.counters.duplicatesSkipped ?? 0),
    ).toBeGreaterThanOrEqual(MESSAGES);
    await expectExactlyOnce(mailboxId, source);
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

  it('the catalog', async () => {
    const { mailboxId, scheduleId, source } = await imapMailbox('catalogdown');
    const run = await runThrough(scheduleId, () => platform.restart('catalog'));
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.counters).toMatchObject({ messagesArchived: MESSAGES, messagesFailed: 0 });
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
