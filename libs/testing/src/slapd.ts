import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { testCertificateAuthority } from './fakes/test-ca.js';
import { freePort } from './free-port.js';
import { AD_SCHEMA, renderSlapdConfig, slapdPaths } from './slapd-config.js';
import { contosoDirectory, type SeededDirectory } from './slapd-seed.js';
import { launchWatched, type WatchedServer } from './watched-server.js';

/** Debian's OpenLDAP (`slapd ldap-utils`), which `npm test` installs when missing. */
const SLAPD = process.env.MAILKEEP_TEST_SLAPD ?? '/usr/sbin/slapd';
const LDAPMODIFY = process.env.MAILKEEP_TEST_LDAPMODIFY ?? '/usr/bin/ldapmodify';

/** slapd listens within ~100 ms here; 15 s leaves room for a loaded 2-core CI box. */
const START_TIMEOUT_MS = 15_000;
/** Free ports are picked before slapd binds them; fresh ones on a retry make the race irrelevant. */
const START_ATTEMPTS = 3;
/** Seeding a few hundred entries takes well under a second; this only bounds a hang. */
const LDAPMODIFY_TIMEOUT_MS = 60_000;

export interface StartSlapdOptions {
  /** Entries a plain (unpaged) search may return. Default 50: fewer than the seeded staff. */
  readonly sizeLimit?: number;
  /** The directory to load. Default `contosoDirectory()`. */
  readonly directory?: SeededDirectory;
}

/** One `SEARCH RESULT` line of slapd's stats log: a search (or one page of it) answered. */
export interface SearchLogged {
  readonly connection: number;
  readonly resultCode: number;
  readonly entries: number;
}

export interface RunningSlapd {
  readonly host: string;
  /** `ldap` offers StartTLS; `ldaps` is implicit TLS. Both use the test CA's server certificate. */
  readonly ports: { readonly ldap: number; readonly ldaps: number };
  readonly directory: SeededDirectory;
  /** The rootdn: may change anything (what `modify` uses). */
  readonly adminDn: string;
  /** `MAILKEEP_EGRESS_ALLOW` entries for exactly this server's two ports. */
  readonly egressAllowance: string;
  /** The CA that issued the server certificate (NODE_EXTRA_CA_CERTS of the test processes). */
  readonly caPath: string;
  /** Applies LDIF change records (`changetype: add|modify|modrdn|delete`) as the rootdn. */
  modify(ldif: string): Promise<void>;
  /** Every search result slapd logged so far, in order: the pages a paged search took. */
  searches(): SearchLogged[];
  stop(): Promise<void>;
}

/**
 * Starts a throw-away OpenLDAP of the test's own: slapd.conf, an AD-like schema subset, an mdb
 * database and the pid file in a temp directory; LDAP (StartTLS offered) and LDAPS on free
 * loopback ports with the test CA's certificate; the `memberof` overlay; a size limit below the
 * seeded users so only a paged search reads them all; loaded with `contosoDirectory()`. The
 * server runs in the foreground under a watchdog, so it stops with the test process in any case.
 */
export async function startSlapd(options: StartSlapdOptions = {}): Promise<RunningSlapd> {
  const directory = options.directory ?? contosoDirectory();
  const runDir = mkdtempSync(join(tmpdir(), 'mk-slapd-'));
  const paths = slapdPaths(runDir);
  const adminDn = `cn=admin,${directory.suffix}`;
  const adminPassword = randomBytes(12).toString('base64url');
  const ca = testCertificateAuthority();
  try {
    chmodSync(runDir, 0o700);
    mkdirSync(paths.database);
    writeFileSync(paths.schema, AD_SCHEMA);
    // The test CA keeps its key in its own directory; slapd reads the files where they are.
    const caDir = ca.caPath.replace(/\/ca\.pem$/, '');
    writeFileSync(
      paths.config,
      renderSlapdConfig({
        paths,
        suffix: directory.suffix,
        adminDn,
        adminPassword,
        readerDn: directory.readerDn,
        sizeLimit: options.sizeLimit ?? 50,
        tls: { certificate: join(caDir, 'server.pem'), key: join(caDir, 'server-key.pem'), ca: ca.caPath },
      }),
    );
    let lastError: unknown;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const ports = { ldap: await freePort(), ldaps: await freePort() };
      if (ports.ldap === ports.ldaps) continue;
      try {
        const server = await launchWatched({
          // -d stats: stay in the foreground, and log each operation (tests count the pages).
          argv: [
            SLAPD,
            '-d',
            'stats',
            '-f',
            paths.config,
            '-h',
            `ldap://127.0.0.1:${ports.ldap}/ ldaps://127.0.0.1:${ports.ldaps}/`,
          ],
          ports: [ports.ldap, ports.ldaps],
          timeoutMs: START_TIMEOUT_MS,
          name: 'slapd',
        });
        const running = harness({
          runDir,
          ports,
          server,
          directory,
          adminDn,
          adminPassword,
          caPath: ca.caPath,
        });
        try {
          await running.modify(addRecords(directory.ldif));
        } catch (error) {
          await running.stop();
          throw error;
        }
        return running;
      } catch (error) {
        lastError = error;
        if (!/Address already in use|bind\(.*\) failed/i.test(String(error))) break;
      }
    }
    throw lastError;
  } catch (error) {
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
}

function harness(input: {
  runDir: string;
  ports: { ldap: number; ldaps: number };
  server: WatchedServer;
  directory: SeededDirectory;
  adminDn: string;
  adminPassword: string;
  caPath: string;
}): RunningSlapd {
  const { ports, server } = input;
  const host = '127.0.0.1';
  return {
    host,
    ports,
    directory: input.directory,
    adminDn: input.adminDn,
    caPath: input.caPath,
    egressAllowance: `${host}:${ports.ldap},${host}:${ports.ldaps}`,
    modify: (ldif) =>
      ldapmodify(
        ['-x', '-H', `ldap://${host}:${ports.ldap}`, '-D', input.adminDn, '-w', input.adminPassword],
        ldif,
      ),
    searches: () =>
      [
        ...server.stderr().matchAll(/conn=(\d+) op=\d+ SEARCH RESULT tag=\d+ err=(\d+) .*?nentries=(\d+)/g),
      ].map((match) => ({
        connection: Number(match[1]),
        resultCode: Number(match[2]),
        entries: Number(match[3]),
      })),
    stop: async () => {
      await server.stop();
      rmSync(input.runDir, { recursive: true, force: true });
    },
  };
}

/** Content records (the seed) as `changetype: add` records for ldapmodify. */
function addRecords(ldif: string): string {
  return ldif
    .split(/\n\n+/)
    .filter((record) => record.trim() !== '')
    .map((record) => record.replace(/^(dn: .*)$/m, '$1\nchangetype: add'))
    .join('\n\n');
}

async function ldapmodify(args: readonly string[], ldif: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(LDAPMODIFY, [...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), LDAPMODIFY_TIMEOUT_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`ldapmodify failed (${code ?? signal}): ${stderr.trim()}`));
    });
    child.stdin.on('error', () => undefined); // an early exit shows up as the exit code
    child.stdin.end(ldif);
  });
}
