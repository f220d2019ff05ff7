import { TEXT_INDEX_REINDEX_V1, TEXT_INDEX_STATUS_V1, type TextIndexStatus } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { TextIndexStatusDto } from './dto/message.dto.js';

/** The tenant's full text index of bodies and attachments (issue 23), kept by the catalog. */
@ApiTags('messages')
@ApiBearerAuth()
@Controller('tenants/:tenantId/text-index')
export class TextIndexController {
  constructor(private readonly bus: MessageBus) {}

  @Get()
  @Access('tenant-read')
  @ApiOperation({
    summary: 'Full text index status',
    description:
      'How many messages wait for their text, could not be read, or have unindexed attachments; the last re-index.',
  })
  @ApiResponse({ status: 200, type: TextIndexStatusDto })
  status(@Param('tenantId') tenantId: string): Promise<TextIndexStatus> {
    return this.bus.request(TEXT_INDEX_STATUS_V1, { tenantId: tenantId.toLowerCase() });
  }

  @Post('reindex')
  @HttpCode(202)
  @Access('tenant-write')
  @Audited('text-index.reindex', 'text-index')
  @ApiOperation({
    summary: 'Rebuild the full text index from the archived messages',
    description:
      'Extracts the text of every message of the tenant again from its blob (archives made before text ' +
      'indexing are indexed without this; use it after an extractor upgrade). Runs in the background, ' +
      'resumes after a restart; follow it with GET. A second request starts it over.',
  })
  @ApiResponse({ status: 202, type: TextIndexStatusDto })
  reindex(@Param('tenantId') tenantId: string): Promise<TextIndexStatus> {
    return this.bus.request(TEXT_INDEX_REINDEX_V1, { tenantId: tenantId.toLowerCase() });
  }
}
