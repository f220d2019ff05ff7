import { randomUUID } from 'node:crypto';

import {
  type ArchivingProfile,
  ContractError,
  PROFILE_GET_V1,
  RUN_LOG_V1,
  type Schedule,
  SCHEDULE_CREATE_V1,
  SCHEDULE_DELETE_V1,
  SCHEDULE_GET_V1,
  SCHEDULE_LIST_V1,
  SCHEDULE_NEXT_RUNS_V1,
  SCHEDULE_RUN_NOW_V1,
  SCHEDULE_UPDATE_V1,
  SCHEDULER_REFERENCES_FIND_V1,
} from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { createDataSource } from '@mailkeep/persistence';
import { type ServiceHarness, startServiceHarness, waitFor } from '@mailkeep/testing';
import type { Subscription } from '@nats-io/nats-core';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SCHEDULER_SCHEMA } from './database/scheduler-schema.js';
import { ScheduleClaimer } from './firing/schedule-claimer.js';
import { RunsRepository } from './runs/runs.repository.js';
import { SchedulerEnv } from './scheduler.env.js';
import { SchedulerModule } from './scheduler.module.js';

/**
 * The scheduler as it runs (runService: schema migrated, handlers on NATS, the firing loop on a
 * short tick), on a NATS server of its own with the profiles service played by this test, plus
 * extra claimers on their own connection pools standing in for more replicas.
 */
let harness: ServiceHarness;
let bus: MessageBus;
let sql: pg.Pool;
let profilesResponder: Subscription | undefined;

const tenant = randomUUID();
const knownProfiles = new Set<string>();
/** The loop's tick in this test: short so that waits are short, long enough to interleave claims. */
const TEST_TICK_MS = 100;

const profile = (id: string): ArchivingProfile => ({
  id,
  name: `Profile ${id}`,
  type: 'imap',
  mode: 'single',
  credentialsSecretId: randomUUID(),
  mailboxId: randomUUID(),
  deleteInSource: false,
  serverName: 'mail.example.com',
  version: 1,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
});

const newProfile = () => {
  const id = randomUUID();
  knownProfiles.add(id);
  return id;
};

const fail = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a ContractError');
    },
    (error: unknown) => {
      if (!(error instanceof ContractError)) throw error;
      return error;
    },
  );

const create = (fields: Record<string, unknown>, profileId = newProfile()): Promise<Schedule> =>
  bus.request(SCHEDULE_CREATE_V1, {
    tenantId: tenant,
    schedule: {
      name: `Schedule ${randomUUID()}`,
      target: { kind: 'archiving-profile', profileId },
      timezone: 'Europe/Berlin',
      recurrence: { type: 'daily', times: ['02:30'] },
      ...fields,
    },
  });

const runsOf = async (scheduleId: string) =>
  (
    await sql.query<{ id: string; status: string; trigger: string; skipped_for_run_id: string | null }>(
      `SELECT id, status, trigger, skipped_for_run_id FROM scheduler.run WHERE schedule_id = $1 ORDER BY created_at`,
      [scheduleId],
    )
  ).rows;

function serveProfiles(): Subscription {
  return bus.serve(
    PROFILE_GET_V1,
    (request) => {
      if (!knownProfiles.has(request.id)) throw new ContractError('NOT_FOUND', `No profile ${request.id}`);
      return Promise.resolve(profile(request.id));
    },
    { queue: 'profiles' },
  );
}

beforeAll(async () => {
  harness = await startServiceHarness({ name: 'scheduler', database: true });
  await harness.startService({
    name: 'scheduler',
    env: SchedulerEnv,
    schema: SCHEDULER_SCHEMA,
    module: () => SchedulerModule.forRoot({ tickMs: TEST_TICK_MS }),
  });
  ({ bus, sql } = harness);
  profilesResponder = serveProfiles();
});

afterAll(async () => {
  profilesResponder?.unsubscribe();
  await harness?.close();
});

describe('schedules (SC1)', () => {
  it('creates, reads, lists, updates and deletes, showing the next runs', async () => {
    const profileId = newProfile();
    const created = await create({ name: 'Nightly Sales' }, profileId);
    expect(created).toMatchObject({
      name: 'Nightly Sales',
      target: { kind: 'archiving-profile', profileId },
      enabled: true,
      timezone: 'Europe/Berlin',
      recurrence: { type: 'daily', times: ['02:30'] },
    });
    expect(created.nextRuns).toHaveLength(5);
    expect(await bus.request(SCHEDULE_GET_V1, { tenantId: tenant, id: created.id })).toEqual(created);

    const found = await bus.request(SCHEDULE_LIST_V1, { tenantId: tenant, search: 'LY SAL', limit: 10 });
    expect(found.items.map((item) => item.id)).toEqual([created.id]);
    const byProfile = await bus.request(SCHEDULE_LIST_V1, { tenantId: tenant, profileId, limit: 10 });
    expect(byProfile.items.map((item) => item.id)).toEqual([created.id]);

    const disabled = await bus.request(SCHEDULE_UPDATE_V1, {
      tenantId: tenant,
      id: created.id,
      changes: { enabled: false, recurrence: { type: 'interval', everyMinutes: 60 } },
    });
    expect(disabled).toMatchObject({ enabled: false, nextRuns: [], recurrence: { everyMinutes: 60 } });
    const next = await bus.request(SCHEDULE_NEXT_RUNS_V1, {
      tenantId: tenant,
      id: created.id,
      from: '2027-03-27T12:00:00Z',
      count: 3,
    });
    expect(next.items).toHaveLength(3);

    expect(await bus.request(SCHEDULE_DELETE_V1, { tenantId: tenant, id: created.id })).toEqual({
      id: created.id,
    });
    expect((await fail(bus.request(SCHEDULE_GET_V1, { tenantId: tenant, id: created.id }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('shows next runs across the Berlin spring change in UTC', async () => {
    const created = await create({ recurrence: { type: 'daily', times: ['02:30'] } });
    const next = await bus.request(SCHEDULE_NEXT_RUNS_V1, {
      tenantId: tenant,
      id: created.id,
      from: '2027-03-27T12:00:00+01:00',
      count: 2,
    });
    expect(next.items).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z']);
  });

  it('keeps names unique per tenant, ignoring case', async () => {
    await create({ name: 'Weekly' });
    const duplicate = await fail(create({ name: 'WEEKLY' }));
    expect(duplicate.code).toBe('CONFLICT');
    expect(duplicate.fields?.map((field) => field.field)).toEqual(['name']);
  });

  it('reports every field error at once, an unknown profile included', async () => {
    const error = await fail(
      create(
        {
          name: '',
          timezone: 'Mars/Olympus',
          recurrence: { type: 'interval', everyMinutes: 5 },
          color: 'red',
        },
        randomUUID(),
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(error.fields?.map((field) => field.field).sort()).toEqual(
      ['color', 'name', 'recurrence.everyMinutes', 'target.profileId', 'timezone'].sort(),
    );
  });

  it('answers 503 (UNAVAILABLE) while no profiles service answers', async () => {
    profilesResponder?.unsubscribe();
    try {
      const error = await fail(create({}));
      expect(error.code).toBe('UNAVAILABLE');
    } finally {
      profilesResponder = serveProfiles();
    }
  });

  it('names the schedules that target a profile, and none for a directory service', async () => {
    const profileId = newProfile();
    const schedule = await create({ name: 'Guarding' }, profileId);
    const reply = await bus.request(SCHEDULER_REFERENCES_FIND_V1, {
      tenantId: tenant,
      kind: 'archiving-profile',
      id: profileId,
    });
    expect(reply.references).toEqual([{ kind: 'schedule', id: schedule.id, name: 'Guarding' }]);
    const none = await bus.request(SCHEDULER_REFERENCES_FIND_V1, {
      tenantId: tenant,
      kind: 'directory-service',
      id: randomUUID(),
    });
    expect(none.references).toEqual([]);
  });
});

describe('firing (SC2)', () => {
  let claimers: { dataSource: DataSource; claimer: ScheduleClaimer }[] = [];

  beforeAll(async () => {
    claimers = await Promise.all(
      [1, 2].map(async () => {
        const dataSource = createDataSource({ url: harness.database.url, ...SCHEDULER_SCHEMA });
        await dataSource.initialize();
        return { dataSource, claimer: new ScheduleClaimer(dataSource, new RunsRepository(dataSource)) };
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(claimers.map(({ dataSource }) => dataSource.destroy()));
  });

  it('fires each of 1,000 due schedules exactly once with three claimers racing', async () => {
    const batch = randomUUID();
    // 1,000 schedules of 1,000 profiles, all due a minute ago, written directly: the API path is
    // covered above, and this is about the claim.
    await sql.query(
      `INSERT INTO scheduler.schedule (id, tenant_id, name, name_key, target_kind, profile_id, enabled, timezone,
                                       recurrence, anchor_at, next_fire_at)
       SELECT gen_random_uuid(), $1, $2 || i, $2 || i, 'archiving-profile', gen_random_uuid(), true, 'Europe/Berlin',
              '{"type":"interval","everyMinutes":60}', now(), now() - interval '1 minute'
       FROM generate_series(1, 1000) AS i`,
      [tenant, `bulk ${batch} `],
    );
    // The service's own loop (every 100 ms) races the two extra claimers, each draining until empty.
    const drain = async (claimer: ScheduleClaimer) => {
      let fired = 0;
      for (;;) {
        const result = await claimer.claimDue(new Date(), 25);
        fired += result.fired;
        if (result.fired === 0) return fired;
      }
    };
    const firedByClaimers = await Promise.all(claimers.map(({ claimer }) => drain(claimer)));
    const counts = async () =>
      (
        await sql.query<{ runs: string; schedules: string; max: string; waiting: string }>(
          `SELECT count(r.id) AS runs, count(DISTINCT s.id) AS schedules,
                  coalesce(max(per.n), 0) AS max,
                  count(*) FILTER (WHERE s.next_fire_at <= now()) AS waiting
             FROM scheduler.schedule s
             LEFT JOIN scheduler.run r ON r.schedule_id = s.id
             LEFT JOIN (SELECT schedule_id, count(*) AS n FROM scheduler.run GROUP BY schedule_id) per
                    ON per.schedule_id = s.id
            WHERE s.name_key LIKE $1`,
          [`bulk ${batch} %`],
        )
      ).rows[0];
    await waitFor(async () => Number((await counts())?.runs) === 1000, {
      timeoutMs: 30_000,
      description: '1,000 runs',
    });
    const final = await counts();
    expect(Number(final?.runs)).toBe(1000);
    expect(Number(final?.max)).toBe(1);
    expect(Number(final?.waiting)).toBe(0);
    const statuses = await sql.query<{ status: string; n: string }>(
      `SELECT r.status, count(*) AS n FROM scheduler.run r JOIN scheduler.schedule s ON s.id = r.schedule_id
        WHERE s.name_key LIKE $1 GROUP BY r.status`,
      [`bulk ${batch} %`],
    );
    // One run per slot and none skipped; what became of each run (dispatched, or failed because
    // these bulk schedules name profiles nobody serves) is the dispatcher's business, tested below.
    expect(statuses.rows.find((row) => row.status === 'skipped')).toBeUndefined();
    // Both claimers took part (they are not just waiting on each other's locks).
    expect(firedByClaimers.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('after downtime fires one catch-up run, then waits for the next future slot', async () => {
    const schedule = await create({ recurrence: { type: 'interval', everyMinutes: 15 } });
    // Twelve slots (3 hours) missed while no scheduler ran.
    await sql.query(`UPDATE scheduler.schedule SET next_fire_at = now() - interval '3 hours' WHERE id = $1`, [
      schedule.id,
    ]);
    await waitFor(async () => (await runsOf(schedule.id)).length > 0, { description: 'the catch-up run' });
    const row = await sql.query<{ next_fire_at: Date }>(
      `SELECT next_fire_at FROM scheduler.schedule WHERE id = $1`,
      [schedule.id],
    );
    const nextFire = row.rows[0]?.next_fire_at;
    expect(nextFire?.getTime()).toBeGreaterThan(Date.now());
    expect(nextFire?.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    // Further passes of the loop find nothing due: still one run.
    const claimed = await claimers[0]?.claimer.claimDue(new Date());
    expect(claimed?.queued.filter((run) => run.scheduleId === schedule.id)).toEqual([]);
    expect(await runsOf(schedule.id)).toMatchObject([{ status: 'queued', trigger: 'schedule' }]);
  });

  it('records a firing during an active run of the profile as skipped, naming that run', async () => {
    const profileId = newProfile();
    const first = await create({}, profileId);
    const second = await create({}, profileId);
    await sql.query(
      `UPDATE scheduler.schedule SET next_fire_at = now() - interval '1 minute' WHERE id = $1`,
      [first.id],
    );
    await waitFor(async () => (await runsOf(first.id)).length === 1, { description: 'the first run' });
    const [active] = await runsOf(first.id);
    await sql.query(
      `UPDATE scheduler.schedule SET next_fire_at = now() - interval '1 minute' WHERE id = $1`,
      [second.id],
    );
    await waitFor(async () => (await runsOf(second.id)).length === 1, { description: 'the skipped firing' });
    const [skipped] = await runsOf(second.id);
    expect(skipped).toMatchObject({ status: 'skipped', trigger: 'schedule', skipped_for_run_id: active?.id });
    // Logged on both runs, as warnings naming the other.
    const skippedLog = await bus.request(RUN_LOG_V1, { tenantId: tenant, id: skipped?.id ?? '' });
    expect(skippedLog.items.map((entry) => [entry.severity, entry.message])).toEqual([
      ['warning', expect.stringContaining(`run ${active?.id} of this profile was still active`) as string],
    ]);
    const activeLog = await bus.request(RUN_LOG_V1, { tenantId: tenant, id: active?.id ?? '' });
    expect(activeLog.items.map((entry) => entry.message)).toContainEqual(
      expect.stringContaining(`skipped run ${skipped?.id}`),
    );
  });

  it('run now twice: the second is CONFLICT naming the first run', async () => {
    const schedule = await create({ enabled: false });
    const run = await bus.request(SCHEDULE_RUN_NOW_V1, { tenantId: tenant, id: schedule.id });
    expect(run).toMatchObject({
      scheduleId: schedule.id,
      profileId: schedule.target.profileId,
      trigger: 'manual',
      status: 'queued',
      startedAt: null,
      finishedAt: null,
      counters: {
        mailboxesTotal: 0,
        mailboxesSucceeded: 0,
        mailboxesFailed: 0,
        messagesArchived: 0,
        duplicatesSkipped: 0,
        messagesFailed: 0,
        bytesArchived: 0,
      },
      tasks: [],
    });
    const again = await fail(bus.request(SCHEDULE_RUN_NOW_V1, { tenantId: tenant, id: schedule.id }));
    expect(again.code).toBe('CONFLICT');
    expect(again.reason).toBe('run_active');
    expect(again.message).toContain(run.id);
    expect(again.references).toEqual([{ kind: 'run', id: run.id }]);
  });

  it('run now while a scheduled run of the same profile is queued is CONFLICT too', async () => {
    const profileId = newProfile();
    const fired = await create({}, profileId);
    const other = await create({}, profileId);
    await sql.query(
      `UPDATE scheduler.schedule SET next_fire_at = now() - interval '1 minute' WHERE id = $1`,
      [fired.id],
    );
    await waitFor(async () => (await runsOf(fired.id)).length === 1, { description: 'the scheduled run' });
    const [active] = await runsOf(fired.id);
    const error = await fail(bus.request(SCHEDULE_RUN_NOW_V1, { tenantId: tenant, id: other.id }));
    expect(error.references).toEqual([{ kind: 'run', id: active?.id }]);
  });
});
