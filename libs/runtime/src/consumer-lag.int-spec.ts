import { defineCommand } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import { createMetrics, renderMetrics } from '@mailkeep/observability';
import { type ServiceHarness, startServiceHarness, testStream, uniqueToken } from '@mailkeep/testing';
import { IsString } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { exportConsumerLag } from './index.js';

class Work {
  @IsString()
  id!: string;
}

let harness: ServiceHarness;
let bus: MessageBus;

beforeAll(async () => {
  harness = await startServiceHarness({ name: 'consumer-lag' });
  bus = harness.bus;
});

afterAll(() => harness?.close());

describe('exportConsumerLag', () => {
  it('reads pending, in-progress and redelivered messages of a durable consumer at each scrape', async () => {
    const token = uniqueToken();
    const stream = testStream(token, 'cmd');
    const contract = defineCommand({ subject: `${token}.cmd.work.run.v1`, payload: Work, stream });
    const metrics = createMetrics({ service: 'scheduler' });
    exportConsumerLag(metrics, bus, [
      { stream: stream.name, durable: 'pool' },
      { stream: stream.name, durable: 'never-started' },
    ]);
    for (let i = 0; i < 5; i++) await bus.publish(contract, { id: `w${i}` }, { msgId: `${token}-${i}` });
    // A worker takes one message and holds it (no ack): 4 wait, 1 in progress.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => undefined;
    const taken = new Promise<void>((resolve) => (started = resolve));
    const consumer = await bus.consume(contract, {
      durable: 'pool',
      concurrency: 1,
      handler: async () => {
        started();
        await held;
      },
    });
    await taken;
    const labels = `stream="${stream.name}",consumer="pool",service="scheduler"`;
    const { body } = await renderMetrics(metrics.registry);
    expect(body).toContain(`mailkeep_consumer_pending_messages{${labels}} 4`);
    expect(body).toContain(`mailkeep_consumer_ack_pending_messages{${labels}} 1`);
    expect(body).toContain(`mailkeep_consumer_redelivered_messages{${labels}} 0`);
    // A consumer that does not exist has no series (and does not fail the scrape).
    expect(body).not.toContain('never-started');
    release();
    await consumer.stop();
    const jsm = await bus.jetstreamManager();
    await jsm.streams.delete(stream.name);
  });
});
