import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { waitFor } from './wait-for.js';
import { freePort } from './free-port.js';

/** Debian's nats-server, which the test command installs when it is missing. */
const NATS_SERVER = process.env.MAILKEEP_TEST_NATS_SERVER ?? '/usr/sbin/nats-server';

export interface PrivateNatsServer {
  readonly url: string;
  /** The server process, for the benchmarks' CPU accounting (a new one after `restart`). */
  readonly pid: number;
  /** SIGKILLs the server: no clean shutdown, JetStream recovers its store on the next start. */
  kill(): Promise<void>;
  /** Starts the server again on the same port with the same store (after `kill`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A NATS server with JetStream of the test's own, on a free loopback port with a throw-away store.
 * Services use fixed subjects (`secrets.req.secret.create.v2`), so two platforms started by test
 * files running in parallel must not share a server, or one platform's request would be answered
 * by the other's service.
 */
export async function startNatsServer(
  options: {
    user?: string;
    password?: string;
    /** A configuration file (e.g. deploy/nats/nats-server.conf); its port and monitoring are overridden. */
    config?: string;
    /** The server's environment, where such a file reads its `$MAILKEEP_NATS_PASSWORD_…`. */
    env?: Record<string, string>;
    /** The client port, when the caller picked it (a cluster's nodes know each other's). */
    port?: number;
    /** More flags, e.g. a cluster node's name, routes and monitoring port (startNatsCluster). */
    extraArgs?: readonly string[];
  } = {},
): Promise<PrivateNatsServer> {
  const port = options.port ?? (await freePort());
  const storeDir = mkdtempSync(join(tmpdir(), 'mailkeep-nats-'));
  // With a user, the server refuses anonymous clients (as a production server with accounts does).
  const auth = options.user ? ['--user', options.user, '--pass', options.password ?? ''] : [];
  // Command-line flags win over the file: our own port, no monitoring port to collide on.
  const config = options.config ? ['-c', options.config, '-m', '0'] : [];
  const args = [
    ...config,
    ...(options.extraArgs ?? []),
    ...['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...auth],
  ];

  const launch = async () => {
    const child: ChildProcess = spawn(NATS_SERVER, args, {
      stdio: 'ignore',
      env: { PATH: process.env.PATH, ...options.env },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
        return portOpen(port);
      },
      { timeoutMs: 10_000, intervalMs: 50, description: `nats-server on port ${port}` },
    );
    return { child, exited };
  };

  let running = await launch();
  const halt = async (signal: NodeJS.Signals) => {
    const { child, exited } = running;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    get pid() {
      return running.child.pid as number;
    },
    kill: () => halt('SIGKILL'),
    restart: async () => {
      await halt('SIGKILL');
      running = await launch();
    },
    stop: async () => {
      await halt('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
