import type { BlobDriver } from '@mailkeep/storage';
import { type DynamicModule, Module } from '@nestjs/common';

import { ArchivedEventsHandler } from './ingest/archived-events.handler.js';
import { IngestProgress } from './ingest/ingest-progress.js';
import { IngestBatcher } from './ingest/ingest-batcher.js';
import { MessageWriter } from './ingest/message-writer.js';
import { IntegrityChecksHandler } from './integrity/integrity-checks.handler.js';
import { IntegrityChecksRepository } from './integrity/integrity-checks.repository.js';
import { IntegrityChecksService } from './integrity/integrity-checks.service.js';
import { IntegrityRunner } from './integrity/integrity-runner.js';
import { MessagesHandler } from './messages/messages.handler.js';
import { MessagesRepository } from './messages/messages.repository.js';
import { MessagesService } from './messages/messages.service.js';
import { TaskTallyHandler } from './task-tally/task-tally.handler.js';
import { TaskTallyRepository } from './task-tally/task-tally.repository.js';
import { TextIndexHandler } from './text/text-index.handler.js';
import { TextIndexRepository } from './text/text-index.repository.js';
import { TextIndexer } from './text/text-indexer.js';
import { BLOB_STORE } from './tokens.js';

export interface CatalogModuleOptions {
  /**
   * The tenant blob store's driver (the store the connectors write to): the catalog only reads,
   * and integrity checks read whole segments through it.
   */
  readonly blobs: BlobDriver;
}

@Module({})
export class CatalogModule {
  static forRoot(options: CatalogModuleOptions): DynamicModule {
    return {
      module: CatalogModule,
      // The NATS endpoints: served by the bus transport (MessageBusServer).
      controllers: [
        ArchivedEventsHandler,
        MessagesHandler,
        IntegrityChecksHandler,
        TextIndexHandler,
        TaskTallyHandler,
      ],
      providers: [
        { provide: BLOB_STORE, useValue: options.blobs },
        MessageWriter,
        IngestBatcher,
        MessagesRepository,
        MessagesService,
        IntegrityChecksRepository,
        IntegrityRunner,
        IntegrityChecksService,
        TextIndexRepository,
        TextIndexer,
        IngestProgress,
        TaskTallyRepository,
      ],
      exports: [IngestBatcher, IntegrityRunner],
    };
  }
}
