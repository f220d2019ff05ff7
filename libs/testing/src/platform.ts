import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { waitFor } from './wait-for.js';

const LAUNCHER = fileURLToPath(new URL('../../../apps/mailkeep/dist/main.js', import.meta.url));

/** A port nobody listens on right now, for a process we are about to start. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

export interface RunningPlatform {
  readonly baseUrl: string;
  readonly process: ChildProcess;
  /** Everything the platform wrote to stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code once the whole tree has stopped. */
  stop(): Promise<number | null>;
}

/**
 * Starts the platform as the README does (the built launcher, `start`), with the given
 * environment on top of the test defaults, and waits until it is ready.
 */
export async function startPlatform(env: Record<string, string>, options: { readyTimeoutMs?: number } = {}) {
  if (!existsSync(LAUNCHER)) throw new Error('Build first (npm run build): the platform runs from dist');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'mailkeep-e2e-'));
  let output = '';
  const child = spawn(process.execPath, [LAUNCHER, 'start'], {
    env: {
      PATH: process.env.PATH,
      MAILKEEP_HTTP_PORT: String(port),
      MAILKEEP_DATA_DIR: dataDir,
      MAILKEEP_LOG_LEVEL: 'debug',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const platform: RunningPlatform = {
    baseUrl,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  try {
    const ready = waitFor(
      async () => (await fetch(`${baseUrl}/api/v1/health/ready`).catch(() => undefined))?.status === 200,
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
