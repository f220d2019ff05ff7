import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
  dovecotPaths,
  type DovecotPorts,
  MASTER_USER_SEPARATOR,
  renderDovecotConfig,
} from './dovecot-config.js';
import { freePort } from './free-port.js';
import { RawImapClient, RawPop3Client } from './raw-mail-client.js';
import { waitFor } from './wait-for.js';

export { type DovecotPorts, MASTER_USER_SEPARATOR } from './dovecot-config.js';

/** Debian's Dovecot (`dovecot-imapd dovecot-pop3d`), which `npm test` installs when missing. */
const DOVECOT = process.env.MAILKEEP_TEST_DOVECOT ?? '/usr/sbin/dovecot';
const DOVEADM = process.env.MAILKEEP_TEST_DOVEADM ?? '/usr/bin/doveadm';
const OPENSSL = process.env.MAILKEEP_TEST_OPENSSL ?? 'openssl';

/**
 * Dovecot's master usually listens within ~100 ms; 15 s leaves room for a loaded 2-core CI box
 * (forking the config, auth and login processes) without hiding a broken config for long.
 */
const START_TIMEOUT_MS = 15_000;
/** SIGTERM makes the master stop its children and exit at once; after 10 s something is wrong: SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;
/**
 * Free ports are picked before Dovecot binds them, so another process can take one in between;
 * three attempts with fresh ports make that race practically irrelevant.
 */
const START_ATTEMPTS = 3;
/** doveadm saving a 20 MB message takes well under a second here; 60 s only bounds a hang. */
const DOVEADM_TIMEOUT_MS = 60_000;

const execFileAsync = promisify(execFile);

export interface DovecotUser {
  readonly name: string;
  readonly password: string;
}

export interface StartDovecotOptions {
  /** Mail users (passwd-file, plain passwords). Default: alice/alice-pass and bob/bob-pass. */
  readonly users?: readonly DovecotUser[];
  /** The master user that may log in as anyone. Default: archiver/archiver-pass. */
  readonly masterUser?: DovecotUser;
  /** Create Drafts, Sent, Trash, Junk and Archive (SPECIAL-USE, subscribed) for every user. Default true. */
  readonly specialUseFolders?: boolean;
}

export interface DeliveredMessage {
  readonly uid: number;
  readonly uidValidity: number;
}

export interface MailboxMessage {
  readonly uid: number;
  /** RFC822.SIZE as the server reports it (CRLF line ends, i.e. Dovecot's virtual size). */
  readonly size: number;
  /** Flags without the session-local `\Recent`. */
  readonly flags: readonly string[];
}

export interface MailboxStatus {
  readonly messages: number;
  readonly uidNext: number;
  readonly uidValidity: number;
  readonly highestModseq: bigint;
}

export type FlagMode = 'add' | 'remove' | 'replace';

export interface RunningDovecot {
  readonly host: string;
  readonly ports: DovecotPorts;
  /** The self-signed certificate (CN and SAN localhost, SAN IP 127.0.0.1); trust it as a CA. */
  readonly caCertificatePem: string;
  /**
   * `MAILKEEP_EGRESS_ALLOW` entries for exactly this server's four ports (`127.0.0.1:<port>,…`):
   * how a test lets a connector reach it, leaving the rest of loopback refused.
   */
  readonly egressAllowance: string;
  /** Snapshot of the mail users, including those added with `addUser`. */
  readonly users: readonly DovecotUser[];
  readonly masterUser: DovecotUser;
  /** The run directory (config, log, Maildirs); removed by `stop()`. */
  readonly runDir: string;
  readonly configPath: string;
  /** Adds a mail user; Dovecot re-reads the passwd-file on its next lookup. */
  addUser(name: string, password: string): void;
  /** Saves `raw` into `folder` (UTF-8 name, `/` separator; created when missing) and returns its UID. */
  deliver(
    user: string,
    folder: string,
    raw: Buffer,
    options?: { flags?: readonly string[] },
  ): Promise<DeliveredMessage>;
  /**
   * Writes many messages straight into the user's INBOX Maildir, for tests that need thousands
   * (`deliver` runs doveadm per message: ~50 ms each). Stored with LF line ends, as Dovecot stores
   * them; Dovecot indexes them, in the given order, at the next access. Then `status` sees them.
   */
  deliverMany(user: string, raws: readonly Buffer[]): Promise<void>;
  /** Creates and subscribes a folder (UTF-8 name, `/` separator, parents created as needed). */
  createFolder(user: string, path: string): Promise<void>;
  flag(user: string, folder: string, uid: number, flags: readonly string[], mode?: FlagMode): Promise<void>;
  status(user: string, folder: string): Promise<MailboxStatus>;
  /** Sets the folder's UIDVALIDITY (`doveadm mailbox update --uid-validity`); UIDs stay as they are. */
  setUidValidity(user: string, folder: string, uidValidity: number): Promise<void>;
  /** Sets a UIDVALIDITY different from the current one and returns it. */
  changeUidValidity(user: string, folder: string): Promise<number>;
  /** Expunges exactly one message through doveadm, as another client would. */
  deleteBehindClientsBack(user: string, folder: string, uid: number): Promise<void>;
  /** The folder's messages, by ascending UID. */
  list(user: string, folder: string): Promise<MailboxMessage[]>;
  /**
   * The message exactly as the server sends it for `UID FETCH <uid> BODY.PEEK[]` (fetched over IMAP
   * as the master user; \Seen is not set). Dovecot stores LF and sends CRLF, so this — not the
   * delivered bytes — is the reference an IMAP archive must equal.
   */
  rawSource(user: string, folder: string, uid: number): Promise<Buffer>;
  /**
   * The INBOX message with this UID exactly as POP3 `RETR` sends it (dot-unstuffed, final CRLF
   * kept), over POP3 as the master user; the session is dropped without QUIT, so nothing changes.
   */
  pop3Source(user: string, uid: number): Promise<Buffer>;
  /**
   * From now on records the IMAP commands of the user's sessions (Dovecot's rawlog, written after
   * login); `commandsSent` returns them.
   */
  recordCommands(user: string): Promise<void>;
  /** Every command line the user's recorded sessions sent, session by session in start order. */
  commandsSent(user: string): string[];
  /** Runs `doveadm -c <config> …args` (stdout); for anything the helpers above do not cover. */
  doveadm(args: readonly string[], input?: Buffer): Promise<string>;
  /** Stops the master (its children exit with it), waits until the ports are closed, removes the run directory. */
  stop(): Promise<void>;
}

const DEFAULT_USERS: readonly DovecotUser[] = [
  { name: 'alice', password: 'alice-pass' },
  { name: 'bob', password: 'bob-pass' },
];
const DEFAULT_MASTER: DovecotUser = { name: 'archiver', password: 'archiver-pass' };

/**
 * Starts a throw-away Dovecot of the test's own: its config, sockets, state, log and Maildirs in a
 * temp directory, IMAP/IMAPS/POP3/POP3S on free loopback ports, a fresh self-signed certificate,
 * passwd-file users and a master user. Nothing under /etc, /run or /var is written.
 */
export async function startDovecot(options: StartDovecotOptions = {}): Promise<RunningDovecot> {
  const users = [...(options.users ?? DEFAULT_USERS)];
  const masterUser = options.masterUser ?? DEFAULT_MASTER;
  for (const user of [...users, masterUser]) validateUser(user);

  const runDir = mkdtempSync(join(tmpdir(), 'mk-dovecot-'));
  const paths = dovecotPaths(runDir);
  try {
    // Dovecot's unprivileged processes (mail as `dovecot`, logins as `dovenull`) must traverse it.
    chmodSync(runDir, 0o755);
    mkdirSync(paths.stateDir);
    mkdirSync(join(runDir, 'tls'));
    mkdirSync(paths.mail);
    const root = process.getuid?.() === 0;
    await makeCertificate(paths.certificate, paths.key);
    mkdirSync(paths.users);
    for (const user of users) writeFileSync(join(paths.users, user.name), passwdLine(user), { mode: 0o644 });
    writeFileSync(paths.masterUsers, passwdLine(masterUser), { mode: 0o644 });
    if (root) {
      // Mail is read and written as `dovecot` (Dovecot refuses uid 0 for mail access).
      const owner = await accountIds('dovecot');
      chownSync(paths.mail, owner.uid, owner.gid);
    }

    const me = userInfo().username;
    // Unprivileged, the master can only chown its sockets to a group of ours.
    const myGroup = root ? 'dovecot' : (await execFileAsync('id', ['-gn'])).stdout.trim();
    const instanceName = `mk-${randomBytes(6).toString('hex')}`;
    let lastError: unknown;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const ports = await freePorts();
      writeFileSync(
        paths.config,
        renderDovecotConfig({
          runDir,
          instanceName,
          ports,
          internalUser: root ? 'dovecot' : me,
          internalGroup: myGroup,
          loginUser: root ? 'dovenull' : me,
          ...(root ? { mailUser: 'dovecot' } : {}),
          specialUseFolders: options.specialUseFolders ?? true,
        }),
      );
      try {
        const master = await launch(paths.config, ports, paths.log);
        return harness({ runDir, ports, master, users, masterUser });
      } catch (err) {
        lastError = err;
        if (!/Address already in use/i.test(String(err))) break;
      }
    }
    throw lastError;
  } catch (err) {
    rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
}

interface Master {
  /** `sh` running the watchdog below; its exit status is the master's. */
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

/**
 * Runs `dovecot -F` (the master stays in the foreground) under a tiny shell watchdog that holds our
 * pipe as stdin: when the pipe closes — stop() ending it, or the test process dying in any way,
 * even SIGKILL or a vitest worker being torn down — the watchdog sends the master SIGTERM, and the
 * master stops its children. A Dovecot can therefore not outlive the test that started it.
 * (The pipe is kept as fd 3 because a background job of a non-interactive shell gets /dev/null as
 * its stdin.)
 */
const WATCHDOG = `
exec 3<&0
"$0" -F -c "$1" </dev/null 3<&- &
master=$!
{ cat <&3 >/dev/null; kill -TERM "$master" 2>/dev/null; } &
wait "$master"
`;

async function launch(configPath: string, ports: DovecotPorts, logPath: string): Promise<Master> {
  const child = spawn('sh', ['-c', WATCHDOG, DOVECOT, configPath], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin?.on('error', () => undefined); // the watchdog may be gone already
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (err) => (stderr += String(err)));
  let failure: Error | undefined;
  try {
    const outcome = await waitFor(
      async () => {
        // an exited master is an answer too: no point in waiting out the deadline
        if (child.exitCode !== null || child.signalCode !== null) return 'exited';
        const open = await Promise.all(portList(ports).map((port) => portOpen(port)));
        return open.every(Boolean) && 'listening';
      },
      {
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 50,
        description: `Dovecot listening on ${portList(ports).join(', ')}`,
      },
    );
    if (outcome === 'exited') {
      failure = new Error(
        `dovecot exited (${child.exitCode ?? child.signalCode}): ${stderr}${readLog(logPath)}`,
      );
    }
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  }
  if (failure) {
    child.stdin?.end();
    await exited;
    throw failure;
  }
  return { child, exited };
}

function portList(ports: DovecotPorts): number[] {
  return [ports.imap, ports.imaps, ports.pop3, ports.pop3s];
}

function harness(input: {
  runDir: string;
  ports: DovecotPorts;
  master: Master;
  users: DovecotUser[];
  masterUser: DovecotUser;
}): RunningDovecot {
  const { runDir, ports, master, users, masterUser } = input;
  const paths = dovecotPaths(runDir);
  const host = '127.0.0.1';
  const caCertificatePem = readFileSync(paths.certificate, 'utf8');
  let stopped: Promise<void> | undefined;

  // One state change at a time: deliver() derives the new UID from UIDNEXT around the save.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const doveadm = async (args: readonly string[], input?: Buffer): Promise<string> => {
    return new Promise((resolve, reject) => {
      const child = spawn(DOVEADM, ['-c', paths.config, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), DOVEADM_TIMEOUT_MS);
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
        else reject(new Error(`doveadm ${args.join(' ')} failed (${code ?? signal}): ${err.trim()}`));
      });
      child.stdin.on('error', () => undefined); // doveadm exiting early shows up as its exit code
      child.stdin.end(input ?? Buffer.alloc(0));
    });
  };

  const status = async (user: string, folder: string): Promise<MailboxStatus & { guid: string }> => {
    const rows = parseTab(
      await doveadm([
        '-f',
        'tab',
        'mailbox',
        'status',
        '-u',
        user,
        'messages uidnext uidvalidity highestmodseq guid',
        folder,
      ]),
    );
    const row = rows[0];
    if (rows.length !== 1 || !row) throw new Error(`no single mailbox ${folder} for ${user}`);
    return {
      messages: Number(row.messages),
      uidNext: Number(row.uidnext),
      uidValidity: Number(row.uidvalidity),
      highestModseq: BigInt(row.highestmodseq ?? '0'),
      guid: row.guid ?? '',
    };
  };

  const createFolder = async (user: string, path: string): Promise<void> => {
    await doveadm(['mailbox', 'create', '-u', user, '-s', path]);
  };

  const existingStatus = async (user: string, folder: string) => {
    try {
      return await status(user, folder);
    } catch (err) {
      if (!/doesn't exist|not found|no single mailbox/i.test(String(err))) throw err;
      await createFolder(user, folder);
      return status(user, folder);
    }
  };

  const flag = async (
    user: string,
    folder: string,
    uid: number,
    flags: readonly string[],
    mode: FlagMode = 'add',
  ) => {
    const { guid } = await status(user, folder);
    await doveadm(['flags', mode, '-u', user, flags.join(' '), 'mailbox-guid', guid, 'uid', String(uid)]);
  };

  const setUidValidity = async (user: string, folder: string, uidValidity: number): Promise<void> => {
    await doveadm(['mailbox', 'update', '-u', user, '--uid-validity', String(uidValidity), folder]);
  };

  const masterLogin = (user: string): [string, string] => [
    `${user}${MASTER_USER_SEPARATOR}${masterUser.name}`,
    masterUser.password,
  ];

  return {
    host,
    ports,
    caCertificatePem,
    egressAllowance: [ports.imap, ports.imaps, ports.pop3, ports.pop3s]
      .map((port) => `${host}:${port}`)
      .join(','),
    get users() {
      return users.map((u) => ({ ...u }));
    },
    masterUser,
    runDir,
    configPath: paths.config,
    addUser(name, password) {
      const user = { name, password };
      validateUser(user);
      if (users.some((u) => u.name === name)) throw new Error(`user ${name} exists already`);
      // A new file: the first lookup reads it (an appended line could go unseen for up to a second,
      // because Dovecot re-checks a passwd-file at most once per second).
      writeFileSync(join(paths.users, name), passwdLine(user), { mode: 0o644 });
      users.push(user);
    },
    deliver: (user, folder, raw, options = {}) =>
      exclusive(async () => {
        const before = await existingStatus(user, folder);
        await doveadm(['save', '-u', user, '-m', folder], raw);
        const after = await status(user, folder);
        if (after.uidNext !== before.uidNext + 1) {
          throw new Error(
            `UIDNEXT of ${user}/${folder} moved ${before.uidNext} → ${after.uidNext} during one save`,
          );
        }
        const uid = before.uidNext;
        if (options.flags?.length) {
          await doveadm([
            'flags',
            'add',
            '-u',
            user,
            options.flags.join(' '),
            'mailbox-guid',
            after.guid,
            'uid',
            String(uid),
          ]);
        }
        return { uid, uidValidity: after.uidValidity };
      }),
    createFolder: (user, path) => exclusive(() => createFolder(user, path)),
    flag: (user, folder, uid, flags, mode) => exclusive(() => flag(user, folder, uid, flags, mode)),
    status: async (user, folder) => {
      const { guid: _guid, ...rest } = await status(user, folder);
      return rest;
    },
    setUidValidity: (user, folder, uidValidity) => exclusive(() => setUidValidity(user, folder, uidValidity)),
    changeUidValidity: (user, folder) =>
      exclusive(async () => {
        const { uidValidity } = await status(user, folder);
        // UIDVALIDITY is a non-zero 32-bit number; wrap around instead of overflowing.
        const next = uidValidity >= 0xffff_ffff ? 1 : uidValidity + 1;
        await setUidValidity(user, folder, next);
        return next;
      }),
    deliverMany: (user, raws) =>
      exclusive(async () => {
        if (!users.some((known) => known.name === user)) throw new Error(`no mail user ${user}`);
        const maildir = join(paths.mail, user, 'Maildir');
        for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
        const base = Math.floor(Date.now() / 1000);
        const batch = randomBytes(4).toString('hex');
        // Names sort in delivery order (same second, rising sequence), which Dovecot keeps as UID order.
        await Promise.all(
          raws.map((raw, index) => {
            const lf = Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
            const name = `${base}.M${String(index).padStart(7, '0')}P${batch}.mailkeep-test,S=${lf.length}:2,`;
            return writeFile(join(maildir, 'cur', name), lf);
          }),
        );
        if (process.getuid?.() === 0) {
          // Mail is read and written as `dovecot` when the harness runs as root.
          const owner = await accountIds('dovecot');
          await execFileAsync('chown', ['-R', `${owner.uid}:${owner.gid}`, join(paths.mail, user)]);
        }
      }),
    deleteBehindClientsBack: (user, folder, uid) =>
      exclusive(async () => {
        const { guid, messages } = await status(user, folder);
        await doveadm(['expunge', '-u', user, 'mailbox-guid', guid, 'uid', String(uid)]);
        const after = await status(user, folder);
        if (after.messages !== messages - 1) throw new Error(`UID ${uid} was not in ${user}/${folder}`);
      }),
    list: async (user, folder) => {
      const { guid } = await status(user, folder);
      const rows = parseTab(
        await doveadm([
          '-f',
          'tab',
          'fetch',
          '-u',
          user,
          'uid size.virtual flags',
          'mailbox-guid',
          guid,
          'all',
        ]),
      );
      return rows
        .map((row) => ({
          uid: Number(row.uid),
          size: Number(row['size.virtual']),
          flags: (row.flags ?? '').split(' ').filter((f) => f !== '' && f !== '\\Recent'),
        }))
        .sort((a, b) => a.uid - b.uid);
    },
    rawSource: async (user, folder, uid) => {
      const client = await RawImapClient.connect({ host, port: ports.imap });
      try {
        await client.login(...masterLogin(user));
        await client.select(folder, true);
        return await client.fetchRaw(uid);
      } finally {
        await client.logout();
      }
    },
    pop3Source: async (user, uid) => {
      const client = await RawPop3Client.connect({ host, port: ports.pop3 });
      try {
        await client.login(...masterLogin(user));
        const prefix = uid.toString(16).toUpperCase().padStart(8, '0');
        const entry = (await client.uidl()).find((e) => e.uidl.toUpperCase().startsWith(prefix));
        if (!entry) throw new Error(`no POP3 message with UID ${uid} for ${user}`);
        return await client.retr(entry.number);
      } finally {
        client.close(); // no QUIT: the session ends without an UPDATE state, so flags stay as they were
      }
    },
    doveadm,
    recordCommands: async (user) => {
      const dir = join(paths.rawlog, user);
      mkdirSync(dir, { recursive: true });
      if (process.getuid?.() === 0) {
        // Written by the imap process, which runs as `dovecot` when the harness runs as root.
        const owner = await accountIds('dovecot');
        chownSync(dir, owner.uid, owner.gid);
      }
    },
    commandsSent: (user) => {
      const dir = join(paths.rawlog, user);
      // Files are named <date>-<time>-<pid>(.in|.out): sorted by name, sessions come in start order.
      return readdirSync(dir)
        .filter((name) => name.endsWith('.in'))
        .sort()
        .flatMap((name) => readFileSync(join(dir, name), 'latin1').split(/\r?\n/))
        .filter((line) => line !== '');
    },
    stop: () =>
      (stopped ??= (async () => {
        if (master.child.exitCode === null && master.child.signalCode === null) {
          master.child.stdin?.end(); // the watchdog sends the master SIGTERM
          const masterPid = readMasterPid(paths.baseDir);
          const timer = setTimeout(() => {
            if (masterPid !== undefined) process.kill(masterPid, 'SIGKILL');
          }, STOP_TIMEOUT_MS);
          await master.exited;
          clearTimeout(timer);
        }
        await waitFor(
          async () => (await Promise.all(portList(ports).map((p) => portOpen(p)))).every((o) => !o),
          {
            description: 'Dovecot ports closed',
          },
        );
        rmSync(runDir, { recursive: true, force: true });
      })()),
  };
}

function validateUser(user: DovecotUser): void {
  // passwd-file fields are separated by ":"; "*" is the master-user separator.
  if (!/^[A-Za-z0-9._@+-]+$/.test(user.name)) throw new Error(`unsupported user name: ${user.name}`);
  if (/[:\r\n]/.test(user.password)) throw new Error(`unsupported password for ${user.name}`);
}

function passwdLine(user: DovecotUser): string {
  return `${user.name}:{PLAIN}${user.password}::::::\n`;
}

async function accountIds(name: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await execFileAsync('getent', ['passwd', name]);
  const [, , uid, gid] = stdout.trim().split(':');
  if (uid === undefined || gid === undefined)
    throw new Error(`account ${name} not found (is Dovecot installed?)`);
  return { uid: Number(uid), gid: Number(gid) };
}

async function makeCertificate(certificate: string, key: string): Promise<void> {
  // EC P-256: generated in milliseconds (RSA takes noticeably longer); valid for 7 days, longer than any run.
  await execFileAsync(OPENSSL, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    certificate,
    '-days',
    '7',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
}

async function freePorts(): Promise<DovecotPorts> {
  const picked = new Set<number>();
  while (picked.size < 4) picked.add(await freePort());
  const [imap, imaps, pop3, pop3s] = [...picked] as [number, number, number, number];
  return { imap, imaps, pop3, pop3s };
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function readMasterPid(baseDir: string): number | undefined {
  try {
    return Number(readFileSync(join(baseDir, 'master.pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

function readLog(path: string): string {
  try {
    return `\n--- dovecot.log ---\n${readFileSync(path, 'utf8').slice(-4000)}`;
  } catch {
    return '';
  }
}

/** doveadm `-f tab` output: a header row, then one tab-separated row per record. */
function parseTab(output: string): Record<string, string>[] {
  const [header, ...rows] = output.split('\n').filter((line) => line !== '');
  if (!header) return [];
  const names = header.split('\t');
  return rows.map((row) => {
    const values = row.split('\t');
    return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']));
  });
}
