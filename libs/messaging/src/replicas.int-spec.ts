import { createLogger } from '@mailkeep/observability';
import {
  type PrivateNatsServer,
  type RunningNatsCluster,
  startNatsCluster,
  startNatsServer,
  testStream,
  uniqueToken,
} from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MessageBus, ReplicasMismatchError } from './index.js';

/**
 * MAILKEEP_NATS_REPLICAS (issue 22, item 1): a platform moved from one NATS server to a cluster
 * replicates the streams and KV buckets it already has at the next start; a replica count the
 * servers cannot hold stops the service with a message that names the stream and the setting.
 */
const logger = createLogger({ service: 'replicas-test', level: 'fatal' });
let cluster: RunningNatsCluster;
let single: PrivateNatsServer;
const buses: MessageBus[] = [];

async function busOn(servers: readonly string[] | string, replicas: number): Promise<MessageBus> {
  const bus = await MessageBus.connect({ servers, name: 'replicas-test', logger, replicas });
  buses.push(bus);
  return bus;
}

beforeAll(async () => {
  [cluster, single] = await Promise.all([startNatsCluster({ size: 3 }), startNatsServer()]);
});

afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
  await Promise.all([cluster?.stop(), single?.stop()]);
});

describe('MAILKEEP_NATS_REPLICAS', () => {
  it('brings the streams and KV buckets of a one-replica platform to three replicas on a cluster', async () => {
    const stream = testStream(uniqueToken(), 'cmd');
    const bucket = `replicas-${uniqueToken()}`;
    const before = await busOn(cluster.urls, 1);
    await before.ensureStream(stream);
    await before.keyValue(bucket);
    const jsm = await before.jetstreamManager();
    expect((await jsm.streams.info(stream.name)).config.num_replicas).toBe(1);
    expect((await jsm.streams.info(`KV_${bucket}`)).config.num_replicas).toBe(1);

    const after = await busOn(cluster.urls, 3);
    await after.ensureStream(stream);
    await (await after.keyValue(bucket)).put('key', 'kept');
    const info = await jsm.streams.info(stream.name);
    expect(info.config.num_replicas).toBe(3);
    expect(info.config.subjects).toEqual(stream.subjects);
    expect((await jsm.streams.info(`KV_${bucket}`)).config.num_replicas).toBe(3);
  });

  it('stops with a clear error when one server is asked for three replicas', async () => {
    const fresh = testStream(uniqueToken(), 'evt');
    const bus = await busOn(single.url, 3);
    const failure = await bus.ensureStream(fresh).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ReplicasMismatchError);
    expect(String(failure)).toContain(
      `JetStream stream ${fresh.name} cannot be created with MAILKEEP_NATS_REPLICAS=3`,
    );
    expect(String(failure)).toMatch(/at least 3 JetStream servers, or set MAILKEEP_NATS_REPLICAS/);

    // A stream that exists with one replica is reported as it is, not changed.
    const existing = testStream(uniqueToken(), 'evt');
    await (await busOn(single.url, 1)).ensureStream(existing);
    const mismatch = await bus.ensureStream(existing).catch((error: unknown) => error);
    expect(mismatch).toBeInstanceOf(ReplicasMismatchError);
    expect(String(mismatch)).toContain(
      `JetStream stream ${existing.name} has 1 replica(s) with MAILKEEP_NATS_REPLICAS=3`,
    );
    const jsm = await bus.jetstreamManager();
    expect((await jsm.streams.info(existing.name)).config.num_replicas).toBe(1);
    await Promise.all([fresh, existing].map((s) => jsm.streams.delete(s.name).catch(() => false)));
  });
});
