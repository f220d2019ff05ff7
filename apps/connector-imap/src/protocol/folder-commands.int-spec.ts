import { Egress, EgressPolicy } from '@mailkeep/egress';
import { createLogger } from '@mailkeep/observability';
import { type RunningImapFake, startImapFake } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BodyStreamer } from './body-streamer.js';
import { listFolders, openFolder } from './folder-commands.js';
import { ImapSession } from './imap-client.js';
import type { ImapLogin, ImapServerSettings } from './imap-settings.js';

/**
 * The commands that name a folder against the scripted IMAP fake (libs/testing), which lists
 * names Dovecot refuses and records every byte a client sends: first what imapflow 2.10.2 does
 * with them (the reason for folder-commands.ts), then that LIST, STATUS, SELECT / EXAMINE and the
 * body connection carry exactly the listed bytes.
 */
const logger = createLogger({ service: 'connector-imap-test', level: 'fatal' });

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** Names that are not canonical modified UTF-7, hold the other delimiter, or are not UTF-8. */
const ODD_NAMES = [
  bytes('&AGE-'),
  bytes('&ZZZ'),
  bytes('bad&-x&'),
  bytes('a/b'),
  bytes('caf', [0xe9]),
  bytes('caf', [0xe8]),
  bytes('say "hi" \\ bye'),
];
const message = (n: number) => Buffer.from(`Subject: message ${n}\r\n\r\nbody ${n}\r\n`);

let plain: RunningImapFake;
let secure: RunningImapFake;

beforeAll(async () => {
  const folders = [
    { name: 'INBOX', messages: [message(0)] },
    { name: 'a', messages: [message(1)] },
    ...ODD_NAMES.map((name, i) => ({
      name,
      uidValidity: 500 + i,
      messages: [message(10 + i), message(20 + i)],
    })),
  ];
  [plain, secure] = await Promise.all([
    startImapFake({ user: 'alice', password: 'alice-pass', folders, listStatus: false }),
    startImapFake({ user: 'alice', password: 'alice-pass', folders, tls: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([plain?.stop(), secure?.stop()]);
});

function settings(fake: RunningImapFake): ImapServerSettings {
  return {
    host: fake.host,
    port: fake.port,
    protocol: fake === secure ? 'imap-ssl' : 'imap-tls',
    ignoreTlsCertificateErrors: true,
    timeoutMs: 10_000,
  };
}

const alice: ImapLogin = { user: 'alice', password: 'alice-pass' };
const egress = (fake: RunningImapFake) => new Egress(EgressPolicy.fromEntries(fake.egressAllowance));

async function withSession<T>(fake: RunningImapFake, work: (session: ImapSession) => Promise<T>): Promise<T> {
  const session = await ImapSession.open(settings(fake), alice, { logger, egress: egress(fake) });
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

/** The mailbox arguments of the commands sent since `from`. */
const sentSince = (fake: RunningImapFake, command: 'SELECT' | 'EXAMINE' | 'STATUS', from: number) =>
  fake.namesSent(command).slice(from);

describe('imapflow against names that are not canonical modified UTF-7 (why folder-commands.ts exists)', () => {
  it('opens another name than the listed one, and reads two 8-bit names as one', async () => {
    await withSession(secure, async (session) => {
      const listed = await session.client.list();
      const before = secure.namesSent('EXAMINE').length;
      for (const path of ['&AGE-', '&ZZZ', 'bad&-x&']) {
        const entry = listed.find((folder) => folder.pathAsListed === path);
        expect(entry, path).toBeDefined();
        await session.client.mailboxOpen(entry!.path, { readOnly: true }).catch(() => undefined);
      }
      // `&AGE-` was opened as `a` (another folder), the others as names the server does not have.
      expect(sentSince(secure, 'EXAMINE', before).map((name) => name.toString('latin1'))).toEqual([
        'a',
        '&ZZY-',
        'bad&-x',
      ]);
      // The two 8-bit names come as literals; imapflow keeps their bytes as latin1 text but the
      // path it would SELECT is re-encoded text.
      const eightBit = listed.filter((folder) => folder.pathAsListed.startsWith('caf'));
      expect(eightBit).toHaveLength(2);
    });
  });
});

describe('folder commands with the listed bytes', () => {
  for (const variant of ['LIST-STATUS over implicit TLS', 'LIST + STATUS over STARTTLS'] as const) {
    it(`lists every name byte for byte with its status (${variant})`, async () => {
      const fake = variant.startsWith('LIST-STATUS') ? secure : plain;
      const statusBefore = fake.namesSent('STATUS').length;
      const listed = await withSession(fake, (session) => listFolders(session, true));
      expect(listed.map((folder) => folder.name)).toEqual([bytes('INBOX'), bytes('a'), ...ODD_NAMES]);
      expect(listed.every((folder) => folder.delimiter === '.')).toBe(true);
      ODD_NAMES.forEach((name, i) => {
        const folder = listed.find((f) => f.name.equals(name));
        expect(folder?.status).toEqual({ messages: 2, uidNext: 3, uidValidity: BigInt(500 + i) });
      });
      // Without LIST-STATUS one STATUS per folder, each by its exact bytes.
      expect(sentSince(fake, 'STATUS', statusBefore)).toEqual(
        fake === plain ? [bytes('INBOX'), bytes('a'), ...ODD_NAMES] : [],
      );
    });
  }

  it('EXAMINEs every folder by its listed bytes (quoted, or a literal for 8-bit names) and fetches from it', async () => {
    const before = secure.namesSent('EXAMINE').length;
    const fetched = await withSession(secure, async (session) => {
      const sources: Buffer[] = [];
      for (const name of ODD_NAMES) {
        const opened = await openFolder(session.client, name, true);
        expect(opened.exists).toBe(2);
        const rows = await session.client.fetchAll('1:*', { uid: true, source: true }, { uid: true });
        sources.push(...rows.map((row) => row.source!));
      }
      return sources;
    });
    expect(sentSince(secure, 'EXAMINE', before)).toEqual(ODD_NAMES);
    expect(fetched).toEqual(ODD_NAMES.flatMap((_, i) => [message(10 + i), message(20 + i)]));
    const lines = secure.commands.map((command) => command.toString('latin1'));
    expect(lines).toContainEqual(expect.stringMatching(/ EXAMINE "bad&-x&"$/));
    expect(lines).toContainEqual(expect.stringMatching(/ EXAMINE "say \\"hi\\" \\\\ bye"$/));
    expect(lines).toContainEqual(expect.stringMatching(/ EXAMINE \{4\}\r\ncaf\xe9$/));
  });

  it('reports a folder the server refuses as imapflow would, and the connection stays usable', async () => {
    await withSession(secure, async (session) => {
      await expect(openFolder(session.client, bytes('gone'), true)).rejects.toMatchObject({
        serverResponseCode: 'NONEXISTENT',
      });
      expect(session.usable).toBe(true);
      expect((await openFolder(session.client, ODD_NAMES[0]!, true)).uidValidity).toBe(500n);
    });
  });

  it('the body connection EXAMINEs by the same bytes, literals after the server asks for them', async () => {
    const before = plain.namesSent('EXAMINE').length;
    const streamer = await BodyStreamer.open(settings(plain), alice, egress(plain));
    try {
      for (const [i, name] of ODD_NAMES.entries()) expect(await streamer.examine(name)).toBe(500 + i);
      const body = await streamer.stream(2);
      const chunks: Buffer[] = [];
      for await (const chunk of body!) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks)).toEqual(message(20 + ODD_NAMES.length - 1));
    } finally {
      streamer.close();
    }
    expect(sentSince(plain, 'EXAMINE', before)).toEqual(ODD_NAMES);
  });
});
