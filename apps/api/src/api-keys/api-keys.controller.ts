import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { principalOf } from '../http/request-context.js';
import { ApiKeysService } from './api-keys.service.js';
import {
  ApiKeyListDto,
  CreatedApiKeyDto,
  CreateOperatorApiKeyDto,
  CreateTenantApiKeyDto,
} from './dto/api-key.dto.js';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('tenants/:tenantId/api-keys')
export class TenantApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Access('tenant-write')
  @Audited('api-key.create', 'api-key')
  @ApiOperation({ summary: 'Create an admin or auditor key for the tenant; the key is shown once' })
  @ApiResponse({ status: 201, type: CreatedApiKeyDto })
  create(@TenantId() tenantId: string, @Body() body: CreateTenantApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(tenantId, body.name, body.role);
  }

  @Get()
  @Access('tenant-read')
  @ApiOperation({ summary: "List the tenant's keys (never the keys themselves)" })
  @ApiResponse({ status: 200, type: ApiKeyListDto })
  list(@TenantId() tenantId: string): Promise<ApiKeyListDto> {
    return this.keys.list(tenantId);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('tenant-write')
  @Audited('api-key.revoke', 'api-key')
  @ApiOperation({ summary: 'Revoke a key of the tenant' })
  async revoke(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Req() request: Request,
  ): Promise<void> {
    await this.keys.revoke(tenantId, id, principalOf(request)?.apiKeyId ?? '');
  }
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api-keys')
export class OperatorApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Access('operator')
  @Audited('api-key.create', 'api-key')
  @ApiOperation({ summary: 'Create another operator key (for rotation); the key is shown once' })
  @ApiResponse({ status: 201, type: CreatedApiKeyDto })
  create(@Body() body: CreateOperatorApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(null, body.name, 'operator');
  }

  @Get()
  @Access('operator')
  @ApiOperation({ summary: 'List operator keys' })
  @ApiResponse({ status: 200, type: ApiKeyListDto })
  list(): Promise<ApiKeyListDto> {
    return this.keys.list(null);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('operator')
  @Audited('api-key.revoke', 'api-key')
  @ApiOperation({ summary: 'Revoke an operator key (not the one making the request)' })
  async revoke(@Param('id') id: string, @Req() request: Request): Promise<void> {
    await this.keys.revoke(null, id, principalOf(request)?.apiKeyId ?? '');
  }
}
