import { ARCHIVE_EVENTS_STREAM } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Injectable } from '@nestjs/common';

import { CATALOG_INGEST_DURABLE } from './archived-events.handler.js';

/** How far the catalog has ingested ARCHIVE_EVENTS, read from its durable consumer's state. */
@Injectable()
export class IngestProgress {
  constructor(private readonly bus: MessageBus) {}

  /**
   * Every archived event at or before `sequence` has its row committed. The handler acks an event
   * only after its batch committed, so the consumer's ack floor past `sequence` says so; a floor
   * short of it still means caught up when nothing is waiting or unacked (the floor of a filtered
   * consumer stays at the last archived event, and the sequence may be another event's).
   */
  async reached(sequence: number): Promise<boolean> {
    const jsm = await this.bus.jetstreamManager();
    const info = await jsm.consumers.info(ARCHIVE_EVENTS_STREAM.name, CATALOG_INGEST_DURABLE);
    return info.ack_floor.stream_seq >= sequence || (info.num_pending === 0 && info.num_ack_pending === 0);
  }
}
