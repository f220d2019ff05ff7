import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { SERVICE_PING_V1 } from '@mailkeep/contracts';
import { connect } from '@nats-io/transport-node';

import { freePort } from './free-port.js';
import { type PrivateNatsServer, startNatsServer } from './nats-server.js';
import { waitFor } from './wait-for.js';

/**
 * What every run through the REST API needs: tenants and keys (api), mailboxes (directory),
 * credentials (secrets), profiles, schedules and runs (scheduler), archived messages (catalog).
 * A test adds the connectors its archives go through.
 */
export const CORE_SERVICES = ['api', 'directory', 'secrets', 'profiles', 'scheduler', 'catalog'] as const;

/** The services a fault test runs, each its own process from its built entry point. */
export const FAULT_TEST_SERVICES = [...CORE_SERVICES, 'connector-imap', 'connector-pop3'] as const;

export type FaultTestService = (typeof FAULT_TEST_SERVICES)[number];

export interface PlatformProcesses {
  readonly baseUrl: string;
  /** The platform's own NATS server: `nats.kill()` / `nats.restart()` keep its port and store. */
  readonly nats: PrivateNatsServer;
  /** SIGKILLs one service (no shutdown hook runs: what a crash or the OOM killer does). */
  kill(service: FaultTestService): Promise<void>;
  /**
   * Freezes one service with SIGSTOP (its connections stay open, nothing is answered), e.g. to
   * hold another service in the middle of a request to it; `resume` sends SIGCONT.
   */
  pause(service: FaultTestService): void;
  resume(service: FaultTestService): void;
  /** Starts a killed service again and waits until it answers its ping. */
  restart(service: FaultTestService): Promise<void>;
  /** What one service wrote to stdout and stderr so far (all of its lives). */
  output(service: FaultTestService): string;
  stop(): Promise<void>;
}

const appsDir = new URL('../../../apps/', import.meta.url);
const entryOf = (service: FaultTestService) => fileURLToPath(new URL(`${service}/dist/main.js`, appsDir));

/**
 * The platform as separate processes without the launcher, whose supervisor stops everything
 * when one service dies: here one service can be SIGKILLed and started again while the others go
 * on, as in a deployment where each service is its own container. `env` must name the database
 * (MAILKEEP_DATABASE_URL, existing) and may set anything else; NATS is the platform's own.
 */
export async function startPlatformProcesses(
  env: Record<string, string>,
  options: { readonly mailServers?: readonly { readonly egressAllowance: string }[] } = {},
): Promise<PlatformProcesses> {
  if (!existsSync(entryOf('api'))) throw new Error('Build first (npm run build): the services run from dist');
  const [nats, port] = await Promise.all([startNatsServer(), freePort()]);
  const allow = [env.MAILKEEP_EGRESS_ALLOW, ...(options.mailServers ?? []).map((s) => s.egressAllowance)]
    .filter((entry) => entry !== undefined && entry !== '')
    .join(',');
  const serviceEnv = {
    PATH: process.env.PATH,
    ...(process.env['NODE_EXTRA_CA_CERTS'] && { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] }),
    MAILKEEP_HTTP_PORT: String(port),
    MAILKEEP_LOG_LEVEL: 'info',
    ...env,
    ...(allow !== '' && { MAILKEEP_EGRESS_ALLOW: allow }),
    MAILKEEP_NATS_URL: nats.url,
  };
  const children = new Map<FaultTestService, { child: ChildProcess; exited: Promise<void> }>();
  const outputs = new Map<FaultTestService, string>();
  // A plain NATS client (the messaging library depends on this one, not the other way round).
  const pinger = await connect({ servers: nats.url, name: 'fault-test-pinger', maxReconnectAttempts: -1 });

  const launch = (service: FaultTestService) => {
    const child = spawn(process.execPath, [entryOf(service)], {
      env: serviceEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) =>
      outputs.set(service, (outputs.get(service) ?? '') + chunk.toString('utf8'));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    children.set(service, { child, exited });
  };
  const answers = (service: FaultTestService) =>
    waitFor(
      async () => {
        const running = children.get(service)?.child;
        if (running?.exitCode !== null && running?.exitCode !== undefined) {
          throw new Error(`${service} exited with ${running.exitCode}:\n${outputs.get(service) ?? ''}`);
        }
        // Any reply means the service is subscribed; no responders or no reply yet means it is not.
        return pinger.request(SERVICE_PING_V1.subject, JSON.stringify({ service }), { timeout: 1_000 }).then(
          () => true,
          () => false,
        );
      },
      // A bound, not a delay: on 2 cores shared with other test files a start can take minutes.
      { timeoutMs: 150_000, intervalMs: 250, description: `${service} answering its ping` },
    );
  const kill = async (service: FaultTestService) => {
    const running = children.get(service);
    if (!running) return;
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    await running.exited;
  };
  const stop = async () => {
    await Promise.all(
      [...children.values()].map(async ({ child, exited }) => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      }),
    );
    await pinger.close();
    await nats.stop();
  };

  try {
    for (const service of FAULT_TEST_SERVICES) launch(service);
    await Promise.all(FAULT_TEST_SERVICES.map(answers));
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${baseUrl}/api/v1/health/ready`).catch(() => undefined))?.status === 200,
      {
        timeoutMs: 30_000,
        description: 'the api ready',
      },
    );
    return {
      baseUrl,
      nats,
      kill,
      pause: (service) => children.get(service)?.child.kill('SIGSTOP'),
      resume: (service) => children.get(service)?.child.kill('SIGCONT'),
      restart: async (service) => {
        await kill(service);
        launch(service);
        await answers(service);
      },
      output: (service) => outputs.get(service) ?? '',
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
