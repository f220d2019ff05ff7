import { type Metrics, renderMetrics } from '@mailkeep/observability';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';

import { Access } from '../auth/access.decorator.js';
import { API_METRICS } from '../tokens.js';

/** Prometheus scrape endpoint at /metrics (outside /api/v1, where scrapers expect it). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(API_METRICS) private readonly metrics: Metrics) {}

  @Get()
  @Access('public')
  async scrape(@Res() response: Response): Promise<void> {
    const { contentType, body } = await renderMetrics(this.metrics.registry);
    response.type(contentType).send(body);
  }
}
