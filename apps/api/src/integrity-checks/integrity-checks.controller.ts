import { INTEGRITY_CHECK_GET_V1, INTEGRITY_CHECK_START_V1, type IntegrityCheck } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { IntegrityCheckDto } from './dto/integrity-check.dto.js';

/** Check ids are UUIDs; anything longer is cut before it travels (the catalog answers NOT_FOUND). */
const MAX_ID_LENGTH = 200;

/** Integrity checks of a tenant's archive (SPEC §5, A4), run by the catalog. */
@ApiTags('integrity-checks')
@ApiBearerAuth()
@Controller('tenants/:tenantId/integrity-checks')
export class IntegrityChecksController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @Access('tenant-write')
  @Audited('integrity-check.start', 'integrity-check')
  @ApiOperation({
    summary: 'Start an integrity check',
    description:
      'Re-hashes every blob of the tenant in the background (archiving goes on meanwhile); follow it with GET. ' +
      '409 names the check still running.',
  })
  @ApiResponse({ status: 201, type: IntegrityCheckDto })
  start(@TenantId() tenantId: string): Promise<IntegrityCheck> {
    return this.bus.request(INTEGRITY_CHECK_START_V1, { tenantId });
  }

  @Get(':id')
  @Access('tenant-read')
  @ApiOperation({ summary: 'An integrity check: progress and findings' })
  @ApiResponse({ status: 200, type: IntegrityCheckDto })
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<IntegrityCheck> {
    return this.bus.request(INTEGRITY_CHECK_GET_V1, {
      tenantId,
      id: id.slice(0, MAX_ID_LENGTH),
    });
  }
}
