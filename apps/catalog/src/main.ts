import './instrument.js';

import { ARCHIVE_EVENTS_STREAM } from '@mailkeep/contracts';
import { runService } from '@mailkeep/runtime';
import { createBlobDriver } from '@mailkeep/storage';

import { CatalogEnv } from './catalog.env.js';
import { CatalogModule } from './catalog.module.js';
import { CATALOG_INGEST_DURABLE } from './ingest/archived-events.handler.js';
import { CATALOG_SCHEMA } from './database/catalog-schema.js';

await runService({
  name: 'catalog',
  env: CatalogEnv,
  schema: CATALOG_SCHEMA,
  streams: [ARCHIVE_EVENTS_STREAM],
  // Ingest lag: archived events not yet in the catalog.
  watchedConsumers: [{ stream: ARCHIVE_EVENTS_STREAM.name, durable: CATALOG_INGEST_DURABLE }],
  module: ({ config, logger }) => CatalogModule.forRoot({ blobs: createBlobDriver(config, { logger }) }),
});
