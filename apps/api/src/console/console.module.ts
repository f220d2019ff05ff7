import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Logger } from '@mailkeep/observability';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { type Express } from 'express';

import { API_LOGGER } from '../tokens.js';
import { consoleMiddleware } from './console-middleware.js';

/** apps/console/dist, seen from apps/api/dist/console (and from apps/api/src/console in tests). */
const CONSOLE_DIST = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/**
 * Serves the web console (apps/console's build) at `/`. Its handler is added when the routes are
 * already registered (onModuleInit runs after Nest's router, before its 404 handler), so every
 * API route wins and only what no route answered reaches it; /api and /metrics never do.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
      this.logger.warn('web console not built; / serves nothing (npm run build builds it)', {
        dir: CONSOLE_DIST,
      });
      return;
    }
    const app = this.adapterHost.httpAdapter.getInstance<Express>();
    app.use(consoleMiddleware(CONSOLE_DIST, express.static));
  }
}
