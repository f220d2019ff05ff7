import { RUN_CANCELLATIONS_BUCKET } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import { KvWatchInclude } from '@nats-io/kv';

type KeyValue = Awaited<ReturnType<MessageBus['keyValue']>>;
type Watch = Awaited<ReturnType<KeyValue['watch']>>;

/**
 * The runs an operator cancelled, as every worker sees them (RUN_CANCELLATIONS_BUCKET): asked
 * when a task is delivered, and watched so a running task stops at its next message.
 */
export class RunCancellations {
  private watch: Watch | undefined;

  private constructor(
    private readonly kv: KeyValue,
    private readonly logger: Logger,
  ) {}

  static async open(bus: MessageBus, logger: Logger): Promise<RunCancellations> {
    return new RunCancellations(await bus.keyValue(RUN_CANCELLATIONS_BUCKET), logger);
  }

  async isCancelled(runId: string): Promise<boolean> {
    const entry = await this.kv.get(runId);
    return entry?.operation === 'PUT';
  }

  /** Calls `onCancelled(runId)` for every cancellation written from now on. */
  async follow(onCancelled: (runId: string) => void): Promise<void> {
    const watch = await this.kv.watch({ include: KvWatchInclude.UpdatesOnly, ignoreDeletes: true });
    this.watch = watch;
    void (async () => {
      try {
        for await (const entry of watch) onCancelled(entry.key);
      } catch (error) {
        // Without the watch a cancel still reaches queued tasks (isCancelled) but not running ones.
        this.logger.error('run cancellation watch ended', { error });
      }
    })();
  }

  stop(): void {
    this.watch?.stop();
  }
}
