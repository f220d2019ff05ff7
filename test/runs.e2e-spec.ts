import { randomUUID } from 'node:crypto';
import http from 'node:http';

import {
  RUN_FINISHED_V1,
  RUN_LOGGED_V1,
  RUN_PROGRESS_V1,
  type RunCounters,
  type RunLogEntry,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { type RunningPlatform, waitFor } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Runs end to end (SC3, SC4): the run routes of SPEC §5 through HTTP against the real scheduler,
 * and the live event stream fed by events published on the platform's own NATS.
 */
let bootstrapKey = '';
let started: E2ePlatform;
let platform: RunningPlatform;
let bus: MessageBus;
const tenants = { a: '', b: '' };
const admins = { a: '', b: '' };
let secretId = '';
let mailboxId = '';

/**
 * Runs wait on the scheduler's dispatch and on task events: longer than a plain request, short
 * enough that a stuck run fails the test rather than the suite's timeout.
 */
const RUN_SETTLES_MS = 30_000;

interface Reply<T> {
  status: number;
  type: string;
  body: T;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}
interface RunBody {
  id: string;
  scheduleId: string;
  profileId: string;
  trigger: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  counters: RunCounters;
  tasks: { id: string; mailboxId: string; status: string }[];
}
interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { key?: string; body?: unknown } = {},
): Promise<Reply<T>> {
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.key ?? admins.a}`,
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

const runsOf = (path = '', tenant = tenants.a) => `/tenants/${tenant}/runs${path}`;
let counter = 0;

/** A manual run of a profile of its own (one active run per profile): queued, then running. */
async function startRun(): Promise<RunBody> {
  const profile = await call<{ id: string }>('POST', `/tenants/${tenants.a}/archiving-profiles`, {
    body: {
      name: `Runs profile ${++counter}`,
      type: 'imap',
      mode: 'single',
      credentialsSecretId: secretId,
      mailboxId,
      serverName: 'mail.example.com',
      protocol: 'imap-ssl',
    },
  });
  expect(profile.status, JSON.stringify(profile.body)).toBe(201);
  const schedule = await call<{ id: string }>('POST', `/tenants/${tenants.a}/schedules`, {
    body: {
      name: `Runs schedule ${counter}`,
      target: { kind: 'archiving-profile', profileId: profile.body.id },
      enabled: false,
      timezone: 'UTC',
      recurrence: { type: 'once', at: '2030-01-01T00:00' },
    },
  });
  expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
  const run = await call<RunBody>('POST', `/tenants/${tenants.a}/schedules/${schedule.body.id}/run`);
  expect(run.status, JSON.stringify(run.body)).toBe(201);
  return run.body;
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

interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
}

interface SseStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The events so far, in order. */
  events: SseEvent[];
  /** Comment lines (heartbeats) so far. */
  comments: number;
  /** The body as text when the answer is not a stream (problem+json). */
  text(): string;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close(): void;
}

/** Opens an event stream with a plain http.get and parses `event:`, `id:` and `data:` lines. */
function openStream(path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${platform.baseUrl}/api/v1${path}`,
      { headers: { authorization: `Bearer ${admins.a}`, accept: 'text/event-stream', ...headers } },
      (response) => {
        let raw = '';
        let buffered = '';
        const stream: SseStream = {
          status: response.statusCode ?? 0,
          headers: response.headers,
          events: [],
          comments: 0,
          text: () => raw,
          ended: new Promise((done) => response.once('close', () => done())),
          close: () => request.destroy(),
        };
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          raw += chunk;
          buffered += chunk;
          let end = buffered.indexOf('\n\n');
          while (end >= 0) {
            const block = buffered.slice(0, end);
            buffered = buffered.slice(end + 2);
            end = buffered.indexOf('\n\n');
            const event: Partial<SseEvent> & { lines: string[] } = { lines: [] };
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) stream.comments++;
              else if (line.startsWith('event: ')) event.event = line.slice('event: '.length);
              else if (line.startsWith('id: ')) event.id = line.slice('id: '.length);
              else if (line.startsWith('data: ')) event.lines.push(line.slice('data: '.length));
            }
            if (event.event !== undefined) {
              stream.events.push({
                event: event.event,
                ...(event.id !== undefined && { id: event.id }),
                data: JSON.parse(event.lines.join('\n')) as unknown,
              });
            }
          }
        });
        resolve(stream);
      },
    );
    request.on('error', (error) => {
      // Closing the stream ourselves aborts the request: that is not a failure.
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}

/** A gauge of the api's /metrics, by name (the api serves one series of each). */
async function gauge(name: string): Promise<number | undefined> {
  const text = await (await fetch(`${platform.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const eventsNamed = (stream: SseStream, name: string) => stream.events.filter((e) => e.event === name);
const logIds = (stream: SseStream) => eventsNamed(stream, 'log').map((e) => (e.data as RunLogEntry).id);

function counters(messagesArchived: number): RunCounters {
  return {
    mailboxesTotal: 1,
    mailboxesSucceeded: 0,
    mailboxesFailed: 0,
    messagesArchived,
    duplicatesSkipped: 0,
    messagesFailed: 0,
    bytesArchived: messagesArchived * 1_000,
  };
}

/** Publishes a log line of a run as the scheduler does. */
async function publishLog(tenantId: string, runId: string, id: string, message: string): Promise<void> {
  const entry = { id, at: new Date().toISOString(), severity: 'info' as const, message, mailboxId: null };
  await bus.publish(RUN_LOGGED_V1, { tenantId, runId, entry }, { msgId: randomUUID() });
}

async function publishProgress(tenantId: string, runId: string, messagesArchived: number): Promise<void> {
  await bus.publish(
    RUN_PROGRESS_V1,
    {
      tenantId,
      runId,
      status: 'running',
      counters: counters(messagesArchived),
      reportedAt: new Date().toISOString(),
    },
    { msgId: randomUUID() },
  );
}

beforeAll(async () => {
  // No connector: a run's task waits in the work queue, and its log and progress are the events
  // this file publishes.
  started = await startE2ePlatform({ database: 'runs_e2e', services: CORE_SERVICES });
  ({ platform, bootstrapKey } = started);
  bus = await MessageBus.connect({
    servers: platform.natsUrl,
    name: 'runs-e2e',
    logger: createLogger({ service: 'runs-e2e', level: 'warn' }),
  });
  const [a, b] = [await newTenant('Runs Inc'), await newTenant('Other Runs Ltd')];
  [tenants.a, admins.a, tenants.b, admins.b] = [a.id, a.key, b.id, b.key];
  const secret = await call<{ id: string }>('POST', `/tenants/${tenants.a}/secrets`, {
    body: { name: 'imap login', type: 'basic', username: 'archiver', password: 'pw-1' },
  });
  expect(secret.status, JSON.stringify(secret.body)).toBe(201);
  secretId = secret.body.id;
  const mailbox = await call<{ id: string }>('POST', `/tenants/${tenants.a}/mailboxes`, {
    body: { primaryAddress: 'sales@example.com' },
  });
  expect(mailbox.status, JSON.stringify(mailbox.body)).toBe(201);
  mailboxId = mailbox.body.id;
});

afterAll(async () => {
  await bus?.close();
  await started?.stop();
});

describe('runs through HTTP (SC4)', () => {
  it('lists and reads runs, pages their tasks and log; foreign and unknown ids are 404', async () => {
    const run = await startRun();
    const read = await call<RunBody>('GET', runsOf(`/${run.id}`));
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ id: run.id, profileId: run.profileId, trigger: 'manual' });
    expect(['queued', 'running']).toContain(read.body.status);

    const listed = await call<PageBody<RunBody>>('GET', runsOf(`?profileId=${run.profileId}&limit=10`));
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.items.map((item) => item.id)).toEqual([run.id]);
    expect(listed.body.nextCursor).toBeNull();
    const byStatus = await call<PageBody<RunBody>>('GET', runsOf('?status=cancelled'));
    expect(byStatus.status).toBe(200);
    expect(byStatus.body.items.every((item) => item.status === 'cancelled')).toBe(true);

    const tasks = await call<PageBody<{ mailboxId: string }>>('GET', runsOf(`/${run.id}/tasks?limit=5`));
    expect(tasks.status, JSON.stringify(tasks.body)).toBe(200);
    expect(tasks.body).toEqual({ items: expect.any(Array) as unknown, nextCursor: null });
    const log = await call<PageBody<RunLogEntry>>('GET', runsOf(`/${run.id}/log`));
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    expect(Array.isArray(log.body.items)).toBe(true);

    for (const path of [`/${randomUUID()}`, '/not-a-run', `/${randomUUID()}/tasks`, `/${randomUUID()}/log`]) {
      const missing = await call<Problem>('GET', runsOf(path));
      expect(missing.status, path).toBe(404);
      expect(missing.type).toContain('application/problem+json');
      expect(missing.body.code).toBe('not_found');
    }
    // Another tenant's key on its own tenant with this run's id: the run does not exist there.
    const foreign = await call<Problem>('GET', runsOf(`/${run.id}`, tenants.b), { key: admins.b });
    expect(foreign.status).toBe(404);
    expect((await call('POST', runsOf(`/${run.id}/cancel`, tenants.b), { key: admins.b })).status).toBe(404);
    // And on this tenant's path the guard already answers 404 (SPEC T2).
    expect((await call('GET', runsOf(`/${run.id}`), { key: admins.b })).status).toBe(404);
  });

  it('answers a bad filter as 400 problem+json naming the field', async () => {
    const badStatus = await call<Problem>('GET', runsOf('?status=finished'));
    expect(badStatus.status).toBe(400);
    expect(badStatus.type).toContain('application/problem+json');
    expect(badStatus.body.errors?.map((error) => error.field)).toEqual(['status']);
    const badProfile = await call<Problem>('GET', runsOf('?profileId=nope&limit=0'));
    expect(badProfile.status).toBe(400);
    expect(badProfile.body.errors?.map((error) => error.field).sort()).toEqual(['limit', 'profileId']);
    expect((await call<Problem>('GET', runsOf('?search=x'))).status).toBe(400);
    const badTaskStatus = await call<Problem>('GET', runsOf(`/${randomUUID()}/tasks?status=done`));
    expect(badTaskStatus.status).toBe(400);
    expect(badTaskStatus.body.errors?.map((error) => error.field)).toEqual(['status']);
  });
});

describe('cancelling a run (SC3)', () => {
  it('answers 200 with the run, which ends cancelled; a finished run is 409; the cancel is audited', async () => {
    const run = await startRun();
    const cancelled = await call<RunBody>('POST', runsOf(`/${run.id}/cancel`));
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.id).toBe(run.id);
    const ended = await waitFor(
      async () => {
        const current = await call<RunBody>('GET', runsOf(`/${run.id}`));
        return current.body.status === 'cancelled' ? current.body : undefined;
      },
      { timeoutMs: RUN_SETTLES_MS, description: 'the run to end cancelled' },
    );
    expect(ended.finishedAt).not.toBeNull();

    const again = await call<Problem>('POST', runsOf(`/${run.id}/cancel`));
    expect(again.status).toBe(409);
    expect(again.type).toContain('application/problem+json');

    const audit = await call<PageBody<{ action: string; objectId: string; outcome: string }>>(
      'GET',
      `/tenants/${tenants.a}/audit-log?action=run.cancel`,
    );
    expect(audit.body.items.map((entry) => [entry.objectId, entry.outcome])).toEqual(
      expect.arrayContaining([
        [run.id, 'success'],
        [run.id, 'failed'],
      ]),
    );
  });
});

describe('live progress as server-sent events (SC4)', () => {
  it('sends the snapshot, then live log and progress of this run only, and ends after finished', async () => {
    const run = await startRun();
    const stream = await openStream(runsOf(`/${run.id}/events`));
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toContain('text/event-stream');
      expect(stream.headers['cache-control']).toBe('no-cache');
      expect(stream.headers['x-accel-buffering']).toBe('no');
      const snapshot = await waitFor(() => eventsNamed(stream, 'run')[0], { description: 'the snapshot' });
      expect(stream.events[0]?.event).toBe('run');
      expect(snapshot.data).toMatchObject({ id: run.id, profileId: run.profileId });
      expect(['queued', 'running']).toContain((snapshot.data as RunBody).status);

      // Entry ids far above the scheduler's own, so they are certainly newer than the backlog.
      const base = 9_000_000_000_000_000_000n;
      const otherRun = randomUUID();
      // Events of another run, and of this run id under another tenant, go first: one publisher
      // connection keeps order per subject, so once this run's events are in, these had their turn.
      await publishLog(tenants.a, otherRun, String(base + 1n), 'other run');
      await publishLog(tenants.b, run.id, String(base + 2n), 'other tenant');
      await publishProgress(tenants.a, otherRun, 99);
      await publishLog(tenants.a, run.id, String(base + 3n), 'mailbox sales@example.com: 3 messages');
      await publishLog(tenants.a, run.id, String(base + 3n), 'the same entry again');
      await publishProgress(tenants.a, run.id, 3);
      await publishLog(tenants.a, run.id, String(base + 4n), 'mailbox sales@example.com: 4 messages');

      await waitFor(() => logIds(stream).includes(String(base + 4n)), { description: 'the live log' });
      await waitFor(() => eventsNamed(stream, 'progress').length > 0, { description: 'the live progress' });
      const live = stream.events.filter((e) => e.event === 'log' && BigInt(e.id ?? '0') > base);
      expect(live.map((e) => [e.id, (e.data as RunLogEntry).message])).toEqual([
        [String(base + 3n), 'mailbox sales@example.com: 3 messages'],
        [String(base + 4n), 'mailbox sales@example.com: 4 messages'],
      ]);
      expect(eventsNamed(stream, 'progress').map((e) => e.data)).toEqual([
        expect.objectContaining({ runId: run.id, tenantId: tenants.a, counters: counters(3) }),
      ]);
      expect(stream.events.some((e) => (e.data as { runId?: string }).runId === otherRun)).toBe(false);

      await bus.publish(
        RUN_FINISHED_V1,
        {
          tenantId: tenants.a,
          runId: run.id,
          scheduleId: run.scheduleId,
          profileId: run.profileId,
          status: 'succeeded',
          counters: counters(4),
          startedAt: new Date().toISOString(),
          finishedAt: new Date().toISOString(),
        },
        { msgId: randomUUID() },
      );
      await stream.ended;
      expect(stream.events.at(-1)).toMatchObject({ event: 'finished', data: { runId: run.id } });
    } finally {
      stream.close();
    }
  });

  it('resumes after Last-Event-ID: older entries are not sent again, live or from the log', async () => {
    const run = await startRun();
    const first = await openStream(runsOf(`/${run.id}/events`));
    await waitFor(() => eventsNamed(first, 'run')[0], { description: 'the snapshot' });
    expect(await gauge('mailkeep_run_event_streams_open')).toBe(1);
    expect(await gauge('mailkeep_run_event_subscriptions')).toBe(3);
    const base = 9_100_000_000_000_000_000n;
    await publishLog(tenants.a, run.id, String(base + 10n), 'seen before reconnecting');
    await waitFor(() => logIds(first).includes(String(base + 10n)), { description: 'the first line' });
    first.close();
    await first.ended;
    // The client went away: the api stops listening, and lets go of NATS with its last stream.
    await waitFor(async () => (await gauge('mailkeep_run_event_streams_open')) === 0, {
      description: 'the stream to be released',
    });
    expect(await gauge('mailkeep_run_event_subscriptions')).toBe(0);

    const resumed = await openStream(runsOf(`/${run.id}/events`), { 'last-event-id': String(base + 10n) });
    try {
      expect(resumed.status).toBe(200);
      await waitFor(() => eventsNamed(resumed, 'run')[0], { description: 'the snapshot again' });
      await publishLog(tenants.a, run.id, String(base + 5n), 'older than Last-Event-ID');
      await publishLog(tenants.a, run.id, String(base + 11n), 'after reconnecting');
      await waitFor(() => logIds(resumed).includes(String(base + 11n)), { description: 'the new line' });
      // Every log entry sent (backlog of real scheduler entries included) is newer than the header.
      expect(logIds(resumed).every((id) => BigInt(id) > base + 10n)).toBe(true);
    } finally {
      resumed.close();
    }
    const badHeader = await openStream(runsOf(`/${run.id}/events`), { 'last-event-id': 'yesterday' });
    await badHeader.ended;
    expect(badHeader.status).toBe(400);
    expect(JSON.parse(badHeader.text())).toMatchObject({ code: 'validation' });
  });

  it('ends with the scheduler’s own finished event when the run is cancelled, and replays a finished run', async () => {
    const run = await startRun();
    const stream = await openStream(runsOf(`/${run.id}/events`));
    try {
      await waitFor(() => eventsNamed(stream, 'run')[0], { description: 'the snapshot' });
      expect((await call('POST', runsOf(`/${run.id}/cancel`))).status).toBe(200);
      await waitFor(() => stream.events.some((e) => e.event === 'finished'), {
        timeoutMs: RUN_SETTLES_MS,
        description: 'the finished event',
      });
      await stream.ended;
      expect(stream.events.at(-1)).toMatchObject({
        event: 'finished',
        data: { runId: run.id, tenantId: tenants.a, status: 'cancelled' },
      });
      // The log from before the stream and the lines written live add up to the whole log, once each.
      const log = await call<PageBody<RunLogEntry>>('GET', runsOf(`/${run.id}/log?limit=200`));
      expect(log.body.items.some((entry) => entry.message.includes('cancelled'))).toBe(true);
      expect(logIds(stream)).toEqual(log.body.items.map((entry) => entry.id));
    } finally {
      stream.close();
    }

    // Opened after the end: snapshot, the whole log, finished from the snapshot, and the end.
    const replay = await openStream(runsOf(`/${run.id}/events`));
    await replay.ended;
    expect(replay.status).toBe(200);
    expect(replay.events[0]).toMatchObject({ event: 'run', data: { id: run.id, status: 'cancelled' } });
    expect(replay.events.at(-1)).toMatchObject({
      event: 'finished',
      data: { runId: run.id, status: 'cancelled' },
    });
    const log = await call<PageBody<RunLogEntry>>('GET', runsOf(`/${run.id}/log?limit=200`));
    expect(logIds(replay)).toEqual(log.body.items.map((entry) => entry.id));
    expect(replay.events.slice(1, -1).every((e) => e.event === 'log' && e.id !== undefined)).toBe(true);
  });

  it('answers an unknown or foreign run with 404 problem+json before any stream', async () => {
    for (const path of [runsOf(`/${randomUUID()}/events`), runsOf('/not-a-run/events')]) {
      const missing = await openStream(path);
      await missing.ended;
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      expect(JSON.parse(missing.text())).toMatchObject({ code: 'not_found' });
    }
  });
});

describe('shutting down', () => {
  it('ends open event streams and stops cleanly on SIGTERM', async () => {
    const run = await startRun();
    const stream = await openStream(runsOf(`/${run.id}/events`));
    await waitFor(() => eventsNamed(stream, 'run')[0], { description: 'the snapshot' });
    // The platform's NATS server stops with it: this test's connection goes first.
    await bus.close();
    // An open response would keep the HTTP server from closing until the api is killed.
    expect(await platform.stop()).toBe(0);
    expect(platform.output()).not.toContain('service did not stop in time');
    await stream.ended;
    expect(stream.events.some((e) => e.event === 'finished')).toBe(false);
  });
});
