import { randomUUID } from 'node:crypto';

import type { Logger } from '@mailkeep/observability';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';

import { AuditService } from '../audit/audit.service.js';
import { API_LOGGER } from '../tokens.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { displayPrefix, hashApiKey, issueApiKey } from './api-key-codec.js';
import { ApiKeysRepository } from './api-keys.repository.js';

export const BOOTSTRAP_OPTIONS = Symbol('mailkeep:bootstrap-key-options');

export interface BootstrapKeyOptions {
  /** MAILKEEP_BOOTSTRAP_API_KEY, when set. */
  readonly configuredKey: string | undefined;
  /** Where a generated key is shown, once. The terminal of the person starting the platform. */
  readonly announce: (text: string) => void;
}

/**
 * Makes sure an operator can get in (SPEC §5): the configured bootstrap key is always a valid
 * operator key (a changed value replaces the old one); without one, a key is generated on the very
 * first start and shown once. Its plaintext never reaches the logger.
 */
@Injectable()
export class BootstrapKeyService implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditService,
    @Inject(BOOTSTRAP_OPTIONS) private readonly options: BootstrapKeyOptions,
    @Inject(API_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const configured = this.options.configuredKey;
    const outcome = await this.keys.withBootstrapLock(async (store) => {
      const live = await store.findLiveBootstrapKey();
      if (configured) {
        const hash = hashApiKey(configured);
        if (live?.keyHash === hash) return 'unchanged' as const;
        // The environment is the source of truth: a changed value replaces the previous key.
        if (live) await store.revoke(live.id);
        await store.insert(bootstrapEntity(hash, displayPrefix(configured)));
        return 'configured' as const;
      }
      if (await store.hasLiveOperatorKey()) return 'unchanged' as const;
      const issued = issueApiKey();
      await store.insert(bootstrapEntity(issued.hash, issued.prefix));
      return { generated: issued.key };
    });
    if (outcome === 'unchanged') return;
    await this.audit.record({
      actorApiKeyId: null,
      actorRole: null,
      tenantId: null,
      action: 'api-key.bootstrap',
      objectType: 'api-key',
      objectId: null,
      outcome: 'success',
      status: 201,
      requestId: 'startup',
    });
    if (outcome === 'configured') {
      this.logger.info('bootstrap operator key installed from MAILKEEP_BOOTSTRAP_API_KEY');
      return;
    }
    this.options.announce(
      [
        '',
        '  A bootstrap operator API key was generated. It is shown this once; store it now:',
        '',
        `    ${outcome.generated}`,
        '',
        '  Use it as "Authorization: Bearer <key>". Set MAILKEEP_BOOTSTRAP_API_KEY to choose your own.',
        '',
      ].join('\n'),
    );
    this.logger.warn('bootstrap operator key generated and shown once on the terminal');
  }
}

function bootstrapEntity(keyHash: string, keyPrefix: string): ApiKeyEntity {
  return Object.assign(new ApiKeyEntity(), {
    id: randomUUID(),
    tenantId: null,
    name: 'bootstrap',
    role: 'operator',
    keyPrefix,
    keyHash,
    bootstrap: true,
    createdAt: new Date(),
    revokedAt: null,
  });
}
