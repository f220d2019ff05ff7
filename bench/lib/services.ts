/**
 * The platform for the benchmarks: the built services started one by one (as the launcher does,
 * apps/mailkeep/src/services.ts), on a private NATS and a fresh database, with as many IMAP
 * connector workers as the bench asks for. Started here rather than through the launcher so each
 * process's pid is known (CPU seconds and peak RSS per service) and workers can be added; the
 * POP3 connector is left out (nothing for it to do). The catalog runs when it has been built.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { SERVICE_PING_V1 } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import {
  createTestDatabase,
  freePort,
  type PrivateNatsServer,
  startNatsServer,
  type TestDatabase,
  waitFor,
} from '@mailkeep/testing';

import { onSignalCleanup } from '#lib/cleanup';

const APPS = fileURLToPath(new URL('../../apps/', import.meta.url));
/** As the launcher starts connector workers: a small young generation (apps/connector-imap README). */
export const CONNECTOR_NODE_OPTIONS = ['--max-semi-space-size=2'];
/**
 * Extra Node options for every service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile a
 * run (services stopped with SIGTERM write their profiles).
 */
const SERVICE_NODE_OPTIONS = (process.env.MAILKEEP_BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
/** Start-up with migrations on a loaded 2-core box takes seconds; two minutes bound a hang. */
const READY_TIMEOUT_MS = 120_000;
/** A service gets this long after SIGTERM before SIGKILL (the launcher allows 10 s). */
const STOP_GRACE_MS = 10_000;

export interface BenchProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
}

export interface BenchPlatform {
  readonly baseUrl: string;
  readonly bootstrapKey: string;
  readonly database: TestDatabase;
  readonly nats: PrivateNatsServer;
  readonly bus: MessageBus;
  readonly dataDir: string;
  /** Every process started: the services, then the connector workers. */
  readonly processes: readonly BenchProcess[];
  readonly workers: readonly BenchProcess[];
  /** True when apps/catalog is built and runs here. */
  readonly catalog: boolean;
  stop(): Promise<void>;
}

export function catalogBuilt(): boolean {
  return existsSync(join(APPS, 'catalog', 'dist', 'main.js'));
}

export async function startBenchPlatform(options: {
  workers: number;
  env?: Record<string, string>;
  /** Services besides the connectors; default: the whole platform. */
  services?: readonly string[];
  /** The connector app the workers run; default connector-imap. */
  connector?: 'connector-imap' | 'connector-m365' | 'connector-google' | 'connector-exchange';
}): Promise<BenchPlatform> {
  const connector = options.connector ?? 'connector-imap';
  const nats = await startNatsServer();
  const database = await createTestDatabase('bench');
  const dataDir = await mkdtemp(join(tmpdir(), 'mailkeep-bench-data-'));
  const port = await freePort();
  const bootstrapKey = `bootstrap_${randomBytes(24).toString('base64url')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    MAILKEEP_HTTP_PORT: String(port),
    MAILKEEP_DATA_DIR: dataDir,
    MAILKEEP_LOG_LEVEL: 'warn',
    MAILKEEP_DATABASE_URL: database.url,
    MAILKEEP_NATS_URL: nats.url,
    MAILKEEP_BOOTSTRAP_API_KEY: bootstrapKey,
    MAILKEEP_MASTER_KEY: randomBytes(32).toString('base64'),
    ...options.env,
  };
  const catalog = catalogBuilt();
  const names = options.services ?? [
    'api',
    'directory',
    'secrets',
    'profiles',
    'scheduler',
    ...(catalog ? ['catalog'] : []),
  ];
  const processes: BenchProcess[] = [];
  const start = (name: string, app: string, nodeOptions: readonly string[] = []): BenchProcess => {
    const child = spawn(process.execPath, [...nodeOptions, join(APPS, app, 'dist', 'main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // The last 20 KB of its logs, for an error message.
    const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const proc = { name, child, output: () => output };
    processes.push(proc);
    return proc;
  };
  const logger = createLogger({ service: 'bench', level: 'fatal' });
  let bus: MessageBus | undefined;
  let forget = () => undefined as unknown;
  const stop = async () => {
    forget();
    await Promise.all(
      processes.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
    await bus?.close();
    await nats.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  forget = onSignalCleanup(stop);
  try {
    // The api first: it applies its migrations alone; the others have their own schemas.
    for (const name of names) start(name, name, SERVICE_NODE_OPTIONS);
    const workers = Array.from({ length: options.workers }, (_, i) =>
      start(`${connector}#${i + 1}`, connector, [...CONNECTOR_NODE_OPTIONS, ...SERVICE_NODE_OPTIONS]),
    );
    bus = await MessageBus.connect({ servers: nats.url, name: 'bench', logger });
    const connected = bus;
    const baseUrl = `http://127.0.0.1:${port}`;
    // A connector answers pings as `connector-<profile type>` (connector-google serves google-workspace).
    const connectorService = connector === 'connector-google' ? 'connector-google-workspace' : connector;
    const pingable = [...names, ...(options.workers > 0 ? [connectorService] : [])];
    await waitFor(
      async () => {
        const dead = processes.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
        if (dead) throw new Error(`${dead.name} exited while starting:\n${dead.output()}`);
        const answers = await Promise.all(
          pingable.map((service) =>
            connected.request(SERVICE_PING_V1, { service }, { timeoutMs: 1_000 }).then(
              () => true,
              () => false,
            ),
          ),
        );
        const api = names.includes('api')
          ? (await fetch(`${baseUrl}/api/v1/health/ready`).catch(() => undefined))?.status === 200
          : true;
        return api && answers.every(Boolean);
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250, description: 'the bench platform to be ready' },
    );
    return {
      baseUrl,
      bootstrapKey,
      database,
      nats,
      bus: connected,
      dataDir,
      processes,
      workers,
      catalog,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A REST client for the bench: bearer key, JSON in and out, non-2xx is an error. */
export function restClient(baseUrl: string, key: () => string) {
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key()}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 2000)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** Creates a tenant and an admin API key for it through the API; returns the tenant and the key. */
export async function createTenant(
  platform: BenchPlatform,
  name: string,
): Promise<{ tenantId: string; key: string }> {
  const asOperator = restClient(platform.baseUrl, () => platform.bootstrapKey);
  const tenant = await asOperator<{ id: string }>('POST', '/tenants', { name });
  const key = await asOperator<{ key: string }>('POST', `/tenants/${tenant.id}/api-keys`, {
    name: 'bench',
    role: 'admin',
  });
  return { tenantId: tenant.id, key: key.key };
}
