import { CONNECTOR_COMMANDS_STREAM, ARCHIVE_EVENTS_STREAM } from '@mailkeep/contracts';
import {
  buildMailCorpus,
  type NatsClusterNode,
  type RunningDovecot,
  type RunningPlatform,
  startDovecot,
  waitFor,
} from '@mailkeep/testing';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { archiveApi, type RunBody } from '../support/archive-api.js';
import { CORE_SERVICES, type E2ePlatform, startE2ePlatform } from '../support/platform.js';

/**
 * The platform on a 3-node NATS cluster (issue 22, item 1): MAILKEEP_NATS_URL lists the three
 * nodes and MAILKEEP_NATS_REPLICAS=3 keeps every stream and KV bucket on all of them. An IMAP run
 * of many mailboxes is under way — one task archiving, the others waiting in the work queue —
 * when a node dies by SIGKILL: first a node that does not lead the work queue, then (that node
 * back) the one that does. Each run still ends with every message archived exactly once.
 */
const MAILBOXES_PER_CASE = 6;
/**
 * 2,040 messages a case: issue 22 asks for a run of a few thousand, so that the node dies with
 * acks, events and cursor writes in flight on every stream, not only at the start of the run.
 */
const MESSAGES_PER_MAILBOX = 340;
const MESSAGES_PER_CASE = MAILBOXES_PER_CASE * MESSAGES_PER_MAILBOX;
let bootstrapKey = '';
const users = ['lost-follower', 'lost-leader'].flatMap((kase) =>
  Array.from({ length: MAILBOXES_PER_CASE }, (_, i) => `${kase}-${i + 1}@cluster.test`),
);
/** The mailbox of a run started with "Run now" while the work queue's leader is lost. */
const RUN_NOW_USER = 'run-now@cluster.test';
const RUN_NOW_MESSAGES = 20;

let started: E2ePlatform;
let platform: RunningPlatform;
let dovecot: RunningDovecot;
let watcher: NatsConnection;
let jsm: JetStreamManager;
let tenant = '';
let admin = '';
let masterSecret = '';

const { call, created, catalogued, dailySchedule, singleImapSchedule, staticDirectory } = archiveApi(() => ({
  baseUrl: platform.baseUrl,
  bootstrapKey,
  adminKey: admin,
  tenant,
}));

beforeAll(async () => {
  dovecot = await startDovecot({
    users: [...users, RUN_NOW_USER].map((name) => ({ name, password: 'cluster-pass' })),
    specialUseFolders: false,
  });
  // Distinct messages: the mixed corpus, each copy with a header of its own.
  const corpus = buildMailCorpus({ largeAttachmentBytes: 0, domain: 'cluster.test' });
  for (const user of [...users, RUN_NOW_USER]) {
    await dovecot.deliverMany(
      user,
      Array.from({ length: user === RUN_NOW_USER ? RUN_NOW_MESSAGES : MESSAGES_PER_MAILBOX }, (_, i) =>
        Buffer.concat([
          Buffer.from(`X-Cluster-Test: ${user} ${i}\r\n`),
          corpus[i % corpus.length]?.raw ?? Buffer.alloc(0),
        ]),
      ),
    );
  }
  started = await startE2ePlatform({
    database: 'nats_cluster_e2e',
    // Its runs are IMAP ones.
    services: [...CORE_SERVICES, 'connector-imap'],
    env: {
      // One mailbox at a time: the other tasks of a run wait in the work queue when a node dies.
      MAILKEEP_CONNECTOR_CONCURRENCY: '1',
    },
    options: { natsCluster: 3, mailServers: [dovecot] },
    tenant: 'Cluster Hosting Ltd',
  });
  ({ platform, bootstrapKey, tenant, adminKey: admin } = started);
  watcher = await connect({ servers: platform.natsUrl.split(','), maxReconnectAttempts: -1 });
  jsm = await jetstreamManager(watcher);
  masterSecret = (
    await created<{ id: string }>('/secrets', {
      name: 'Dovecot master user',
      type: 'basic',
      username: dovecot.masterUser.name,
      password: dovecot.masterUser.password,
    })
  ).id;
}, 300_000);

afterAll(async () => {
  await watcher?.close();
  await started?.stop();
  await dovecot?.stop();
});

/** A directory of the case's mailboxes, an IMAP profile in multiple mode over it, and a schedule. */
async function scheduleFor(kase: string): Promise<{ scheduleId: string; mailboxIds: string[] }> {
  const { directoryId, mailboxIds } = await staticDirectory(
    kase,
    users.filter((name) => name.startsWith(`${kase}-`)),
  );
  const profile = await created<{ id: string }>('/archiving-profiles', {
    name: `Cluster ${kase}`,
    type: 'imap',
    mode: 'multiple',
    credentialsSecretId: masterSecret,
    directoryServiceId: directoryId,
    serverName: '127.0.0.1',
    port: dovecot.ports.imaps,
    protocol: 'imap-ssl',
    ignoreTlsCertificateErrors: true,
  });
  return { scheduleId: await dailySchedule(profile.id), mailboxIds };
}

/** One mailbox of its own, a single-mode IMAP profile logging in as its user, and a schedule. */
const singleMailboxSchedule = (user: string) =>
  singleImapSchedule({
    username: user,
    password: 'cluster-pass',
    primaryAddress: user,
    port: dovecot.ports.imaps,
  });

const leaderOf = async (stream: string) => (await jsm.streams.info(stream)).cluster?.leader;

function nodeNamed(name: string | undefined): NatsClusterNode {
  const node = platform.natsCluster?.nodes.find((candidate) => candidate.name === name);
  if (!node) throw new Error(`no cluster node ${name}`);
  return node;
}

/**
 * Starts a run, kills the chosen node once messages are being archived while tasks still wait in
 * the work queue, and waits for the run to end.
 */
async function runLosingNode(
  scheduleId: string,
  choose: () => Promise<NatsClusterNode>,
  duringLoss: () => Promise<void> = () => Promise.resolve(),
): Promise<{ run: RunBody; killed: NatsClusterNode; pendingAtKill: number }> {
  const started = await call<RunBody>('POST', `/tenants/${tenant}/schedules/${scheduleId}/run`);
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const runPath = `/tenants/${tenant}/runs/${started.body.id}`;
  // While a node is lost, the api may answer 503 for a moment (a request in flight to it): only a
  // 200 counts.
  const runNow = async () => {
    const current = await call<RunBody>('GET', runPath);
    return current.status === 200 ? current.body : undefined;
  };
  await waitFor(async () => ((await runNow())?.counters.messagesArchived ?? 0) > 0, {
    timeoutMs: 60_000,
    intervalMs: 50,
    description: 'the first messages archived',
  });
  const killed = await choose();
  const pendingAtKill = (await jsm.streams.info(CONNECTOR_COMMANDS_STREAM.name)).state.messages;
  await killed.kill();
  await duringLoss();
  const run = await waitFor(
    async () => {
      const current = await runNow();
      return current?.finishedAt ? current : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 250, description: `run ${started.body.id} finished` },
  );
  return { run, killed, pendingAtKill };
}

/** Every message of every mailbox in the catalog once, and no more (distinct content, exact counts). */
async function expectArchivedExactlyOnce(mailboxIds: readonly string[]): Promise<void> {
  for (const mailboxId of mailboxIds) {
    const rows = await waitFor(
      async () => {
        const found = await catalogued(mailboxId);
        return found.length >= MESSAGES_PER_MAILBOX ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: `${MESSAGES_PER_MAILBOX} messages catalogued` },
    );
    expect(rows).toHaveLength(MESSAGES_PER_MAILBOX);
    expect(new Set(rows.map((row) => row.sha256)).size).toBe(MESSAGES_PER_MAILBOX);
  }
}

function expectCompleteRun(run: RunBody): void {
  expect(run, JSON.stringify(run)).toMatchObject({
    status: 'succeeded',
    counters: {
      mailboxesTotal: MAILBOXES_PER_CASE,
      mailboxesSucceeded: MAILBOXES_PER_CASE,
      mailboxesFailed: 0,
      messagesArchived: MESSAGES_PER_CASE,
      messagesFailed: 0,
    },
  });
}

describe('the platform on a 3-node NATS cluster with replicated streams', () => {
  it('keeps every stream and KV bucket on all three nodes', async () => {
    for (const stream of [CONNECTOR_COMMANDS_STREAM.name, ARCHIVE_EVENTS_STREAM.name]) {
      const info = await jsm.streams.info(stream);
      expect(info.config.num_replicas, stream).toBe(3);
      expect(info.cluster?.replicas?.length, stream).toBe(2);
    }
    const names: string[] = [];
    for await (const name of jsm.streams.names()) names.push(name);
    const buckets = names.filter((name) => name.startsWith('KV_'));
    expect(buckets).toEqual(expect.arrayContaining(['KV_run-cancellations', 'KV_mailbox-leases']));
    for (const bucket of buckets)
      expect((await jsm.streams.info(bucket)).config.num_replicas, bucket).toBe(3);
  });

  it('loses a node that does not lead the work queue mid-run, and archives every message exactly once', async () => {
    const { scheduleId, mailboxIds } = await scheduleFor('lost-follower');
    const { run, killed, pendingAtKill } = await runLosingNode(scheduleId, async () => {
      const workQueueLeader = await leaderOf(CONNECTOR_COMMANDS_STREAM.name);
      const eventsLeader = await leaderOf(ARCHIVE_EVENTS_STREAM.name);
      // The archive events' leader when that is another node: the catalog's feed loses its leader.
      const chosen = eventsLeader !== workQueueLeader ? eventsLeader : undefined;
      return chosen
        ? nodeNamed(chosen)
        : (platform.natsCluster?.nodes.find((node) => node.name !== workQueueLeader) as NatsClusterNode);
    });
    expect(pendingAtKill, 'tasks were waiting in the work queue').toBeGreaterThan(0);
    expect(killed.name).not.toBe(await leaderOf(CONNECTOR_COMMANDS_STREAM.name));
    expectCompleteRun(run);
    await expectArchivedExactlyOnce(mailboxIds);

    // The node comes back and catches up before the next case.
    await killed.restart();
    await waitFor(
      async () => {
        const info = await jsm.streams.info(CONNECTOR_COMMANDS_STREAM.name);
        return info.cluster?.replicas?.every((replica) => replica.current && !replica.offline);
      },
      { timeoutMs: 30_000, intervalMs: 250, description: `${killed.name} current again` },
    );
  }, 240_000);

  it('loses the node that leads the work-queue stream mid-run, and archives every message exactly once', async () => {
    const { scheduleId, mailboxIds } = await scheduleFor('lost-leader');
    const runNow = await singleMailboxSchedule(RUN_NOW_USER);
    let leaderBefore: string | undefined;
    let answered: { status: number; body: RunBody; retryAfter: string | null } | undefined;
    const { run, killed, pendingAtKill } = await runLosingNode(
      scheduleId,
      async () => {
        leaderBefore = await leaderOf(CONNECTOR_COMMANDS_STREAM.name);
        return nodeNamed(leaderBefore);
      },
      // "Run now" while the work queue elects a new leader (issue 17): the run is created and
      // its command goes out once the queue has a leader again — never a 500.
      async () => {
        answered = await call<RunBody>('POST', `/tenants/${tenant}/schedules/${runNow.scheduleId}/run`);
      },
    );
    expect(pendingAtKill, 'tasks were waiting in the work queue').toBeGreaterThan(0);
    expect(killed.name).toBe(leaderBefore);
    // A survivor was elected leader of the work queue.
    expect(await leaderOf(CONNECTOR_COMMANDS_STREAM.name)).not.toBe(leaderBefore);
    expectCompleteRun(run);
    await expectArchivedExactlyOnce(mailboxIds);

    // A 503 says nothing was created and when to ask again; a 201's run ends complete by itself.
    expect([201, 503], JSON.stringify(answered)).toContain(answered?.status);
    if (answered?.status === 503) {
      expect(answered.retryAfter).toMatch(/^\d+$/);
      const runs = await call<{ items: RunBody[] }>(
        'GET',
        `/tenants/${tenant}/runs?profileId=${runNow.profileId}`,
      );
      expect(runs.body.items).toEqual([]);
      answered = await call<RunBody>('POST', `/tenants/${tenant}/schedules/${runNow.scheduleId}/run`);
      expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    }
    const started = answered as { body: RunBody };
    const ranNow = await waitFor(
      async () => {
        const current = await call<RunBody>('GET', `/tenants/${tenant}/runs/${started.body.id}`);
        return current.body.finishedAt ? current.body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'the run-now run finished' },
    );
    expect(ranNow, JSON.stringify(ranNow)).toMatchObject({
      status: 'succeeded',
      counters: { messagesArchived: RUN_NOW_MESSAGES, messagesFailed: 0 },
    });
    const rows = await waitFor(
      async () => {
        const found = await catalogued(runNow.mailboxId);
        return found.length >= RUN_NOW_MESSAGES ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the run-now messages catalogued' },
    );
    expect(new Set(rows.map((row) => row.sha256)).size).toBe(RUN_NOW_MESSAGES);
    expect(rows).toHaveLength(RUN_NOW_MESSAGES);
  }, 240_000);
});
