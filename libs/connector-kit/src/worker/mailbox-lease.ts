import { setTimeout as sleep } from 'node:timers/promises';

import { MAILBOX_LEASES_BUCKET } from '@mailkeep/contracts';
import type { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';

type KeyValue = Awaited<ReturnType<MessageBus['keyValue']>>;

/**
 * Renewals per lease lifetime. Four means a lease survives three lost renewals (a NATS hiccup)
 * before it expires and another worker may take the mailbox.
 */
const RENEWALS_PER_LIFETIME = 4;

/**
 * How often a task waiting for a busy mailbox tries again. The holder renews every 15 s and a dead
 * holder's lease expires within a minute, so a few seconds keeps the wait short without load.
 */
export const LEASE_RETRY_MS = 3_000;

/** The key of a mailbox's lease in MAILBOX_LEASES_BUCKET. */
export function mailboxLeaseKey(tenantId: string, mailboxId: string): string {
  return `${tenantId}.${mailboxId}`;
}

/** A mailbox held by this task; released when the task ends. */
export interface MailboxLease {
  /** Aborted when the lease could not be renewed: another worker may now archive the mailbox. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * One task at a time per mailbox, across every worker (MAILBOX_LEASES_BUCKET): `acquire` creates
 * the key (refused while another task holds it), a timer renews it with the revision it wrote
 * (so a lease that expired and was taken over is noticed, not stolen back), `release` deletes it
 * only if it is still ours.
 */
export class MailboxLeases {
  private constructor(
    private readonly kv: KeyValue,
    private readonly logger: Logger,
    private readonly retryMs: number,
  ) {}

  static async open(bus: MessageBus, logger: Logger, retryMs = LEASE_RETRY_MS): Promise<MailboxLeases> {
    return new MailboxLeases(await bus.keyValue(MAILBOX_LEASES_BUCKET), logger, retryMs);
  }

  /**
   * Waits until the mailbox is free and takes it. `onWait` runs on every refused try (the caller
   * extends its command's ack deadline there). Rejects with the signal's reason when aborted.
   */
  async acquire(
    key: { tenantId: string; mailboxId: string },
    holder: string,
    options: { signal: AbortSignal; onWait: () => void },
  ): Promise<MailboxLease> {
    const name = mailboxLeaseKey(key.tenantId, key.mailboxId);
    for (;;) {
      options.signal.throwIfAborted();
      const revision = await this.tryCreate(name, holder);
      if (revision !== undefined) return this.hold(name, holder, revision);
      options.onWait();
      await sleep(this.retryMs, undefined, { signal: options.signal });
    }
  }

  private async tryCreate(name: string, holder: string): Promise<number | undefined> {
    try {
      return await this.kv.create(name, JSON.stringify({ holder, since: new Date().toISOString() }));
    } catch (error) {
      if (await this.isHeld(name)) return undefined;
      throw error;
    }
  }

  private async isHeld(name: string): Promise<boolean> {
    const entry = await this.kv.get(name);
    return entry?.operation === 'PUT';
  }

  private hold(name: string, holder: string, firstRevision: number): MailboxLease {
    let revision = firstRevision;
    const lost = new AbortController();
    const renewEveryMs = MAILBOX_LEASES_BUCKET.ttlMs / RENEWALS_PER_LIFETIME;
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = this.kv
        .update(name, JSON.stringify({ holder, renewedAt: new Date().toISOString() }), revision)
        .then(
          (next) => void (revision = next),
          (error: unknown) => {
            this.logger.warn('mailbox lease not renewed', { lease: name, error });
            // Refused: someone else holds it now. A network error: keep trying until expiry.
            void this.isHeldBy(name, holder, revision).then(
              (ours) => ours || lost.abort(new Error('mailbox lease lost')),
              () => undefined,
            );
          },
        );
    }, renewEveryMs);
    timer.unref();
    return {
      lost: lost.signal,
      release: async () => {
        clearInterval(timer);
        await renewing;
        try {
          await this.kv.delete(name, { previousSeq: revision });
        } catch (error) {
          // Not ours any more (taken over after expiry) or NATS is down: expiry frees it anyway.
          this.logger.debug('mailbox lease not released', { lease: name, error });
        }
      },
    };
  }

  private async isHeldBy(name: string, holder: string, revision: number): Promise<boolean> {
    const entry = await this.kv.get(name);
    return entry?.operation === 'PUT' && entry.revision === revision && entry.string().includes(holder);
  }
}
