import { access, constants, mkdir } from 'node:fs/promises';

import { MessageBus } from '@mailkeep/messaging';
import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

import { Access } from '../auth/access.decorator.js';
import { API_CONFIG } from '../tokens.js';
import type { ApiEnv } from '../api.env.js';

/** Each readiness probe gets two seconds: a dependency slower than that is not ready to serve. */
const CHECK_TIMEOUT_MS = 2_000;

type CheckResult = 'up' | 'down';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly bus: MessageBus,
    private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiEnv,
  ) {}

  @Get('live')
  @Access('public')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  @Get('ready')
  @Access('public')
  @ApiOperation({ summary: 'Readiness: NATS, the database and storage are reachable' })
  async ready(
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ status: string; checks: Record<string, CheckResult> }> {
    const [nats, database, storage] = await Promise.all([
      probe(() => this.bus.connection.flush()),
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.storageWritable()),
    ]);
    const checks = { nats, database, storage };
    const ready = Object.values(checks).every((result) => result === 'up');
    response.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not-ready', checks };
  }

  /** Blobs live on the local filesystem unless S3 is configured (that check comes with the S3 driver). */
  private async storageWritable(): Promise<void> {
    await mkdir(this.config.MAILKEEP_DATA_DIR, { recursive: true });
    await access(this.config.MAILKEEP_DATA_DIR, constants.W_OK);
  }
}

async function probe(check: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
