import { MESSAGE_ARCHIVED_V1, type MessageArchivedEvent } from '@mailkeep/contracts';
import { HandleMessage } from '@mailkeep/messaging';
import { Controller } from '@nestjs/common';

import { toCatalogRow } from './catalog-row.js';
import { IngestBatcher, INGEST_BATCH_MAX_ROWS } from './ingest-batcher.js';

/**
 * Events handled at once: two batches' worth, so one batch fills while the previous one commits.
 * (The consumer pulls no more than this, and the stream's max_ack_pending of 1,000 bounds it too.)
 */
const INGEST_CONCURRENCY = 2 * INGEST_BATCH_MAX_ROWS;

/**
 * Ack deadline of an archived event. A batch commits in well under a second; heartbeats extend
 * the deadline meanwhile, so thirty seconds only bounds how soon a dead catalog's events move on.
 */
const INGEST_ACK_WAIT_MS = 30_000;

/** The catalog's durable consumer on ARCHIVE_EVENTS: its pending messages are the ingest lag. */
export const CATALOG_INGEST_DURABLE = 'catalog-messages';

/**
 * The catalog's durable consumer of archived events (A3). An event that fails validation never
 * gets here: the messaging library terminates and logs it.
 */
@Controller()
export class ArchivedEventsHandler {
  constructor(private readonly batcher: IngestBatcher) {}

  @HandleMessage(MESSAGE_ARCHIVED_V1, {
    durable: CATALOG_INGEST_DURABLE,
    concurrency: INGEST_CONCURRENCY,
    ackWaitMs: INGEST_ACK_WAIT_MS,
    // A redelivered event finds its row and adds nothing (unique key, A3).
    idempotent: true,
  })
  archived(event: MessageArchivedEvent): Promise<void> {
    return this.batcher.add(toCatalogRow(event));
  }
}
