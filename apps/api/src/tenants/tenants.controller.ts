import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { ListQueryDto } from '../http/dto/list-query.dto.js';
import type { Page } from '../http/paging.js';
import { CreateTenantDto, TenantDto, TenantPageDto, UpdateTenantDto } from './dto/tenant.dto.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @Access('operator')
  @Audited('tenant.create', 'tenant')
  @ApiOperation({ summary: 'Create a tenant (operators only)' })
  @ApiResponse({ status: 201, type: TenantDto })
  create(@Body() body: CreateTenantDto): Promise<TenantDto> {
    return this.tenants.create(body);
  }

  @Get()
  @Access('operator')
  @ApiOperation({ summary: 'List tenants (operators only)' })
  @ApiResponse({ status: 200, type: TenantPageDto })
  list(@Query() query: ListQueryDto): Promise<Page<TenantDto>> {
    return this.tenants.list(query);
  }

  @Get(':tenantId')
  @Access('tenant-read')
  @ApiOperation({ summary: 'Read a tenant (operators; admins and auditors read their own)' })
  @ApiResponse({ status: 200, type: TenantDto })
  get(@TenantId() tenantId: string): Promise<TenantDto> {
    return this.tenants.get(tenantId);
  }

  @Patch(':tenantId')
  @Access('operator')
  @Audited('tenant.update', 'tenant')
  @ApiOperation({ summary: 'Rename a tenant (operators only)' })
  @ApiResponse({ status: 200, type: TenantDto })
  update(@TenantId() tenantId: string, @Body() body: UpdateTenantDto): Promise<TenantDto> {
    return this.tenants.update(tenantId, body);
  }

  @Delete(':tenantId')
  @HttpCode(204)
  @Access('operator')
  @Audited('tenant.delete', 'tenant')
  @ApiOperation({
    summary: 'Delete a tenant (operators only)',
    description: 'The tenant and its API keys stop working. Archived mail is never deleted.',
  })
  async delete(@TenantId() tenantId: string): Promise<void> {
    await this.tenants.delete(tenantId);
  }
}
