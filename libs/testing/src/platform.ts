import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type RunningNatsCluster, startNatsCluster } from './nats-cluster.js';
import { startNatsServer } from './nats-server.js';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

const LAUNCHER = fileURLToPath(new URL('../../../apps/mailkeep/dist/main.js', import.meta.url));

export interface RunningPlatform {
  readonly baseUrl: string;
  /**
   * The platform's own NATS server (see startNatsServer): connect here to watch its events. With
   * `natsCluster`, every node's URL, comma-separated (as MAILKEEP_NATS_URL takes them).
   */
  readonly natsUrl: string;
  /** The cluster the platform runs on, when started with `natsCluster`: kill its nodes to test failover. */
  readonly natsCluster?: RunningNatsCluster;
  readonly process: ChildProcess;
  /** Everything the platform wrote to stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code once the whole tree has stopped. */
  stop(): Promise<number | null>;
}

export interface StartPlatformOptions {
  readonly readyTimeoutMs?: number;
  /**
   * Local mail servers the platform's connectors may reach (a RunningDovecot): their exact
   * `ip:port`s are added to MAILKEEP_EGRESS_ALLOW. Everything else on loopback stays refused, as
   * in production; the policy is never switched off.
   */
  readonly mailServers?: readonly { readonly egressAllowance: string }[];
  /**
   * Run NATS with this configuration file (deploy/nats/nats-server.conf); the server reads the
   * `MAILKEEP_NATS_PASSWORD_…` variables of `env`, as the launcher does.
   */
  readonly natsConfig?: string;
  /**
   * Run on a NATS cluster of this many nodes instead of one server; MAILKEEP_NATS_URL lists every
   * node and MAILKEEP_NATS_REPLICAS is the cluster's size unless `env` sets it.
   */
  readonly natsCluster?: number;
}

/**
 * Starts the platform as the README does (the built launcher, `start`), with the given
 * environment on top of the test defaults, and waits until it is ready. Each platform gets a NATS
 * server of its own (MAILKEEP_NATS_URL is always set to it), so platforms of test files running in
 * parallel never answer each other's requests.
 */
export async function startPlatform(env: Record<string, string>, options: StartPlatformOptions = {}) {
  if (!existsSync(LAUNCHER)) throw new Error('Build first (npm run build): the platform runs from dist');
  const port = await freePort();
  const nats = await startNats(env, options);
  const dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-e2e-'));
  let output = '';
  const child = spawn(process.execPath, [LAUNCHER, 'start'], {
    env: {
      PATH: process.env.PATH,
      // The HTTPS fakes' test CA (set by the vitest globalSetup): the services must trust them too.
      ...(process.env['NODE_EXTRA_CA_CERTS'] && { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] }),
      MAILKEEP_HTTP_PORT: String(port),
      MAILKEEP_DATA_DIR: dataDir,
      MAILKEEP_LOG_LEVEL: 'debug',
      ...env,
      ...egressAllow(env, options.mailServers),
      MAILKEEP_NATS_URL: nats.url,
      ...(nats.cluster && {
        MAILKEEP_NATS_REPLICAS: env.MAILKEEP_NATS_REPLICAS ?? String(nats.cluster.nodes.length),
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))).then(
    async (code) => {
      await nats.stop();
      // The platform's blobs and files die with it (a test that sets MAILKEEP_DATA_DIR keeps its own).
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const platform: RunningPlatform = {
    baseUrl,
    natsUrl: nats.url,
    ...(nats.cluster && { natsCluster: nats.cluster }),
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  try {
    const ready = waitFor(
      // The api is ready and the launcher saw every service answer its ping.
      async () =>
        output.includes('"msg":"platform ready"') &&
        (await fetch(`${baseUrl}/api/v1/health/ready`).catch(() => undefined))?.status === 200,
      {
        timeoutMs: options.readyTimeoutMs ?? 60_000,
        intervalMs: 200,
        description: 'the platform to be ready',
      },
    );
    // A platform that exits while starting fails the wait at once, with what it printed.
    const died = exited.then((code) => {
      throw new Error(`the platform exited with ${code} while starting:\n${output}`);
    });
    await Promise.race([ready, died]);
    died.catch(() => undefined);
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}

/** The platform's own NATS: one server (with the given configuration file), or a cluster. */
async function startNats(
  env: Record<string, string>,
  options: StartPlatformOptions,
): Promise<{ url: string; cluster?: RunningNatsCluster; stop(): Promise<void> }> {
  if (options.natsCluster !== undefined) {
    const cluster = await startNatsCluster({ size: options.natsCluster });
    return { url: cluster.urls.join(','), cluster, stop: () => cluster.stop() };
  }
  return startNatsServer({
    ...(options.natsConfig !== undefined && {
      config: options.natsConfig,
      env: Object.fromEntries(
        Object.entries(env).filter(([name]) => name.startsWith('MAILKEEP_NATS_PASSWORD_')),
      ),
    }),
  });
}

/** MAILKEEP_EGRESS_ALLOW with the mail servers' entries added to the test's own, if any. */
function egressAllow(
  env: Record<string, string>,
  mailServers: StartPlatformOptions['mailServers'] = [],
): Record<string, string> {
  const entries = [env.MAILKEEP_EGRESS_ALLOW, ...mailServers.map((server) => server.egressAllowance)];
  const list = entries.filter((entry) => entry !== undefined && entry !== '').join(',');
  return list === '' ? {} : { MAILKEEP_EGRESS_ALLOW: list };
}
