import type { Metrics } from '@mailkeep/observability';

/** Prometheus series of a connector worker, labelled with the connector `type`. */
export interface ConnectorMetrics {
  archived(bytes: number, created: boolean, duplicate: boolean): void;
  failed(category: string): void;
  taskFinished(status: 'succeeded' | 'failed' | 'cancelled' | 'handed-back'): void;
  taskStarted(): () => void;
  /** A request the source throttled, and the wait before it is retried. */
  throttled(waitMs: number): void;
}

export function createConnectorMetrics(metrics: Metrics, type: string): ConnectorMetrics {
  const messages = metrics.counter({
    name: 'mailkeep_connector_messages_archived_total',
    help: 'Messages stored and announced; result=new|duplicate (event already on the stream)',
    labelNames: ['type', 'result'],
  });
  const bytes = metrics.counter({
    name: 'mailkeep_connector_bytes_archived_total',
    help: 'Bytes of archived messages; blob=created|existing (content already stored for the tenant)',
    labelNames: ['type', 'blob'],
  });
  const failures = metrics.counter({
    name: 'mailkeep_connector_message_failures_total',
    help: 'Messages that could not be archived, by error category',
    labelNames: ['type', 'category'],
  });
  const tasks = metrics.counter({
    name: 'mailkeep_connector_tasks_total',
    help: 'Task attempts ended, by outcome',
    labelNames: ['type', 'status'],
  });
  const durations = metrics.histogram({
    name: 'mailkeep_connector_task_duration_seconds',
    help: 'Time one task attempt took, from delivery to its end',
    labelNames: ['type'],
    // A mailbox task takes from a second (nothing new) to hours (a first archive).
    buckets: [1, 5, 30, 120, 600, 1800, 3600, 4 * 3600, 12 * 3600],
  });
  const running = metrics.gauge({
    name: 'mailkeep_connector_tasks_running',
    help: 'Tasks being worked on by this process',
    labelNames: ['type'],
  });
  const throttled = metrics.counter({
    name: 'mailkeep_connector_throttled_total',
    help: 'Requests the source throttled (HTTP 429/503/504 or a server-given back-off)',
    labelNames: ['type'],
  });
  const throttleWait = metrics.counter({
    name: 'mailkeep_connector_throttle_wait_seconds_total',
    help: 'Seconds spent waiting as throttling sources asked',
    labelNames: ['type'],
  });
  return {
    throttled(waitMs) {
      throttled.inc({ type });
      throttleWait.inc({ type }, waitMs / 1000);
    },
    archived(size, created, duplicate) {
      messages.inc({ type, result: duplicate ? 'duplicate' : 'new' });
      bytes.inc({ type, blob: created ? 'created' : 'existing' }, size);
    },
    failed: (category) => failures.inc({ type, category }),
    taskFinished: (status) => tasks.inc({ type, status }),
    taskStarted() {
      running.inc({ type });
      const timer = durations.startTimer({ type });
      return () => {
        running.dec({ type });
        timer();
      };
    },
  };
}
