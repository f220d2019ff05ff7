import {
  type ArchiveTarget,
  type ConnectorDefinition,
  type ConnectorMetrics,
  type ConnectorWorker,
  connectorTaskHandler,
  runConnectorWorker,
} from '@mailkeep/connector-kit';
import type { ProfileBase } from '@mailkeep/contracts';
import type { Egress } from '@mailkeep/egress';
import type { MessageBus, RetryPolicy } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import type { BlobStore } from '@mailkeep/storage';

export interface TestConnectorWorkerOptions<P extends Pick<ProfileBase, 'type'>> {
  readonly connector: ConnectorDefinition<P>;
  readonly bus: MessageBus;
  readonly blobs: BlobStore;
  readonly logger: Logger;
  /** The policy the connector connects through (the fake's or server's allowance). */
  readonly egress: Egress;
  /** Each mailbox id's target, set by the test before it publishes the task. */
  readonly targets: ReadonlyMap<string, ArchiveTarget>;
  readonly retry?: RetryPolicy;
  readonly concurrency?: number;
  readonly metrics?: ConnectorMetrics;
}

/**
 * A connector as its service runs it (the kit's worker loop and task handler), except that a
 * task's target comes from the test's map instead of the profiles, directory and secrets services.
 * A task whose mailbox the map lacks fails as a target that cannot be loaded.
 */
export function runTestConnectorWorker<P extends Pick<ProfileBase, 'type'>>(
  options: TestConnectorWorkerOptions<P>,
): Promise<ConnectorWorker> {
  const { connector, bus, logger, targets } = options;
  return runConnectorWorker({
    type: connector.type,
    bus,
    blobs: options.blobs,
    logger,
    retry: options.retry,
    concurrency: options.concurrency,
    metrics: options.metrics,
    handleTask: connectorTaskHandler(connector, {
      bus,
      logger,
      egress: options.egress,
      loadTarget: (task) => {
        const found = targets.get(task.mailboxId);
        return found ? Promise.resolve(found) : Promise.reject(new Error(`no target for ${task.mailboxId}`));
      },
    }),
  });
}
