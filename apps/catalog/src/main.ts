import './instrument.js';

import { ARCHIVE_EVENTS_STREAM } from '@mailkeep/contracts';
import { runService } from '@mailkeep/runtime';
import { createBlobStore } from '@mailkeep/storage';

import { CatalogEnv } from './catalog.env.js';
import { CatalogModule } from './catalog.module.js';
import { CATALOG_SCHEMA } from './database/catalog-schema.js';

await runService({
  name: 'catalog',
  env: CatalogEnv,
  schema: CATALOG_SCHEMA,
  streams: [ARCHIVE_EVENTS_STREAM],
  module: ({ config, logger }) => CatalogModule.forRoot({ blobs: createBlobStore(config, { logger }) }),
});
