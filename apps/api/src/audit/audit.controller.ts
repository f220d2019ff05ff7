import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor } from '@mailkeep/persistence';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import type { AuditEntryEntity } from './audit-entry.entity.js';
import type { AuditFilter } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { type AuditEntryDto, AuditPageDto, AuditQueryDto, AuditVerificationDto } from './dto/audit.dto.js';

@ApiTags('audit-log')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('tenants/:tenantId/audit-log')
  @Access('tenant-read')
  @ApiOperation({ summary: "The tenant's audit log, newest first" })
  @ApiResponse({ status: 200, type: AuditPageDto })
  tenantLog(@TenantId() tenantId: string, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.page(tenantId, query);
  }

  @Get('tenants/:tenantId/audit-log/verify')
  @Access('tenant-read')
  @ApiOperation({ summary: "Recompute the tenant's hash chain and name the first broken entry" })
  @ApiResponse({ status: 200, type: AuditVerificationDto })
  verifyTenant(@TenantId() tenantId: string): Promise<AuditVerificationDto> {
    return this.audit.verify(tenantId);
  }

  @Get('audit-log')
  @Access('operator')
  @ApiOperation({
    summary: 'The platform audit log (tenant-less actions, failed authentication), newest first',
  })
  @ApiResponse({ status: 200, type: AuditPageDto })
  platformLog(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.page(null, query);
  }

  @Get('audit-log/verify')
  @Access('operator')
  @ApiOperation({ summary: 'Recompute the platform hash chain' })
  @ApiResponse({ status: 200, type: AuditVerificationDto })
  verifyPlatform(): Promise<AuditVerificationDto> {
    return this.audit.verify(null);
  }

  private async page(tenantId: string | null, query: AuditQueryDto): Promise<AuditPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const filter: AuditFilter = {
      ...(query.action && { action: query.action }),
      ...(query.outcome && { outcome: query.outcome }),
      ...(query.objectType && { objectType: query.objectType }),
      ...(query.objectId && { objectId: query.objectId }),
      ...(query.actorApiKeyId && { actorApiKeyId: query.actorApiKeyId }),
      ...(query.from && { from: query.from }),
      ...(query.to && { to: query.to }),
      ...(query.cursor && { beforeSeq: seqFromCursor(query.cursor) }),
      limit: limit + 1,
    };
    const rows = await this.audit.list(tenantId, filter);
    const visible = rows.slice(0, limit);
    const last = visible[visible.length - 1];
    return {
      items: visible.map(toAuditEntryDto),
      nextCursor: rows.length > limit && last ? encodeCursor({ after: last.seq, id: last.id }) : null,
    };
  }
}

/** The audit log pages by sequence number: its cursor's sort key is an integer. */
function seqFromCursor(cursor: string): string {
  return decodeCursor(cursor, 'integer').after;
}

function toAuditEntryDto(entry: AuditEntryEntity): AuditEntryDto {
  return {
    id: entry.id,
    seq: Number(entry.seq),
    at: entry.at.toISOString(),
    actor: { apiKeyId: entry.actorApiKeyId, role: entry.actorRole },
    tenantId: entry.tenantId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    outcome: entry.outcome,
    status: entry.status,
    requestId: entry.requestId,
    hash: entry.hash,
    previousHash: entry.previousHash,
  };
}
