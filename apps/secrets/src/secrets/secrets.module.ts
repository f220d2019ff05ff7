import type { ServiceContext } from '@mailkeep/runtime';
import { type DynamicModule, Module } from '@nestjs/common';

import { loadMasterKeyRing, MasterKeyRing } from '../crypto/master-key-ring.js';
import type { SecretsConfig } from '../secrets.env.js';
import { NatsSecretReferences } from './secret-references.gateway.js';
import { SecretWriteKeys } from './secret-write-keys.js';
import { SecretsHandler } from './secrets.handler.js';
import { SecretReferences } from './secrets.ports.js';
import { SecretsRepository } from './secrets.repository.js';
import { SecretsService } from './secrets.service.js';

@Module({})
export class SecretsModule {
  static forRoot(context: ServiceContext<SecretsConfig>): DynamicModule {
    return {
      module: SecretsModule,
      // The NATS endpoints: served by the bus transport (MessageBusServer).
      controllers: [SecretsHandler],
      providers: [
        // Loaded once at start-up: production without a key fails here, naming the variable.
        { provide: MasterKeyRing, useFactory: () => loadMasterKeyRing(context.config, context.logger) },
        { provide: SecretReferences, useClass: NatsSecretReferences },
        SecretsRepository,
        SecretsService,
        SecretWriteKeys,
      ],
    };
  }
}
