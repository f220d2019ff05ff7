import { randomUUID } from 'node:crypto';

import { ContractError, isUuid } from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';

import { ApiKeyEntity, type ApiKeyRole } from './api-key.entity.js';
import { issueApiKey } from './api-key-codec.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import type { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto.js';

@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeysRepository) {}

  /** Issues a key; its plaintext exists only in this response (SPEC T1). */
  async create(tenantId: string | null, name: string, role: ApiKeyRole): Promise<CreatedApiKeyDto> {
    const issued = issueApiKey();
    const entity = Object.assign(new ApiKeyEntity(), {
      id: randomUUID(),
      tenantId,
      name,
      role,
      keyPrefix: issued.prefix,
      keyHash: issued.hash,
      bootstrap: false,
      createdAt: new Date(),
      revokedAt: null,
    });
    const saved = await this.keys.insert(entity);
    return { ...toApiKeyDto(saved), key: issued.key };
  }

  async list(tenantId: string | null): Promise<{ items: ApiKeyDto[]; nextCursor: null }> {
    return { items: (await this.keys.listActive(tenantId)).map(toApiKeyDto), nextCursor: null };
  }

  /** Revokes a key of the tenant (or an operator key when tenantId is null). */
  async revoke(tenantId: string | null, id: string, callerKeyId: string): Promise<void> {
    const key = isUuid(id) ? await this.keys.findActive(tenantId, id.toLowerCase()) : null;
    if (!key) throw new ContractError('NOT_FOUND', 'No such API key');
    if (key.id === callerKeyId && key.role === 'operator') {
      // Revoking the key in hand could leave the platform with no operator key at all.
      throw new ContractError(
        'RULE_VIOLATION',
        'An operator key cannot revoke itself; use another operator key',
        {
          reason: 'self_revocation',
        },
      );
    }
    await this.keys.revoke(key.id);
  }
}

export function toApiKeyDto(key: ApiKeyEntity): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.keyPrefix,
    createdAt: key.createdAt.toISOString(),
  };
}
