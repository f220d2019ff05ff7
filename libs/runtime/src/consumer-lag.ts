import type { MessageBus } from '@mailkeep/messaging';
import type { Metrics } from '@mailkeep/observability';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';

/** A durable JetStream consumer whose backlog a service exports (e.g. a connector pool's work queue). */
export interface WatchedConsumer {
  readonly stream: string;
  readonly durable: string;
}

/**
 * Queue lag as Prometheus gauges, read from JetStream at each scrape (no polling in between):
 * messages waiting for the consumer, delivered but not yet acked, and redelivered. A consumer that
 * does not exist yet (no worker of that pool ever started) has no series.
 */
export function exportConsumerLag(
  metrics: Metrics,
  bus: MessageBus,
  consumers: readonly WatchedConsumer[],
): void {
  let reading: Promise<void> | undefined;
  // prom-client awaits each gauge's collect before rendering it; a failed read keeps the last values.
  const collect = () => read().catch(() => undefined);
  const gauge = (name: string, help: string) =>
    metrics.gauge({ name, help, labelNames: ['stream', 'consumer'], collect });
  const gauges = {
    pending: gauge(
      'mailkeep_consumer_pending_messages',
      'Messages on the stream not yet delivered to the durable consumer (queue lag)',
    ),
    ackPending: gauge(
      'mailkeep_consumer_ack_pending_messages',
      'Messages delivered to the consumer and not yet acknowledged (work in progress)',
    ),
    redelivered: gauge(
      'mailkeep_consumer_redelivered_messages',
      'Unacknowledged messages delivered more than once (a worker died or a task failed)',
    ),
  };
  // One read per scrape serves the three gauges: prom-client calls each one's collect.
  function read(): Promise<void> {
    return (reading ??= (async () => {
      const jsm = await bus.jetstreamManager();
      await Promise.all(
        consumers.map(async ({ stream, durable }) => {
          const labels = { stream, consumer: durable };
          const info = await jsm.consumers.info(stream, durable).catch((error: unknown) => {
            if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)
              return undefined;
            throw error;
          });
          if (!info) return;
          gauges.pending.set(labels, info.num_pending);
          gauges.ackPending.set(labels, info.num_ack_pending);
          gauges.redelivered.set(labels, info.num_redelivered);
        }),
      );
    })().finally(() => {
      reading = undefined;
    }));
  }
}
