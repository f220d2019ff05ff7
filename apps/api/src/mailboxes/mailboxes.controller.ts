import {
  MAILBOX_CREATE_V1,
  MAILBOX_DELETE_V1,
  MAILBOX_GET_V1,
  MAILBOX_LIST_V1,
  MAILBOX_UPDATE_V1,
  type MailboxCreateRequest,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import type { Page } from '../http/paging.js';
import {
  CreateMailboxDto,
  MailboxDto,
  MailboxImportQueryDto,
  MailboxImportResultDto,
  MailboxListQueryDto,
  MailboxPageDto,
  UpdateMailboxDto,
} from './dto/mailbox.dto.js';
import { forwardBody } from './forward.js';
import { MailboxImportService } from './mailbox-import.service.js';

/** Mailboxes (SPEC D1, D2), owned by the directory service: the api authorises and forwards. */
@ApiTags('mailboxes')
@ApiBearerAuth()
@Controller('tenants/:tenantId')
export class MailboxesController {
  constructor(
    private readonly bus: MessageBus,
    private readonly imports: MailboxImportService,
  ) {}

  @Post('mailboxes')
  @Access('tenant-write')
  @Audited('mailbox.create', 'mailbox')
  @ApiOperation({ summary: 'Create a mailbox' })
  @ApiBody({ type: CreateMailboxDto })
  @ApiResponse({ status: 201, type: MailboxDto })
  create(@TenantId() tenantId: string, @Body() body: unknown): Promise<MailboxDto> {
    const request = forwardBody(body, { tenantId });
    return this.bus.request(MAILBOX_CREATE_V1, request as unknown as MailboxCreateRequest);
  }

  // Express's path syntax reads `:import` as a parameter; the backslash makes the colon literal.
  @Post('mailboxes\\:import')
  @HttpCode(200)
  @Access('tenant-write')
  @Audited('mailbox.import', 'mailbox')
  @ApiOperation({
    summary: 'Import mailboxes from CSV',
    description:
      'A `text/csv` body with a header row and the columns primaryAddress,displayName,secondaryAddresses ' +
      '(`;` between secondary addresses). Idempotent by primary address: existing mailboxes are updated ' +
      'or left unchanged. Rows that fail are reported, the others are kept.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      example: 'primaryAddress,displayName,secondaryAddresses\nada@example.com,Ada,ada.l@example.com',
    },
  })
  @ApiResponse({ status: 200, type: MailboxImportResultDto })
  import(
    @TenantId() tenantId: string,
    @Query() query: MailboxImportQueryDto,
    @Body() body: unknown,
  ): Promise<MailboxImportResultDto> {
    if (typeof body !== 'string') throw new UnsupportedMediaTypeException('The body must be text/csv');
    return this.imports.import(tenantId, body, query.directoryServiceId?.toLowerCase());
  }

  @Get('mailboxes')
  @Access('tenant-read')
  @ApiOperation({
    summary: 'List mailboxes',
    description:
      '`search` matches when an address (primary or secondary) or the display name includes it, or the id equals it; case-insensitive, % and _ literal.',
  })
  @ApiResponse({ status: 200, type: MailboxPageDto })
  list(@TenantId() tenantId: string, @Query() query: MailboxListQueryDto): Promise<Page<MailboxDto>> {
    return this.bus.request(MAILBOX_LIST_V1, {
      tenantId,
      ...(query.search !== undefined && { search: query.search }),
      ...(query.limit !== undefined && { limit: query.limit }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      ...(query.directoryServiceId !== undefined && {
        directoryServiceId: query.directoryServiceId.toLowerCase(),
      }),
    });
  }

  @Get('mailboxes/:id')
  @Access('tenant-read')
  @ApiOperation({ summary: 'Read a mailbox' })
  @ApiResponse({ status: 200, type: MailboxDto })
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<MailboxDto> {
    return this.bus.request(MAILBOX_GET_V1, { tenantId, id });
  }

  @Patch('mailboxes/:id')
  @Access('tenant-write')
  @Audited('mailbox.update', 'mailbox')
  @ApiOperation({ summary: 'Change a mailbox (a synced one: only its secondary addresses)' })
  @ApiBody({ type: UpdateMailboxDto })
  @ApiResponse({ status: 200, type: MailboxDto })
  update(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown): Promise<MailboxDto> {
    const request = forwardBody(body, { tenantId, id });
    return this.bus.request(MAILBOX_UPDATE_V1, request);
  }

  @Delete('mailboxes/:id')
  @HttpCode(204)
  @Access('tenant-write')
  @Audited('mailbox.delete', 'mailbox')
  @ApiOperation({
    summary: 'Delete a mailbox',
    description:
      '409 while an archiving profile uses it; 503 when that cannot be checked. Archived mail stays.',
  })
  async delete(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.bus.request(MAILBOX_DELETE_V1, { tenantId, id });
  }
}
