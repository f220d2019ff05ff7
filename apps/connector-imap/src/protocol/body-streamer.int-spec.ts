import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

import { Egress, EgressPolicy } from '@mailkeep/egress';
import { type RunningDovecot, startDovecot, waitFor } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BodyStreamer } from './body-streamer.js';
import type { ImapProtocol, ImapServerSettings } from './imap-settings.js';
import { encodeModifiedUtf7 } from './modified-utf7.js';

/** A folder's name as Dovecot lists it (modified UTF-7): what EXAMINE is given. */
const listed = (path: string): Buffer => Buffer.from(encodeModifiedUtf7(path), 'latin1');

let dovecot: RunningDovecot;
let large: number;
let small: number;
let elsewhere: number;
/** Needs modified UTF-7 on the wire: `&AMQ-rger &- Co`. */
const NON_ASCII_FOLDER = 'Ärger & Co';

/** A 3 MB message of base64 lines: larger than a socket read, many TLS records. */
function largeMessage(): Buffer {
  const body = randomBytes(2_200_000).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(`Subject: large\r\nMessage-ID: <large@body.test>\r\n\r\n${body}\r\n`);
}

beforeAll(async () => {
  dovecot = await startDovecot({ users: [{ name: 'alice', password: 'alice-pass' }] });
  large = (await dovecot.deliver('alice', 'INBOX', largeMessage())).uid;
  small = (await dovecot.deliver('alice', 'INBOX', Buffer.from('Subject: small\n\nline one\n.line two\n')))
    .uid;
  elsewhere = (await dovecot.deliver('alice', NON_ASCII_FOLDER, Buffer.from('Subject: elsewhere\n\nbody\n')))
    .uid;
}, 60_000);

afterAll(async () => {
  await dovecot?.stop();
});

function settings(protocol: ImapProtocol): ImapServerSettings {
  return {
    host: dovecot.host,
    port: protocol === 'imap-ssl' ? dovecot.ports.imaps : dovecot.ports.imap,
    protocol,
    ignoreTlsCertificateErrors: true,
    timeoutMs: 10_000,
  };
}

/** Exactly this Dovecot's ports are allowed; the rest of loopback stays refused. */
const egress = () => new Egress(EgressPolicy.fromEntries(dovecot.egressAllowance));

const asMaster = () => ({
  user: dovecot.masterUser.name,
  password: dovecot.masterUser.password,
  authorizeAs: 'alice',
});

async function readAll(stream: Readable): Promise<Buffer> {
  return Buffer.concat(await stream.toArray());
}

describe('BodyStreamer', () => {
  for (const protocol of ['imap-ssl', 'imap-tls'] as const) {
    it(`streams messages exactly as the server sends them (${protocol}, master user for the mailbox)`, async () => {
      const streamer = await BodyStreamer.open(settings(protocol), asMaster(), egress());
      try {
        expect(await streamer.examine(listed('INBOX'))).toBe(
          (await dovecot.status('alice', 'INBOX')).uidValidity,
        );
        // Asked for together: the second starts once the first answer is complete (read).
        const first = streamer.stream(large);
        const second = streamer.stream(small);
        const firstBytes = await readAll((await first) as Readable);
        expect(firstBytes.equals(await dovecot.rawSource('alice', 'INBOX', large))).toBe(true);
        const secondBytes = await readAll((await second) as Readable);
        expect(secondBytes.equals(await dovecot.rawSource('alice', 'INBOX', small))).toBe(true);
        expect(streamer.usable).toBe(true);
      } finally {
        streamer.close();
      }
    });
  }

  it('answers undefined for a message that is gone, and goes on after a consumer gave up half-way', async () => {
    const streamer = await BodyStreamer.open(
      settings('imap-ssl'),
      { user: 'alice', password: 'alice-pass' },
      egress(),
    );
    try {
      await streamer.examine(listed('INBOX'));
      expect(await streamer.stream(999_999)).toBeUndefined();
      const abandoned = (await streamer.stream(large)) as Readable;
      await new Promise((resolve) => abandoned.once('readable', resolve));
      abandoned.destroy();
      const next = await streamer.stream(small);
      expect((await readAll(next as Readable)).equals(await dovecot.rawSource('alice', 'INBOX', small))).toBe(
        true,
      );
    } finally {
      streamer.close();
    }
  });

  it('stops reading the socket while the consumer is behind', async () => {
    const streamer = await BodyStreamer.open(
      settings('imap-ssl'),
      { user: 'alice', password: 'alice-pass' },
      egress(),
    );
    try {
      await streamer.examine(listed('INBOX'));
      const stream = (await streamer.stream(large)) as Readable;
      // Nobody reads: the buffer fills to its mark, where the socket must pause...
      await waitFor(() => stream.readableLength >= 256 * 1024, {
        timeoutMs: 5_000,
        description: 'buffer filled',
      });
      // ...and stay paused: the buffer stops growing (the same over five looks 50 ms apart), well
      // short of the whole message. Without the pause it would settle only at all 3 MB.
      let lastLength = -1;
      let looksUnchanged = 0;
      await waitFor(
        () => {
          looksUnchanged = stream.readableLength === lastLength ? looksUnchanged + 1 : 0;
          lastLength = stream.readableLength;
          return looksUnchanged >= 5;
        },
        { timeoutMs: 5_000, intervalMs: 50, description: 'buffer no longer growing' },
      );
      expect(stream.readableLength).toBeLessThan(512 * 1024); // of 3 MB on offer
      const bytes = await readAll(stream);
      expect(bytes.equals(await dovecot.rawSource('alice', 'INBOX', large))).toBe(true);
    } finally {
      streamer.close();
    }
  });

  it('opens folders whose names need modified UTF-7, rejects a folder the server lacks and a wrong password', async () => {
    const streamer = await BodyStreamer.open(
      settings('imap-tls'),
      { user: 'alice', password: 'alice-pass' },
      egress(),
    );
    try {
      expect(await streamer.examine(listed(NON_ASCII_FOLDER))).toBe(
        (await dovecot.status('alice', NON_ASCII_FOLDER)).uidValidity,
      );
      const body = await streamer.stream(elsewhere);
      expect(body).toBeDefined();
      expect(
        (await readAll(body!)).equals(await dovecot.rawSource('alice', NON_ASCII_FOLDER, elsewhere)),
      ).toBe(true);
      await expect(streamer.examine(listed('Ärger & Co/Missing'))).rejects.toThrow(/EXAMINE .* failed/);
      // A refused folder leaves the connection usable.
      expect(await streamer.examine(listed('INBOX'))).toBe(
        (await dovecot.status('alice', 'INBOX')).uidValidity,
      );
    } finally {
      streamer.close();
    }
    expect(streamer.usable).toBe(false);
    await expect(
      BodyStreamer.open(settings('imap-ssl'), { user: 'alice', password: 'wrong' }, egress()),
    ).rejects.toThrow(/AUTHENTICATE PLAIN failed/);
  });
});
