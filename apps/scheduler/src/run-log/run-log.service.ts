import { RUN_LOGGED_V1, type RunLogEntry, type RunLogSeverity } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { RunLogEntity } from './run-log.entity.js';

/** Longest message kept (the column's length); longer ones are cut with an ellipsis. */
const MAX_MESSAGE_LENGTH = 4_000;

export function toRunLogEntry(entity: RunLogEntity): RunLogEntry {
  return {
    id: entity.id,
    at: entity.at.toISOString(),
    severity: entity.severity,
    message: entity.message,
    mailboxId: entity.mailboxId,
  };
}

/**
 * A run's log (SC4): entries in PostgreSQL, each also published as `archive.evt.run.logged.v1`
 * for live views. The row is the record; a lost event only delays a live view until it reloads.
 */
@Injectable()
export class RunLogService {
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    this.logger = context.logger;
  }

  async write(
    run: { id: string; tenantId: string },
    severity: RunLogSeverity,
    message: string,
    options: { mailboxId?: string; manager?: EntityManager } = {},
  ): Promise<void> {
    const text =
      message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message;
    const manager = options.manager ?? this.dataSource.manager;
    const entity = await manager.getRepository(RunLogEntity).save(
      Object.assign(new RunLogEntity(), {
        runId: run.id,
        tenantId: run.tenantId,
        at: new Date(),
        severity,
        message: text,
        mailboxId: options.mailboxId ?? null,
      }),
    );
    // Inside a transaction the row may still roll back: publish only what is committed.
    if (options.manager) return;
    await this.publish(run, entity);
  }

  async publish(run: { id: string; tenantId: string }, entity: RunLogEntity): Promise<void> {
    try {
      await this.bus.publish(
        RUN_LOGGED_V1,
        { tenantId: run.tenantId, runId: run.id, entry: toRunLogEntry(entity) },
        { msgId: `run-log-${entity.id}` },
      );
    } catch (error) {
      this.logger.warn('run log event not published', { runId: run.id, error: String(error) });
    }
  }

  /** A page of a run's log, oldest first, after the entry id given. */
  page(runId: string, afterId: string | undefined, limit: number): Promise<RunLogEntity[]> {
    const builder = this.dataSource
      .getRepository(RunLogEntity)
      .createQueryBuilder('l')
      .where('l.runId = :runId', { runId });
    if (afterId !== undefined) builder.andWhere('l.id > :afterId', { afterId });
    return builder.orderBy('l.id').limit(limit).getMany();
  }
}
