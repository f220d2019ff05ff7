import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import {
  type ArchivedMessage,
  ContractError,
  MESSAGE_GET_V1,
  MESSAGE_LOCATE_RAW_V1,
  MESSAGE_SEARCH_V1,
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
import { rawBlobLocation } from './raw-blob-location.js';
import { attachmentOf } from './attachment-part.js';
import { attachmentContentDisposition, emlContentDisposition } from './content-disposition.js';
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
    const page = await this.bus.request(MESSAGE_SEARCH_V1, {
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
    return this.bus.request(MESSAGE_GET_V1, {
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
    const location = await this.bus.request(MESSAGE_LOCATE_RAW_V1, {
      tenantId,
      id: id.slice(0, MAX_ID_LENGTH),
    });
    // The stored size, not the catalogued one: the header must match the bytes that follow.
    const at = rawBlobLocation(location);
    const stat = await this.blobs.stat(location.tenantId, location.sha256, at);
    if (!stat) throw new BlobNotFoundError(location.tenantId, location.sha256);
    const source = await this.blobs.get(location.tenantId, location.sha256, at);
    response.status(200);
    response.setHeader('Content-Type', 'message/rfc822');
    response.setHeader('Content-Length', String(stat.size));
    response.setHeader('Content-Disposition', emlContentDisposition(location.subject, location.id));
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'private, no-store');
    const sent = byteCounter();
    try {
      await pipeline(source, sent.stream, response);
    } catch (error) {
      // Every byte was handed to the connection and the client closed it right after the last one
      // (many HTTP clients do, before the blob stream's end or the response's 'finish'): a complete
      // download, not a failure.
      if (sent.bytes() === stat.size) {
        this.logger.debug('raw message downloaded; the client closed the connection at its end', {
          messageId: location.id,
        });
        return;
      }
      // Headers are gone: the client sees a body shorter than Content-Length, i.e. a failed download.
      this.logger.warn('raw message download interrupted', { messageId: location.id, error });
      response.destroy();
    }
  }

  @Get(':id/attachments/:part')
  @Access('tenant-read')
  @ApiOperation({
    summary: 'Download one attachment of a message',
    description:
      'The decoded attachment numbered `part` in the message’s `attachments`, as a download with its file name. ' +
      '404 for an unknown message or part (also while the message’s text is `pending`).',
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The attachment.', content: { 'application/octet-stream': {} } })
  async attachment(
    @Param('tenantId') tenantId: string,
    @Param('id') id: string,
    @Param('part') part: string,
    @Res() response: Response,
  ): Promise<void> {
    const ref = { tenantId: tenantId.toLowerCase(), id: id.slice(0, MAX_ID_LENGTH) };
    const message = await this.bus.request(MESSAGE_GET_V1, ref);
    const listed = message.attachments.find((attachment) => String(attachment.part) === part);
    if (!listed)
      throw new ContractError('NOT_FOUND', `Message ${message.id} has no attachment ${part.slice(0, 20)}`);
    const location = await this.bus.request(MESSAGE_LOCATE_RAW_V1, ref);
    const content = await attachmentOf(this.blobs, location, listed.part);
    if (!content)
      throw new ContractError('NOT_FOUND', `Message ${message.id} has no attachment ${listed.part}`);
    response.status(200);
    // Served as bytes to save, never rendered by the browser (an HTML attachment must not run here).
    response.setHeader('Content-Type', 'application/octet-stream');
    response.setHeader('Content-Length', String(content.byteLength));
    response.setHeader(
      'Content-Disposition',
      attachmentContentDisposition(listed.name, `attachment-${listed.part}`),
    );
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'private, no-store');
    response.end(content);
  }
}

/** A pass-through that counts the bytes going through it. */
function byteCounter(): { stream: PassThrough; bytes: () => number } {
  let count = 0;
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (count += chunk.length));
  return { stream, bytes: () => count };
}
