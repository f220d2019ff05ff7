import {
  ContractError,
  type ResolvedSecret,
  SECRET_DESCRIBE_V1,
  SECRET_RESOLVE_V2,
} from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { sealSecret } from '@mailkeep/secrets-crypto';
import { createLogger } from '@mailkeep/observability';
import { type RunningService, runService } from '@mailkeep/runtime';
import { createTestDatabase, startNatsServer } from '@mailkeep/testing';

import { DIRECTORY_SCHEMA } from '../database/directory-schema.js';
import { DirectoryEnv } from '../directory.env.js';
import { DirectoryModule, type DirectoryModuleOptions } from '../directory.module.js';

/**
 * The directory service as it runs (its schema in a database of its own, its handlers on a NATS
 * server of its own, so no other test file's responders meet it), for integration tests of a
 * synced type. The secrets service is stood in for by responders that answer describe and
 * resolve from `secrets`, as the secrets service would for `tenant`.
 */
export interface DirectoryUnderTest {
  /** A client on the service's NATS server. */
  readonly bus: MessageBus;
  /** The secrets of `tenant` by id: add to it before a test names one. */
  readonly secrets: Map<string, ResolvedSecret>;
  readonly tenant: string;
  stop(): Promise<void>;
}

export async function startDirectoryUnderTest(
  name: string,
  tenant: string,
  options: DirectoryModuleOptions,
): Promise<DirectoryUnderTest> {
  const nats = await startNatsServer();
  const database = await createTestDatabase(name);
  process.env.MAILKEEP_DATABASE_URL = database.url;
  process.env.MAILKEEP_NATS_URL = nats.url;
  process.env.MAILKEEP_LOG_LEVEL = 'warn';
  let service: RunningService | undefined;
  let bus: MessageBus | undefined;
  const stop = async (): Promise<void> => {
    await bus?.close();
    await service?.close();
    await database.drop();
    await nats.stop();
  };
  try {
    service = await runService(
      {
        name: 'directory',
        env: DirectoryEnv,
        schema: DIRECTORY_SCHEMA,
        module: () => DirectoryModule.forRoot(options),
      },
      [],
    );
    bus = await MessageBus.connect({
      servers: nats.url,
      name: `${name}-test`,
      logger: createLogger({ service: `${name}-test`, level: 'fatal' }),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const secrets = new Map<string, ResolvedSecret>();
  const lookup = (tenantId: string, id: string): ResolvedSecret => {
    const secret = tenantId === tenant ? secrets.get(id) : undefined;
    if (!secret) throw new ContractError('NOT_FOUND', 'No such secret');
    return secret;
  };
  bus.serve(
    SECRET_DESCRIBE_V1,
    ({ tenantId, id }) =>
      Promise.resolve({ id, name: `secret ${id.slice(0, 8)}`, type: lookup(tenantId, id).type }),
    { queue: 'secrets' },
  );
  bus.serve(
    SECRET_RESOLVE_V2,
    (request) => Promise.resolve(sealSecret(request, lookup(request.tenantId, request.id))),
    {
      queue: 'secrets',
    },
  );
  return { bus, secrets, tenant, stop };
}
