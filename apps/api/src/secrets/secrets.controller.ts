import {
  ContractError,
  SECRET_CERTIFICATE_V1,
  SECRET_DELETE_V1,
  SECRET_GET_V1,
  SECRET_LIST_V1,
  type SecretPage,
  type SecretView,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createSecret, updateSecret } from '@mailkeep/secrets-crypto';
import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';

import { TenantId } from '../http/tenant-id.js';
import { Access } from '../auth/access.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { ListQueryDto } from '../http/dto/list-query.dto.js';
import { SECRET_CREATE_BODIES, SecretDto, SecretPageDto, UpdateSecretDto } from './dto/secret.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fields the api sets from the path; a body must not carry them. */
const PATH_FIELDS = ['tenantId', 'id'] as const;

/** An id that cannot be one of ours is simply not found (ids are opaque, SPEC §5). */
function secretId(id: string): string {
  if (!UUID.test(id)) throw new ContractError('NOT_FOUND', 'No such secret');
  return id.toLowerCase();
}

/**
 * The body as sent, for the secrets service to validate against its contract (so its field errors
 * name the body's fields). Only its shape is checked here.
 */
function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ContractError.validation(
      [{ field: '', message: 'the body must be a JSON object' }],
      'The request is invalid',
    );
  }
  const record = body as Record<string, unknown>;
  const misplaced = PATH_FIELDS.filter((field) => field in record);
  if (misplaced.length > 0) {
    throw ContractError.validation(
      misplaced.map((field) => ({ field, message: `property ${field} should not exist` })),
      'The request is invalid',
    );
  }
  return record;
}

@ApiTags('secrets')
@ApiBearerAuth()
@ApiExtraModels(...SECRET_CREATE_BODIES)
@Controller('tenants/:tenantId/secrets')
export class SecretsController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @Access('tenant-write')
  @Audited('secret.create', 'secret')
  @ApiOperation({
    summary: 'Create a secret (S1)',
    description: 'Sensitive values are write-only: no response ever contains them (S2).',
  })
  @ApiBody({ schema: { oneOf: SECRET_CREATE_BODIES.map((dto) => ({ $ref: getSchemaPath(dto) })) } })
  @ApiResponse({ status: 201, type: SecretDto })
  @ApiResponse({ status: 409, description: 'The name is taken (code duplicate_name).' })
  create(@TenantId() tenantId: string, @Body() body: Record<string, unknown>): Promise<SecretView> {
    // Sealed to the secrets service before it crosses NATS (decision 0026).
    return createSecret(this.bus, tenantId, bodyObject(body));
  }

  @Get()
  @Access('tenant-read')
  @ApiOperation({ summary: 'List secrets by name, with search (P1)' })
  @ApiResponse({ status: 200, type: SecretPageDto })
  list(@TenantId() tenantId: string, @Query() query: ListQueryDto): Promise<SecretPage> {
    return this.bus.request(SECRET_LIST_V1, {
      tenantId,
      ...(query.search !== undefined && { search: query.search }),
      ...(query.limit !== undefined && { limit: query.limit }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
  }

  @Get(':id')
  @Access('tenant-read')
  @ApiOperation({ summary: 'Read a secret (metadata only, with usedBy)' })
  @ApiResponse({ status: 200, type: SecretDto })
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<SecretView> {
    return this.bus.request(SECRET_GET_V1, { tenantId, id: secretId(id) });
  }

  @Patch(':id')
  @Access('tenant-write')
  @Audited('secret.update', 'secret')
  @ApiOperation({
    summary: 'Rename a secret or overwrite its values',
    description: 'Values are validated as on create; the type cannot change (422).',
  })
  @ApiBody({ type: UpdateSecretDto })
  @ApiResponse({ status: 200, type: SecretDto })
  @ApiResponse({ status: 422, description: 'A different type was given (code type_immutable).' })
  update(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<SecretView> {
    return updateSecret(this.bus, tenantId, secretId(id), bodyObject(body));
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('tenant-write')
  @Audited('secret.delete', 'secret')
  @ApiOperation({ summary: 'Delete a secret nobody uses (S5)' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 409, description: 'In use (code in_use); `references` names the users.' })
  @ApiResponse({
    status: 503,
    description: 'A service that may use it cannot be asked; nothing was deleted.',
  })
  async delete(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.bus.request(SECRET_DELETE_V1, { tenantId, id: secretId(id) });
  }

  @Get(':id/certificate')
  @Access('tenant-read')
  @Header('content-type', 'application/x-pem-file')
  @ApiOperation({ summary: 'Download the public certificate of a certificate secret (S3)' })
  @ApiProduces('application/x-pem-file')
  @ApiResponse({ status: 200, description: 'The certificate, PEM.', schema: { type: 'string' } })
  async certificate(@TenantId() tenantId: string, @Param('id') id: string): Promise<string> {
    const reply = await this.bus.request(SECRET_CERTIFICATE_V1, { tenantId, id: secretId(id) });
    return reply.certificatePem;
  }
}
