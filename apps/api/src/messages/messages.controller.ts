import { pipeline } from 'node:stream/promises';

import {
  type ArchivedMessage,
  CATALOG_MESSAGE_GET_V1,
  CATALOG_MESSAGE_LOCATE_RAW_V1,
  CATALOG_MESSAGE_SEARCH_V1,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import type { Logger } from '@mailkeep/observability';
import { BlobNotFoundError, type BlobStore } from '@mailkeep/storage';
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { type Page, pageSize } from '../http/paging.js';
import { API_LOGGER } from '../tokens.js';
import { API_BLOB_STORE } from './api-blob-store.js';
import { emlContentDisposition } from './content-disposition.js';
import { ArchivedMessageDto, MessageListQueryDto, MessagePageDto } from './dto/message.dto.js';

/** Message ids are UUIDs; anything longer is cut before it travels (the catalog answers NOT_FOUND). */
const MAX_ID_LENGTH = 200;

/** The tenant's archived messages (SPEC §5, A4), forwarded to the catalog; raw MIME from the blob store. */
@ApiTags('messages')
@ApiBearerAuth()
@Controller('tenants/:tenantId/messages')
export class MessagesController {
  constructor(
    private readonly bus: MessageBus,
    @Inject(API_BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  @Access('tenant-read')
  @ApiOperation({
    summary: 'Browse and search archived messages (A4)',
    description:
      'Newest first by Date (archive time for a message without one). All filters given must hold.',
  })
  @ApiResponse({ status: 200, type: MessagePageDto })
  async list(
    @TenantId() tenantId: string,
    @Query() query: MessageListQueryDto,
  ): Promise<Page<ArchivedMessage>> {
    const { limit, ...filters } = query;
    const defined = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
    const page = await this.bus.request(CATALOG_MESSAGE_SEARCH_V1, {
      ...defined,
      tenantId,
      limit: pageSize(limit),
    });
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  }

  @Get(':id')
  @Access('tenant-read')
  @ApiOperation({ summary: 'One archived message’s metadata' })
  @ApiResponse({ status: 200, type: ArchivedMessageDto })
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<ArchivedMessage> {
    return this.bus.request(CATALOG_MESSAGE_GET_V1, {
      tenantId,
      id: id.slice(0, MAX_ID_LENGTH),
    });
  }

  @Get(':id/raw')
  @Access('tenant-read')
  @ApiOperation({
    summary: 'Download the raw message',
    description:
      'The MIME bytes exactly as archived, streamed from storage, as `message/rfc822` with Content-Length and ' +
      'an attachment file name made from the subject. 404 for an unknown message, or `blob_not_found` when ' +
      'the archive no longer holds its content (run an integrity check).',
  })
  @ApiProduces('message/rfc822')
  @ApiResponse({ status: 200, description: 'The raw message.', content: { 'message/rfc822': {} } })
  async raw(@TenantId() tenantId: string, @Param('id') id: string, @Res() response: Response): Promise<void> {
    const location = await this.bus.request(CATALOG_MESSAGE_LOCATE_RAW_V1, {
      tenantId,
      id: id.slice(0, MAX_ID_LENGTH),
    });
    // The stored size, not the catalogued one: the header must match the bytes that follow.
    const stat = await this.blobs.stat(location.tenantId, location.sha256);
    if (!stat) throw new BlobNotFoundError(location.tenantId, location.sha256);
    const source = await this.blobs.get(location.tenantId, location.sha256);
    response.status(200);
    response.setHeader('Content-Type', 'message/rfc822');
    response.setHeader('Content-Length', String(stat.size));
    response.setHeader('Content-Disposition', emlContentDisposition(location.subject, location.id));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'private, no-store');
    try {
      await pipeline(source, response);
    } catch (error) {
      // Headers are gone: the client sees a body shorter than Content-Length, i.e. a failed download.
      this.logger.warn('raw message download interrupted', { messageId: location.id, error });
      response.destroy();
    }
  }
}
