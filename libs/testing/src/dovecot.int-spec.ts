import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type RunningDovecot, startDovecot } from './dovecot.js';
import { buildMailCorpus } from './mail-corpus.js';
import { decodeImapUtf7, encodeImapUtf7, RawImapClient, RawPop3Client } from './raw-mail-client.js';
import { waitFor } from './wait-for.js';

/** Real Dovecot from Debian (scripts/ensure-dovecot.sh); every test talks to it over real sockets. */
let dovecot: RunningDovecot;

beforeAll(async () => {
  dovecot = await startDovecot();
});
afterAll(async () => {
  await dovecot?.stop();
});

const message = (subject: string, body = 'Hello.'): Buffer =>
  Buffer.from(`From: a@example.test\r\nTo: b@example.test\r\nSubject: ${subject}\r\n\r\n${body}\r\n`);

const imap = (tls: 'none' | 'implicit' | 'starttls' = 'none') =>
  RawImapClient.connect({
    host: dovecot.host,
    port: tls === 'implicit' ? dovecot.ports.imaps : dovecot.ports.imap,
    tls,
    ca: dovecot.caCertificatePem,
    servername: 'localhost',
  });

const pop3 = (tls: 'none' | 'implicit' | 'starttls' = 'none') =>
  RawPop3Client.connect({
    host: dovecot.host,
    port: tls === 'implicit' ? dovecot.ports.pop3s : dovecot.ports.pop3,
    tls,
    ca: dovecot.caCertificatePem,
    servername: 'localhost',
  });

/** PIDs of all processes below `root`, from /proc (Dovecot's config, auth, login, imap … children). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parentOf) {
      if (parent !== pid) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

function masterPid(instance: RunningDovecot): number {
  return Number(readFileSync(`${instance.runDir}/run/master.pid`, 'utf8').trim());
}

describe('startDovecot', () => {
  it('starts on four loopback ports and stop() ends every process, closes the ports and removes the directory', async () => {
    const own = await startDovecot({ users: [{ name: 'carol', password: 'carol-pass' }] });
    const pid = masterPid(own);
    let children: number[] | undefined;
    try {
      const client = await RawImapClient.connect({ host: own.host, port: own.ports.imap });
      await client.login('carol', 'carol-pass');
      await client.select('INBOX');
      // while a session is open there are login, auth and imap processes below the master
      children = descendants(pid);
      expect(children.length).toBeGreaterThan(2);
      await client.logout();
    } finally {
      await own.stop();
    }

    const alive = (p: number) =>
      existsSync(`/proc/${p}`) && !readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z ');
    expect([pid, ...(children ?? [])].filter(alive)).toEqual([]);
    await expect(RawImapClient.connect({ host: own.host, port: own.ports.imap })).rejects.toThrow(
      /ECONNREFUSED/,
    );
    expect(existsSync(own.runDir)).toBe(false);
    await own.stop(); // idempotent
  });

  it('two harnesses at once use their own ports, directories and mail', async () => {
    const other = await startDovecot();
    try {
      const ports = (d: RunningDovecot) => [d.ports.imap, d.ports.imaps, d.ports.pop3, d.ports.pop3s];
      expect(new Set([...ports(dovecot), ...ports(other)]).size).toBe(8);
      expect(other.runDir).not.toBe(dovecot.runDir);
      await other.deliver('bob', 'INBOX', message('only in the other one'));
      expect(await other.list('bob', 'INBOX')).toHaveLength(1);
      expect(await dovecot.list('bob', 'INBOX')).toHaveLength(0);
    } finally {
      await other.stop();
    }
    // stopping one leaves the other serving
    const client = await imap();
    await client.login('bob', 'bob-pass');
    expect((await client.select('INBOX')).exists).toBe(0);
    await client.logout();
  });
});

describe('IMAP', () => {
  it.each(['none', 'starttls', 'implicit'] as const)(
    'logs in, lists, selects and fetches sizes (tls: %s)',
    async (tls) => {
      const { uid } = await dovecot.deliver('alice', 'Logins', message(`login over ${tls}`));
      const client = await imap(tls);
      try {
        expect(client.encrypted).toBe(tls !== 'none');
        if (tls === 'none') expect(await client.capabilities()).toEqual(expect.arrayContaining(['STARTTLS']));
        await client.login('alice', 'alice-pass');
        const names = (await client.list()).map((f) => f.name);
        expect(names).toEqual(
          expect.arrayContaining(['INBOX', 'Logins', 'Drafts', 'Sent', 'Trash', 'Junk', 'Archive']),
        );
        const selected = await client.select('Logins');
        expect(selected.exists).toBeGreaterThan(0);
        const sizes = await client.uidSizes();
        const listed = await dovecot.list('alice', 'Logins');
        expect(sizes).toEqual(listed.map(({ uid: u, size }) => ({ uid: u, size })));
        expect(sizes.map((s) => s.uid)).toContain(uid);
      } finally {
        await client.logout();
      }
    },
  );

  it('advertises SPECIAL-USE folders and the capabilities the connector relies on', async () => {
    const client = await imap();
    try {
      await client.login('alice', 'alice-pass');
      const caps = await client.capabilities();
      expect(caps).toEqual(
        expect.arrayContaining(['CONDSTORE', 'QRESYNC', 'UIDPLUS', 'MOVE', 'SPECIAL-USE', 'BINARY']),
      );
      const trash = (await client.list()).find((f) => f.name === 'Trash');
      expect(trash?.attributes).toContain('\\Trash');
    } finally {
      await client.logout();
    }
  });

  it('rejects a wrong password', async () => {
    const client = await imap();
    try {
      await expect(client.login('alice', 'wrong')).rejects.toThrow(/NO/);
    } finally {
      client.close();
    }
  });
});

describe('TLS certificate', () => {
  it('validates against caCertificatePem for localhost and 127.0.0.1, and not without it', async () => {
    const handshake = (options: { ca?: string; servername?: string }) =>
      new Promise<boolean>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: dovecot.ports.imaps, ...options }, () => {
          const authorized = socket.authorized;
          socket.destroy();
          resolve(authorized);
        });
        socket.once('error', reject);
      });
    await expect(handshake({ ca: dovecot.caCertificatePem, servername: 'localhost' })).resolves.toBe(true);
    await expect(handshake({ ca: dovecot.caCertificatePem })).resolves.toBe(true); // IP SAN
    await expect(handshake({ servername: 'localhost' })).rejects.toThrow(/self[- ]signed/i);
  });
});

describe('POP3', () => {
  it.each(['none', 'starttls', 'implicit'] as const)(
    'logs in, lists UIDLs and retrieves (tls: %s)',
    async (tls) => {
      const user = `pop-${tls}`;
      dovecot.addUser(user, 'pop-pass');
      const first = await dovecot.deliver(user, 'INBOX', message('first', '.dot line\r\n.\r\nend'));
      await dovecot.deliver(user, 'INBOX', message('second'));
      const client = await pop3(tls);
      try {
        expect(client.encrypted).toBe(tls !== 'none');
        if (tls === 'none') expect(await client.capa()).toContain('STLS');
        await client.login(user, 'pop-pass');
        const uidls = await client.uidl();
        expect(uidls).toHaveLength(2);
        expect(uidls[0]?.uidl).toBe(
          // pop3_uidl_format %08Xu%08Xv: Dovecot's %X is lower-case hex
          first.uid.toString(16).padStart(8, '0') + first.uidValidity.toString(16).padStart(8, '0'),
        );
        const retrieved = await client.retr(1);
        expect(retrieved).toEqual(message('first', '.dot line\r\n.\r\nend'));
        expect(retrieved).toEqual(await dovecot.pop3Source(user, first.uid));
      } finally {
        await client.quit();
      }
    },
  );
});

describe('master user', () => {
  it('logs in as "user*master" and with SASL PLAIN authzid, over IMAP and POP3, and sees the user\'s mailbox', async () => {
    dovecot.addUser('dave', 'dave-pass');
    await dovecot.deliver('dave', 'INBOX', message('for dave'));
    await dovecot.deliver('dave', 'INBOX', message('for dave again'));
    const { name, password } = dovecot.masterUser;

    const viaLogin = await imap();
    await viaLogin.login(`dave*${name}`, password);
    expect((await viaLogin.select('INBOX')).exists).toBe(2);
    await viaLogin.logout();

    const viaSasl = await imap('starttls');
    await viaSasl.authenticatePlain('dave', name, password);
    expect((await viaSasl.select('INBOX')).exists).toBe(2);
    await viaSasl.logout();

    const viaPop = await pop3('implicit');
    await viaPop.authenticatePlain('dave', name, password);
    expect(await viaPop.uidl()).toHaveLength(2);
    await viaPop.quit();

    const wrong = await imap();
    await expect(wrong.authenticatePlain('dave', name, 'wrong')).rejects.toThrow(/NO/);
    wrong.close();
  });
});

describe('state helpers', () => {
  it('delivers with flags, lists and changes flags', async () => {
    const a = await dovecot.deliver('alice', 'Flags', message('flagged'), {
      flags: ['\\Flagged', '$Important'],
    });
    const b = await dovecot.deliver('alice', 'Flags', message('plain'));
    expect(b.uid).toBe(a.uid + 1);
    await dovecot.flag('alice', 'Flags', b.uid, ['\\Seen', '\\Deleted']);
    await dovecot.flag('alice', 'Flags', a.uid, ['$Important'], 'remove');
    const listed = await dovecot.list('alice', 'Flags');
    expect(listed.map((m) => [m.uid, [...m.flags].sort()])).toEqual([
      [a.uid, ['\\Flagged']],
      [b.uid, ['\\Deleted', '\\Seen']],
    ]);
    const client = await imap();
    await client.login('alice', 'alice-pass');
    await client.select('Flags', true);
    const fetched = await client.command('UID FETCH 1:* (UID FLAGS)');
    // \Recent: this is the first session to see the messages
    expect(fetched.untagged.map((l) => l.text)).toEqual([
      `* 1 FETCH (UID ${a.uid} FLAGS (\\Flagged \\Recent))`,
      `* 2 FETCH (UID ${b.uid} FLAGS (\\Deleted \\Seen \\Recent))`,
    ]);
    await client.logout();
  });

  it('folder names with non-ASCII characters, "&" and "." travel as modified UTF-7', async () => {
    const folder = 'Projekte/Grüße & Co./日本';
    await dovecot.createFolder('alice', folder);
    const { uid } = await dovecot.deliver('alice', folder, message('in a strange folder'));
    const wire = 'Projekte/Gr&APwA3w-e &- Co./&ZeVnLA-';
    expect(encodeImapUtf7(folder)).toBe(wire);
    expect(decodeImapUtf7(wire)).toBe(folder);

    const client = await imap();
    await client.login('alice', 'alice-pass');
    const names = (await client.list()).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Projekte', 'Projekte/Gr&APwA3w-e &- Co.', wire]));
    await client.select(folder);
    expect(await client.uidSizes()).toEqual([{ uid, size: message('in a strange folder').length }]);
    await client.logout();
  });

  it('a changed UIDVALIDITY is visible to a new SELECT', async () => {
    await dovecot.deliver('alice', 'Validity', message('one'));
    const before = await dovecot.status('alice', 'Validity');
    const changed = await dovecot.changeUidValidity('alice', 'Validity');
    expect(changed).not.toBe(before.uidValidity);

    const client = await imap();
    await client.login('alice', 'alice-pass');
    expect((await client.select('Validity')).uidValidity).toBe(changed);
    await client.logout();

    await dovecot.setUidValidity('alice', 'Validity', 4242);
    const again = await imap();
    await again.login('alice', 'alice-pass');
    const selected = await again.select('Validity');
    expect(selected).toMatchObject({ uidValidity: 4242, exists: 1 });
    await again.logout();
  });

  it('deletes exactly one message behind an open session', async () => {
    const uids = [];
    for (const n of [1, 2, 3]) uids.push((await dovecot.deliver('alice', 'Expunge', message(`m${n}`))).uid);
    const client = await imap();
    await client.login('alice', 'alice-pass');
    await client.select('Expunge');

    await dovecot.deleteBehindClientsBack('alice', 'Expunge', uids[1] ?? 0);

    // the open session learns about it on its next command
    const noop = await waitFor(
      async () => (await client.command('NOOP')).untagged.find((l) => / EXPUNGE$/.test(l.text)),
      { description: 'EXPUNGE notification' },
    );
    expect(noop.text).toBe('* 2 EXPUNGE');
    expect((await client.uidSizes()).map((m) => m.uid)).toEqual([uids[0], uids[2]]);
    await client.logout();
    expect((await dovecot.list('alice', 'Expunge')).map((m) => m.uid)).toEqual([uids[0], uids[2]]);
    await expect(dovecot.deleteBehindClientsBack('alice', 'Expunge', uids[1] ?? 0)).rejects.toThrow(/not in/);
  });
});

describe('mixed corpus through Dovecot', () => {
  it("stores every corpus message; IMAP and POP3 send it with the server's line-end and NUL rules", async () => {
    const corpus = buildMailCorpus();
    expect(buildMailCorpus({ largeAttachmentBytes: 1024 })[5]?.raw).toEqual(corpus[5]?.raw); // deterministic
    dovecot.addUser('corpus', 'corpus-pass');
    const delivered = [];
    for (const item of corpus)
      delivered.push({ item, ...(await dovecot.deliver('corpus', 'INBOX', item.raw)) });
    const sizes = new Map((await dovecot.list('corpus', 'INBOX')).map((m) => [m.uid, m.size]));

    for (const { item, uid } of delivered) {
      const viaImap = await dovecot.rawSource('corpus', 'INBOX', uid);
      const viaPop3 = await dovecot.pop3Source('corpus', uid);
      // RFC822.SIZE is exactly what BODY[] sends (also for the 20 MB message).
      expect(viaImap.length, item.name).toBe(sizes.get(uid));
      // IMAP: every bare LF becomes CRLF and NUL becomes 0x80 (NUL is not allowed in an IMAP literal).
      expect(viaImap.equals(toCrlf(item.raw).map((b) => (b === 0 ? 0x80 : b))), item.name).toBe(true);
      // POP3: bare LF becomes CRLF, NUL is sent as is, and a message without a final line break
      // gets one (the terminator must start a line), so POP3 can add 2 bytes IMAP does not.
      const finalBreak = item.raw.at(-1) === 0x0a ? Buffer.alloc(0) : Buffer.from('\r\n');
      expect(viaPop3.equals(Buffer.concat([toCrlf(item.raw), finalBreak])), item.name).toBe(true);
    }
    expect(delivered.map((d) => d.item.name)).toEqual(
      expect.arrayContaining(['plain-lf', 'binary-raw', 'dot-lines', 'large-attachment', 'duplicate-id-b']),
    );
  });
});

/** LF → CRLF where the LF has no CR before it (what Dovecot does on the way out). */
function toCrlf(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let lf = raw.indexOf(0x0a); lf >= 0; lf = raw.indexOf(0x0a, lf + 1)) {
    if (lf > 0 && raw[lf - 1] === 0x0d) continue;
    parts.push(raw.subarray(start, lf), Buffer.from('\r'));
    start = lf;
  }
  parts.push(raw.subarray(start));
  return Buffer.concat(parts);
}
