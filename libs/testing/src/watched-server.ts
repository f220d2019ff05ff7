import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';

import { waitFor } from './wait-for.js';

/**
 * Runs a server that stays in the foreground under a tiny shell watchdog holding our pipe as
 * stdin: when the pipe closes — `stop()` ending it, or the test process dying in any way, even
 * SIGKILL or a vitest worker being torn down — the watchdog sends the server SIGTERM. A test
 * server can therefore not outlive the test that started it. (The pipe is kept as fd 3 because a
 * background job of a non-interactive shell gets /dev/null as its stdin.)
 */
const WATCHDOG = `
exec 3<&0
"$@" </dev/null 3<&- &
server=$!
{ cat <&3 >/dev/null; kill -TERM "$server" 2>/dev/null; } &
wait "$server"
`;

export interface WatchedServer {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** What the server wrote to stderr so far (its log when it logs there). */
  stderr(): string;
  /** Closes the watchdog's pipe (SIGTERM to the server) and waits for the exit and closed ports. */
  stop(): Promise<void>;
}

/** Keeps the last part of a chatty log: enough to read a failure, bounded for long tests. */
const MAX_STDERR_CHARS = 4_000_000;

/**
 * Starts `argv` under the watchdog and resolves once every port accepts connections; rejects with
 * the server's stderr when it exits first or does not listen within `timeoutMs`.
 */
export async function launchWatched(options: {
  readonly argv: readonly string[];
  readonly ports: readonly number[];
  readonly timeoutMs: number;
  readonly name: string;
}): Promise<WatchedServer> {
  const child = spawn('sh', ['-c', WATCHDOG, 'watchdog', ...options.argv], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    if (stderr.length > MAX_STDERR_CHARS) stderr = stderr.slice(-MAX_STDERR_CHARS / 2);
  });
  child.stdin?.on('error', () => undefined); // the watchdog may be gone already
  child.once('error', (err) => (stderr += String(err)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  let stopped: Promise<void> | undefined;
  const server: WatchedServer = {
    child,
    exited,
    stderr: () => stderr,
    stop: () =>
      (stopped ??= (async () => {
        if (running()) {
          child.stdin?.end();
          await exited;
        }
        await waitFor(async () => (await Promise.all(options.ports.map(portOpen))).every((open) => !open), {
          description: `${options.name} ports closed`,
        });
      })()),
  };
  try {
    const outcome = await waitFor(
      async () => {
        // an exited server is an answer too: no point in waiting out the deadline
        if (!running()) return 'exited';
        return (await Promise.all(options.ports.map(portOpen))).every(Boolean) && 'listening';
      },
      {
        timeoutMs: options.timeoutMs,
        intervalMs: 50,
        description: `${options.name} listening on ${options.ports.join(', ')}`,
      },
    );
    if (outcome === 'exited') {
      throw new Error(
        `${options.name} exited (${child.exitCode ?? child.signalCode}): ${stderr.slice(-4000)}`,
      );
    }
    return server;
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
}

export async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
