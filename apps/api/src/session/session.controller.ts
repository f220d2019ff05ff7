import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';

import { API_KEY_ROLES, type ApiKeyRole } from '../api-keys/api-key.entity.js';
import { Access } from '../auth/access.decorator.js';
import { principalOf } from '../http/request-context.js';

export class SessionDto {
  @ApiProperty({ format: 'uuid', description: 'The API key making the request.' })
  apiKeyId!: string;
  @ApiProperty({ enum: API_KEY_ROLES })
  role!: ApiKeyRole;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The tenant of an admin or auditor key; null for an operator key.',
  })
  tenantId!: string | null;
}

/** Who the caller is: lets a client (the console) learn a key's role and tenant from the key alone. */
@ApiTags('session')
@ApiBearerAuth()
@Controller('session')
export class SessionController {
  @Get()
  @Access('authenticated')
  @ApiOperation({ summary: 'The calling API key: its id, role and tenant' })
  @ApiResponse({ status: 200, type: SessionDto })
  session(@Req() request: Request): SessionDto {
    const principal = principalOf(request);
    // The guard authenticated the request before this runs, so the principal is always set.
    if (!principal) throw new Error('No principal on an authenticated request');
    return { apiKeyId: principal.apiKeyId, role: principal.role, tenantId: principal.tenantId };
  }
}
