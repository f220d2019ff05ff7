import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

export interface PostgresInstance {
  /** Admin URL (user postgres, trust, database `postgres`) of this instance. */
  readonly adminUrl: string;
  /** A URL of a database on this instance (created by `createDatabase`). */
  databaseUrl(name: string): string;
  createDatabase(name: string): Promise<void>;
  /** SIGKILLs the postmaster (its backends exit with it): a crash, recovered from WAL on restart. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The newest PostgreSQL server binaries Debian installed. */
function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/**
 * A PostgreSQL instance of the test's own (initdb in a temp directory, a free loopback port), which
 * the test may SIGKILL and restart without touching the shared server other tests use. As root,
 * the server runs as the `postgres` account (PostgreSQL refuses to run as root).
 */
export async function startPostgresInstance(): Promise<PostgresInstance> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mailkeep-pg-'));
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : undefined;
  const ownerGroup = asRoot ? Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) : undefined;
  if (owner !== undefined && ownerGroup !== undefined) chownSync(dir, owner, ownerGroup);
  const as = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const data = join(dir, 'data');
  const [initdb, initArgs] = as(`${bin}/initdb`, [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'ignore' });

  let server: { child: ChildProcess; exited: Promise<void> };
  const launch = async () => {
    const [command, args] = as(`${bin}/postgres`, [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=on',
    ]);
    const child = spawn(command, args, { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    server = { child, exited };
    await waitFor(
      async () => {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: adminUrl });
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } catch {
          return false;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { timeoutMs: 30_000, intervalMs: 200, description: `PostgreSQL on port ${port}` },
    );
  };
  const halt = async (signal: NodeJS.Signals) => {
    // The postmaster itself (runuser does not forward every signal), and on SIGKILL its backends
    // too, as when the machine or container dies: a backend outliving its postmaster would keep
    // the shared memory and stop the restart.
    const pid = readPostmasterPid(data);
    const victims = pid === undefined ? [] : signal === 'SIGKILL' ? [pid, ...childrenOf(pid)] : [pid];
    for (const victim of victims) {
      try {
        process.kill(victim, signal);
      } catch {
        // already gone
      }
    }
    await server.exited;
  };
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await launch();
  return {
    adminUrl,
    databaseUrl: (name) => `postgres://postgres@127.0.0.1:${port}/${name}`,
    createDatabase: async (name) => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    kill: () => halt('SIGKILL'),
    restart: async () => {
      await halt('SIGKILL');
      await launch();
    },
    stop: async () => {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readPostmasterPid(data: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Process ids whose parent is `pid` (from /proc: the fourth field of /proc/<pid>/stat). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return children;
}
