import { ContractError } from '@mailkeep/contracts';
import type { Logger } from '@mailkeep/observability';
import { postgresErrorOf } from '@mailkeep/persistence';
import { SERVICE_CONTEXT, type ServiceContext } from '@mailkeep/runtime';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';

import type { CatalogRow } from './catalog-row.js';
import { MessageWriter } from './message-writer.js';

/**
 * Rows written by one INSERT. 500 rows are ~1 MB of JSON at worst-case header sizes and a few
 * hundred KB typically: one round trip and one commit for 500 events, where PostgreSQL's per-
 * statement and per-commit costs dominate single-row inserts.
 */
export const INGEST_BATCH_MAX_ROWS = 500;

/**
 * How long the first event of a batch waits for others. Under load a batch fills long before;
 * when events trickle in, 20 ms is what one archived message costs in added latency.
 */
export const INGEST_BATCH_MAX_WAIT_MS = 20;

/**
 * SQLSTATE classes caused by the data of a row, not by the database's state: 22 (data exception,
 * e.g. a timestamp out of range), 23 (integrity constraint), 54 (program limit exceeded, e.g. an
 * index row too large). Retrying such a row can never succeed.
 */
const DATA_ERROR_CLASSES = ['22', '23', '54'];

interface Pending {
  readonly row: CatalogRow;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Collects the rows of concurrently handled events into batches and writes each batch with one
 * statement. `add` resolves once the row's batch has committed (the handler then acks its event),
 * so an event is never acknowledged before its row is durable, and redelivered events are skipped
 * by the unique index. A batch that fails on the data of some row is written again row by row, so
 * only the offending events fail (permanently: terminated and logged), never their neighbours; a
 * batch that fails for another reason (database down) fails all its events as retryable.
 */
@Injectable()
export class IngestBatcher implements BeforeApplicationShutdown {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly writing = new Set<Promise<void>>();
  private readonly logger: Logger;
  private readonly ingested: Counter<'result'>;

  constructor(
    private readonly writer: MessageWriter,
    @Inject(SERVICE_CONTEXT) context: ServiceContext<unknown>,
  ) {
    this.logger = context.logger;
    this.ingested = context.metrics.counter({
      name: 'mailkeep_catalog_messages_ingested_total',
      help: 'Archived events handled by the catalog; result=inserted|skipped (already catalogued)|failed',
      labelNames: ['result'],
    });
  }

  /** Resolves when the row is stored (or was already); rejects when it cannot be. */
  add(row: CatalogRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (this.pending.length >= INGEST_BATCH_MAX_ROWS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), INGEST_BATCH_MAX_WAIT_MS);
    });
  }

  /** Writes what is waiting now and waits for every batch in progress. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.writing]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const work = this.write(batch).finally(() => this.writing.delete(work));
    this.writing.add(work);
  }

  private async write(batch: Pending[]): Promise<void> {
    const { rows, skipped } = withoutRepeatedRescans(batch);
    for (const entry of skipped) entry.resolve();
    this.ingested.inc({ result: 'skipped' }, skipped.length);
    try {
      const started = performance.now();
      const inserted = await this.writer.insert(rows.map((entry) => entry.row));
      this.logger.debug('catalog batch written', {
        rows: rows.length,
        inserted,
        ms: Math.round(performance.now() - started),
      });
      this.count(inserted, rows.length);
      for (const entry of rows) entry.resolve();
    } catch (error) {
      if (!isDataError(error)) {
        this.logger.warn('catalog batch failed; its events will be redelivered', {
          rows: rows.length,
          error,
        });
        for (const entry of rows) entry.reject(error);
        return;
      }
      // Some row's data is refused: find it by writing the rows one by one.
      for (const entry of rows) await this.writeAlone(entry);
    }
  }

  private async writeAlone(entry: Pending): Promise<void> {
    try {
      this.count(await this.writer.insert([entry.row]), 1);
      entry.resolve();
    } catch (error) {
      if (!isDataError(error)) return entry.reject(error);
      this.ingested.inc({ result: 'failed' });
      const detail = postgresErrorOf(error)?.code ?? 'unknown';
      entry.reject(
        new ContractError(
          'VALIDATION',
          `The catalog cannot store message ${entry.row.source_identity} of mailbox ${entry.row.mailbox_id} ` +
            `(PostgreSQL ${detail}: ${error instanceof Error ? error.message : String(error)})`,
          { reason: 'uncatalogable' },
        ),
      );
    }
  }

  private count(inserted: number, rows: number): void {
    this.ingested.inc({ result: 'inserted' }, inserted);
    this.ingested.inc({ result: 'skipped' }, rows - inserted);
  }
}

/**
 * A rescanned message whose content an earlier event of the same batch puts in the same mailbox
 * and folder is that message again (what it would find, had the events come one by one).
 */
function withoutRepeatedRescans(batch: readonly Pending[]): { rows: Pending[]; skipped: Pending[] } {
  const seen = new Set<string>();
  const rows: Pending[] = [];
  const skipped: Pending[] = [];
  for (const entry of batch) {
    const { tenant_id, mailbox_id, folder, sha256, rescan } = entry.row;
    const key = `${tenant_id}/${mailbox_id}/${sha256}/${folder}`;
    if (rescan && seen.has(key)) skipped.push(entry);
    else rows.push(entry);
    seen.add(key);
  }
  return { rows, skipped };
}

function isDataError(error: unknown): boolean {
  const code = postgresErrorOf(error)?.code;
  return code !== undefined && DATA_ERROR_CLASSES.includes(code.slice(0, 2));
}
