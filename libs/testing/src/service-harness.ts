import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NatsEnv, RuntimeEnv } from '@mailkeep/config';
import { SERVICE_PING_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger, type Logger } from '@mailkeep/observability';
import { createDataSource, runMigrations, type ServiceSchema } from '@mailkeep/persistence';
import { type RunningService, runService, type ServiceDefinition } from '@mailkeep/runtime';
import { FILESYSTEM_BLOBS_DIR, FilesystemBlobStore } from '@mailkeep/storage';
import pg from 'pg';
import type { DataSource } from 'typeorm';

import { type PrivateNatsServer, startNatsServer } from './nats-server.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { waitFor } from './wait-for.js';

export interface ServiceHarnessOptions {
  /** Names the database, the data directory and the test's bus connection (`<name>-test`). */
  readonly name: string;
  /**
   * A database of the test file's own: `true` for an empty one (the service under test migrates
   * it), a schema for one already migrated with a data source the test queries directly.
   */
  readonly database?: boolean | ServiceSchema;
  /** A private NATS server and a bus connected to it; on unless `false` (a repository test needs none). */
  readonly bus?: boolean;
  /** A data directory with a filesystem blob store in it, the one a service started here uses. */
  readonly blobs?: boolean;
  /** Level of the harness's logger and of the services it starts; `fatal` keeps test output clean. */
  readonly logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug';
}

/**
 * What an integration test of one service needs around it: a private NATS server with a connected
 * bus, and on request a fresh database (migrated or not) and a blob store. A private server, not the
 * shared one, because services answer fixed subjects: two test files on one server would answer
 * each other's requests. `close()` stops what `start` started, in reverse order.
 */
export interface ServiceHarness {
  readonly name: string;
  /** The private NATS server; throws when started with `bus: false`. */
  readonly nats: PrivateNatsServer;
  /** The test's own client, for requests and publishes the way other services send them. */
  readonly bus: MessageBus;
  readonly logger: Logger;
  /** The test database; throws when the harness was started without one. */
  readonly database: TestDatabase;
  /** A pool of one connection to the test database, for the test's own SQL; throws without `database`. */
  readonly sql: pg.Pool;
  /** A data source over the migrated schema; throws unless `database` was a schema. */
  readonly dataSource: DataSource;
  /** The filesystem blob store under `dataDir`; throws unless `blobs` was set. */
  readonly blobs: FilesystemBlobStore;
  /** `MAILKEEP_DATA_DIR` of services started here; throws unless `blobs` was set. */
  readonly dataDir: string;
  /**
   * Runs a service as `main.ts` does, configured for this harness (NATS, database, data directory,
   * log level in `MAILKEEP_*`); a running one of the same harness is closed first (a restart).
   * Resolves once it answers on the bus. `close()` stops it before anything else.
   */
  startService<E extends RuntimeEnv & NatsEnv>(definition: ServiceDefinition<E>): Promise<RunningService>;
  close(): Promise<void>;
}

export async function startServiceHarness(options: ServiceHarnessOptions): Promise<ServiceHarness> {
  const logLevel = options.logLevel ?? 'fatal';
  const logger = createLogger({ service: `${options.name}-test`, level: logLevel });
  const required = <T>(value: T | undefined, what: string, option: string): T => {
    if (value === undefined) throw new Error(`${options.name} harness: ${what} needs the ${option} option`);
    return value;
  };
  // Everything started so far, so that a failure half-way still stops it all.
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    // Both at once (a NATS start and a CREATE DATABASE each take a moment); settled, so that the
    // one that started is stopped when the other fails.
    const [natsStart, databaseStart] = await Promise.allSettled([
      options.bus === false ? undefined : startNatsServer(),
      options.database ? createTestDatabase(options.name) : undefined,
    ]);
    const nats = natsStart.status === 'fulfilled' ? natsStart.value : undefined;
    const database = databaseStart.status === 'fulfilled' ? databaseStart.value : undefined;
    if (nats) stops.push(() => nats.stop());
    if (database) stops.push(() => database.drop());
    if (natsStart.status === 'rejected') throw natsStart.reason;
    if (databaseStart.status === 'rejected') throw databaseStart.reason;

    let sql: pg.Pool | undefined;
    if (database) {
      // One connection is all a test's checks need; it connects on the first query.
      const pool = new pg.Pool({
        connectionString: database.url,
        max: 1,
        application_name: 'mailkeep-tests',
      });
      stops.push(() => pool.end());
      sql = pool;
    }

    let dataSource: DataSource | undefined;
    if (database && typeof options.database === 'object') {
      const migrated = createDataSource({ url: database.url, ...options.database });
      await migrated.initialize();
      stops.push(() => migrated.destroy());
      await runMigrations(migrated);
      dataSource = migrated;
    }

    let dataDir: string | undefined;
    let blobs: FilesystemBlobStore | undefined;
    if (options.blobs) {
      const dir = mkdtempSync(join(tmpdir(), `mailkeep-${options.name}-`));
      stops.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
      dataDir = dir;
      blobs = new FilesystemBlobStore({ root: join(dir, FILESYSTEM_BLOBS_DIR), logger });
    }

    let bus: MessageBus | undefined;
    if (nats) {
      const connected = await MessageBus.connect({ servers: nats.url, name: `${options.name}-test`, logger });
      stops.push(() => connected.close());
      bus = connected;
    }

    let service: RunningService | undefined;
    // Services stop first: they hold connections to everything else.
    const closeService = async () => {
      const running = service;
      service = undefined;
      await running?.close();
    };
    const startService = async <E extends RuntimeEnv & NatsEnv>(definition: ServiceDefinition<E>) => {
      await closeService();
      const client = required(bus, 'startService', 'bus');
      // The one way a service takes its settings is the environment, as in production.
      process.env.MAILKEEP_NATS_URL = required(nats, 'startService', 'bus').url;
      process.env.MAILKEEP_LOG_LEVEL = logLevel;
      if (database) process.env.MAILKEEP_DATABASE_URL = database.url;
      if (dataDir) process.env.MAILKEEP_DATA_DIR = dataDir;
      const started = await runService(definition, []);
      if (!started) throw new Error(`${definition.name} did not start (runService returned nothing)`);
      service = started;
      // runService returns once its subscriptions are flushed, so this normally answers at once; it
      // checks the service answers its own ping, so a start that serves nothing fails here.
      await waitFor(
        () =>
          client.request(SERVICE_PING_V1, { service: definition.name }, { timeoutMs: 500 }).then(
            () => true,
            () => false,
          ),
        { timeoutMs: 30_000, description: `${definition.name} answers its ping` },
      );
      return started;
    };

    return {
      name: options.name,
      logger,
      get nats() {
        return required(nats, 'nats', 'bus');
      },
      get bus() {
        return required(bus, 'bus', 'bus');
      },
      get database() {
        return required(database, 'database', 'database');
      },
      get sql() {
        return required(sql, 'sql', 'database');
      },
      get dataSource() {
        return required(dataSource, 'dataSource', 'database: <schema>');
      },
      get blobs() {
        return required(blobs, 'blobs', 'blobs');
      },
      get dataDir() {
        return required(dataDir, 'dataDir', 'blobs');
      },
      startService,
      close: async () => {
        await closeService();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
