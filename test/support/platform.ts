import { randomBytes } from 'node:crypto';

import {
  createTenantWithAdmin,
  createTestDatabase,
  type RunningPlatform,
  startPlatform,
  type StartPlatformOptions,
  type TestDatabase,
} from '@mailkeep/testing';

/** A service of the launcher (apps/mailkeep/src/services.ts): it refuses a name it does not know. */
export type ServiceName = string;

/** The core services every e2e platform runs, defined once with the fault tests' list. */
export { CORE_SERVICES } from '@mailkeep/testing';

/** Upper bound for a platform to become ready; a healthy start on a quiet machine takes seconds. */
const READY_TIMEOUT_MS = 150_000;

export interface E2ePlatformOptions {
  /** Prefix of the file's own database (createTestDatabase). */
  readonly database: string;
  /**
   * The services the file talks to, as MAILKEEP_SERVICES; every service when omitted. Each one
   * is a Node process that starts a NestJS application: on 2 shared cores, a platform of 7
   * services is ready well before one of 11.
   */
  readonly services?: readonly ServiceName[];
  /** Environment on top of the test defaults (fakes' URLs, data directory, …). */
  readonly env?: Record<string, string>;
  readonly options?: StartPlatformOptions;
  /** A tenant with an admin key, created when named. */
  readonly tenant?: string;
}

/** A started platform, its database, its bootstrap key and (when asked for) a tenant with an admin key. */
export interface E2ePlatform {
  readonly platform: RunningPlatform;
  readonly database: TestDatabase;
  readonly bootstrapKey: string;
  readonly tenant: string;
  readonly adminKey: string;
  /** Stops the platform and drops its database. */
  stop(): Promise<void>;
}

/**
 * One platform for a whole test file: its own database, a fresh bootstrap key, only the services
 * the file needs, and its tenant. Start it in the file's top-level beforeAll and share it across
 * the file's describes: a platform start is the costliest step of an end-to-end file.
 */
export async function startE2ePlatform(options: E2ePlatformOptions): Promise<E2ePlatform> {
  const bootstrapKey = `bootstrap_${randomBytes(24).toString('base64url')}`;
  const database = await createTestDatabase(options.database);
  let platform: RunningPlatform;
  try {
    platform = await startPlatform(
      {
        MAILKEEP_DATABASE_URL: database.url,
        MAILKEEP_BOOTSTRAP_API_KEY: bootstrapKey,
        ...(options.services && { MAILKEEP_SERVICES: options.services.join(',') }),
        ...options.env,
      },
      // Up to eleven Node processes starting on 2 cores shared with other test files: a busy
      // machine needs far more than the default minute (seen: 40 s for two services at load 30).
      { readyTimeoutMs: READY_TIMEOUT_MS, ...options.options },
    );
  } catch (error) {
    await database.drop();
    throw error;
  }
  const stop = async () => {
    await platform.stop();
    await database.drop();
  };
  if (options.tenant === undefined)
    return { platform, database, bootstrapKey, tenant: '', adminKey: '', stop };
  try {
    const { tenantId, adminKey } = await createTenantWithAdmin(
      platform.baseUrl,
      bootstrapKey,
      options.tenant,
    );
    return { platform, database, bootstrapKey, tenant: tenantId, adminKey, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
