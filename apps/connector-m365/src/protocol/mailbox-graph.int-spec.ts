import { randomBytes } from 'node:crypto';

import { ThrottledError } from '@mailkeep/connector-kit';
import { type FakeTenant, type FakeUser, type RunningGraphFake, startGraphFake } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GraphAccess } from './graph-access.js';
import type { MailboxGraph } from './mailbox-graph.js';

/** Pacing against the HTTPS Graph fake: concurrency per mailbox and worker, Retry-After honoured and counted. */
let fake: RunningGraphFake;
let m365: FakeTenant;
let users: FakeUser[];
const secret = `Qx8Q~${randomBytes(24).toString('base64url')}`;
let clientId = '';

beforeAll(async () => {
  fake = await startGraphFake();
  m365 = fake.addTenant('pacing.example');
  users = [m365.addUser('one'), m365.addUser('two')];
  clientId = m365.addApplication({ secrets: [secret] }).clientId;
});

afterAll(async () => {
  await fake.stop();
});

function graphFor(access: GraphAccess, user: FakeUser, throttled: number[] = []): MailboxGraph {
  return access.mailbox(
    {
      registration: {
        directoryId: m365.id,
        clientId,
        credential: { kind: 'client-secret', clientSecret: secret },
      },
      sourceMailbox: user.userPrincipalName,
    },
    { signal: new AbortController().signal, onThrottled: (waitMs) => throttled.push(waitMs) },
  );
}

/**
 * One request; a distinct `$top` per `n` gives each its own URL, so the fake (which knows a retry
 * by its URL) never takes a concurrent twin for an early retry.
 */
function folders(graph: MailboxGraph, n = 0): Promise<unknown> {
  return graph.call(
    'folders',
    (client) =>
      client
        .api(`${graph.userPath}/mailFolders`)
        .top(n + 1)
        .get() as Promise<unknown>,
  );
}

describe('MailboxGraph', () => {
  it('keeps 4 requests in flight per mailbox, waits out every Retry-After (HTTP-date too) and counts each throttle', async () => {
    const access = new GraphAccess({ authorityUrl: fake.origin, graphUrl: fake.origin }, 16);
    const throttled: number[] = [];
    const graph = graphFor(access, users[0]!, throttled);
    const before = { throttled: fake.counters.throttled, rejections: fake.counters.concurrencyRejections };
    fake.setFaults({
      throttleFraction: 0.3,
      retryAfterSeconds: 1,
      retryAfterFormat: 'http-date',
      delayMs: 20,
      seed: 11,
    });
    try {
      await Promise.all(Array.from({ length: 24 }, (_, n) => folders(graph, n)));
    } finally {
      fake.setFaults({});
    }
    expect(fake.counters.throttled - before.throttled).toBeGreaterThan(0);
    expect(throttled).toHaveLength(fake.counters.throttled - before.throttled);
    expect(fake.counters.earlyRetries).toBe(0);
    // Never a fifth request at once: the fake would have answered it 429 MailboxConcurrency.
    expect(fake.counters.concurrencyRejections - before.rejections).toBe(0);
    expect(fake.counters.maxInFlightPerMailbox.get(users[0]!.id)).toBe(4);
  });

  it('holds all mailboxes of a worker to its request cap', async () => {
    const access = new GraphAccess({ authorityUrl: fake.origin, graphUrl: fake.origin }, 2);
    fake.counters.maxInFlight = 0;
    fake.setFaults({ delayMs: 50 });
    try {
      await Promise.all(
        users.flatMap((user) => Array.from({ length: 6 }, (_, n) => folders(graphFor(access, user), n))),
      );
    } finally {
      fake.setFaults({});
    }
    expect(fake.counters.maxInFlight).toBe(2);
  });

  it('hands a wait longer than a task should sleep back to the queue instead of sleeping', async () => {
    const access = new GraphAccess({ authorityUrl: fake.origin, graphUrl: fake.origin }, 16);
    const throttled: number[] = [];
    fake.setFaults({ throttleFraction: 1, retryAfterSeconds: 3600 });
    const started = Date.now();
    try {
      const error = await folders(graphFor(access, users[1]!, throttled)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ThrottledError);
      expect((error as ThrottledError).retryAfterMs).toBe(3_600_000);
    } finally {
      fake.setFaults({});
    }
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(throttled).toEqual([]);
  });
});
