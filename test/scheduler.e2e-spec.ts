import type { RunningPlatform } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from './support/platform.js';

/**
 * Schedules end to end (issue 7, SC1–SC3 so far): the routes of SPEC §5 through HTTP against the
 * real scheduler, profiles, secrets and directory services of one platform.
 */
let bootstrapKey = '';
let started: E2ePlatform;
let platform: RunningPlatform;
let tenant = '';
let admin = '';
let secretId = '';
let mailboxId = '';

interface Reply<T> {
  status: number;
  body: T;
}
interface Problem {
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
  references?: { kind: string; id: string; name?: string }[];
}
interface ScheduleBody {
  id: string;
  name: string;
  target: { kind: string; profileId: string };
  enabled: boolean;
  timezone: string;
  recurrence: Record<string, unknown>;
  nextRuns: string[];
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply<T>> {
  const response = await fetch(`${platform.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${path === '/tenants' ? bootstrapKey : admin}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const schedulesOf = (path = '') => `/tenants/${tenant}/schedules${path}`;
let counter = 0;

async function newProfile(): Promise<string> {
  const created = await call<{ id: string }>('POST', `/tenants/${tenant}/archiving-profiles`, {
    name: `Profile ${++counter}`,
    type: 'imap',
    mode: 'single',
    credentialsSecretId: secretId,
    mailboxId,
    serverName: 'mail.example.com',
    protocol: 'imap-ssl',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

beforeAll(async () => {
  // No connector: a run now stays queued, as the 409 of a second one needs.
  started = await startE2ePlatform({ database: 'scheduler_e2e', services: CORE_SERVICES });
  ({ platform, bootstrapKey } = started);
  tenant = (await call<{ id: string }>('POST', '/tenants', { name: 'Schedules Inc' })).body.id;
  const key = await fetch(`${platform.baseUrl}/api/v1/tenants/${tenant}/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bootstrapKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', role: 'admin' }),
  });
  admin = ((await key.json()) as { key: string }).key;
  const secret = await call<{ id: string }>('POST', `/tenants/${tenant}/secrets`, {
    name: 'imap login',
    type: 'basic',
    username: 'archiver',
    password: 'pw-1',
  });
  expect(secret.status, JSON.stringify(secret.body)).toBe(201);
  secretId = secret.body.id;
  const mailbox = await call<{ id: string }>('POST', `/tenants/${tenant}/mailboxes`, {
    primaryAddress: 'sales@example.com',
  });
  expect(mailbox.status, JSON.stringify(mailbox.body)).toBe(201);
  mailboxId = mailbox.body.id;
});

afterAll(async () => {
  await started?.stop();
});

describe('schedules through HTTP (SC1)', () => {
  it('creates, lists, shows next runs, updates and deletes', async () => {
    const profileId = await newProfile();
    const created = await call<ScheduleBody>('POST', schedulesOf(), {
      name: 'Nightly Berlin',
      target: { kind: 'archiving-profile', profileId },
      timezone: 'Europe/Berlin',
      recurrence: { type: 'daily', times: ['02:30'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'Nightly Berlin', enabled: true, target: { profileId } });
    expect(created.body.nextRuns).toHaveLength(5);
    const id = created.body.id;

    const listed = await call<{ items: ScheduleBody[]; nextCursor: string | null }>(
      'GET',
      schedulesOf('?search=nightly%20b&limit=10'),
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item) => item.id)).toEqual([id]);
    expect(listed.body.nextCursor).toBeNull();

    const next = await call<{ items: string[] }>(
      'GET',
      schedulesOf(`/${id}/next-runs?from=2027-03-27T12:00:00Z&count=3`),
    );
    expect(next.status).toBe(200);
    expect(next.body.items).toEqual([
      '2027-03-28T01:00:00.000Z', // 02:30 does not exist on 28 Mar: 03:00 CEST
      '2027-03-29T00:30:00.000Z',
      '2027-03-30T00:30:00.000Z',
    ]);
    expect((await call('GET', schedulesOf(`/${id}/next-runs?count=101`))).status).toBe(400);

    const updated = await call<ScheduleBody>('PATCH', schedulesOf(`/${id}`), {
      recurrence: { type: 'cron', expression: '0 6 * * 1-5' },
      enabled: false,
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ enabled: false, nextRuns: [], recurrence: { type: 'cron' } });
    expect((await call<ScheduleBody>('GET', schedulesOf(`/${id}`))).body.recurrence).toEqual({
      type: 'cron',
      expression: '0 6 * * 1-5',
    });

    expect((await call('DELETE', schedulesOf(`/${id}`))).status).toBe(204);
    expect((await call('GET', schedulesOf(`/${id}`))).status).toBe(404);
  });

  it('answers field errors as 400 and a duplicate name as 409', async () => {
    const profileId = await newProfile();
    const bad = await call<Problem>('POST', schedulesOf(), {
      name: 'Bad',
      target: { kind: 'archiving-profile', profileId: '00000000-0000-4000-8000-000000000000' },
      timezone: 'Europe/Nowhere',
      recurrence: { type: 'interval', everyMinutes: 10 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((error) => error.field).sort()).toEqual([
      'recurrence.everyMinutes',
      'target.profileId',
      'timezone',
    ]);
    const body = {
      name: 'Hourly',
      target: { kind: 'archiving-profile', profileId },
      timezone: 'UTC',
      recurrence: { type: 'interval', everyMinutes: 60 },
    };
    expect((await call('POST', schedulesOf(), body)).status).toBe(201);
    expect((await call('POST', schedulesOf(), { ...body, name: 'HOURLY' })).status).toBe(409);
  });

  it('refuses a once schedule in the past (it would never fire), on create and when its time is changed', async () => {
    const profileId = await newProfile();
    const once = (at: string) => ({
      name: `Once ${at}`,
      target: { kind: 'archiving-profile', profileId },
      timezone: 'Europe/Berlin',
      recurrence: { type: 'once', at },
    });
    const past = await call<Problem>('POST', schedulesOf(), once('2020-03-01T10:00'));
    expect(past.status).toBe(400);
    expect(past.body.errors?.map((error) => error.field)).toEqual(['recurrence.at']);
    expect(past.body.errors?.[0]?.message).toContain('in the past');
    const future = await call<ScheduleBody>('POST', schedulesOf(), once('2031-03-01T10:00'));
    expect(future.status, JSON.stringify(future.body)).toBe(201);
    const moved = await call<Problem>('PATCH', schedulesOf(`/${future.body.id}`), {
      recurrence: { type: 'once', at: '2021-03-01T10:00+01:00' },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.errors?.map((error) => error.field)).toEqual(['recurrence.at']);
    // Renaming leaves the time alone, so it is never refused for it.
    expect((await call('PATCH', schedulesOf(`/${future.body.id}`), { name: 'Once, renamed' })).status).toBe(
      200,
    );
  });
});

describe('schedules and profiles', () => {
  it('P6 creates a schedule from a profile; the profile cannot be deleted while it has one', async () => {
    const profileId = await newProfile();
    const created = await call<ScheduleBody>(
      'POST',
      `/tenants/${tenant}/archiving-profiles/${profileId}/schedules`,
      {
        name: 'From the profile',
        timezone: 'America/New_York',
        recurrence: { type: 'daily', times: ['01:30'], weekdays: ['sun'] },
      },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.target).toEqual({ kind: 'archiving-profile', profileId });

    const refused = await call<Problem>('DELETE', `/tenants/${tenant}/archiving-profiles/${profileId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('From the profile');
    expect(refused.body.references).toEqual([
      { kind: 'schedule', id: created.body.id, name: 'From the profile' },
    ]);

    expect((await call('DELETE', schedulesOf(`/${created.body.id}`))).status).toBe(204);
    expect((await call('DELETE', `/tenants/${tenant}/archiving-profiles/${profileId}`)).status).toBe(204);
  });
});

describe('run now (SC3)', () => {
  it('returns the queued run; a second run now is 409 naming it', async () => {
    const profileId = await newProfile();
    const schedule = await call<ScheduleBody>('POST', schedulesOf(), {
      name: 'Manual only',
      target: { kind: 'archiving-profile', profileId },
      enabled: false,
      timezone: 'UTC',
      recurrence: { type: 'once', at: '2030-01-01T00:00' },
    });
    expect(schedule.status).toBe(201);
    const run = await call<{ id: string; status: string; trigger: string; tasks: unknown[] }>(
      'POST',
      schedulesOf(`/${schedule.body.id}/run`),
    );
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    expect(run.body).toMatchObject({ status: 'queued', trigger: 'manual', tasks: [] });
    const again = await call<Problem>('POST', schedulesOf(`/${schedule.body.id}/run`));
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(run.body.id);
    expect(again.body.references).toEqual([{ kind: 'run', id: run.body.id }]);
  });
});
