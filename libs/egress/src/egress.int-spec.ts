import type { LookupAddress } from 'node:dns';
import { createServer, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

import { ContractError } from '@mailkeep/contracts';
import { freePort, type RunningDovecot, startDovecot } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Egress, type LookupAll } from './egress.js';
import { EgressPolicy } from './egress-policy.js';
import { EGRESS_REFUSED } from './egress-refused.js';

/** The helper against real sockets: local listeners, and Dovecot's TLS for the name checks. */
const TIMEOUT_MS = 5_000;

/** A listener that counts the connections it accepts, on a loopback address of the test's choice. */
interface Listener {
  readonly server: Server;
  readonly port: number;
  readonly accepted: Socket[];
}

async function listen(host: string, greeting?: string): Promise<Listener> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => undefined);
    if (greeting !== undefined) socket.write(greeting);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as { port: number }).port, accepted };
}

/** A resolver that answers from a script, one answer per call (the last one repeated). */
function scripted(...answers: (readonly string[])[]): LookupAll & { calls: string[] } {
  const calls: string[] = [];
  const lookupAll = (hostname: string): Promise<LookupAddress[]> => {
    const answer = answers[Math.min(calls.length, answers.length - 1)] ?? [];
    calls.push(hostname);
    return Promise.resolve(answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return Object.assign(lookupAll, { calls });
}

async function refusal(promise: Promise<unknown>): Promise<ContractError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ContractError);
  return error as ContractError;
}

let dovecot: RunningDovecot;
let imapLike: Listener;
let other: Listener;
let rebound: Listener;
const sockets: Socket[] = [];

beforeAll(async () => {
  dovecot = await startDovecot();
  imapLike = await listen('127.0.0.1', '* OK IMAP4rev1 ready\r\n');
  other = await listen('127.0.0.1', 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
  // 127.0.0.2 is loopback too (Linux answers the whole 127/8): the address a rebinding DNS would name.
  rebound = await listen('127.0.0.2');
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const listener of [imapLike, other, rebound]) {
    for (const socket of listener?.accepted ?? []) socket.destroy();
    await new Promise<void>((resolve) => (listener ? listener.server.close(() => resolve()) : resolve()));
  }
  await dovecot?.stop();
});

describe('Egress under the default policy', () => {
  const egress = new Egress();

  it('refuses loopback with one answer for an open IMAP port, another listener and a closed port', async () => {
    const closed = await freePort();
    const answers = await Promise.all(
      [imapLike.port, other.port, closed].map((port) =>
        refusal(egress.connect('127.0.0.1', port, { timeoutMs: TIMEOUT_MS })),
      ),
    );
    for (const error of answers) {
      expect(error.toBody()).toEqual({
        code: 'VALIDATION',
        message: "the server's address 127.0.0.1 is not allowed by this deployment's egress policy",
        reason: EGRESS_REFUSED,
      });
    }
    // Nothing was even attempted.
    expect(imapLike.accepted).toHaveLength(0);
    expect(other.accepted).toHaveLength(0);
  });

  it.each([
    ['127.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['0', '0.0.0.0'],
    ['[::1]', '::1'],
    ['::', '::'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['169.254.169.254', '169.254.169.254'],
  ])('refuses %s without asking DNS', async (host, address) => {
    const lookup = scripted(['203.0.113.10']);
    const error = await refusal(new Egress(EgressPolicy.DEFAULT, lookup).resolve(host, 993, TIMEOUT_MS));
    expect(error.message).toContain(`address ${address}`);
    expect(error.reason).toBe(EGRESS_REFUSED);
    expect(lookup.calls).toEqual([]);
  });

  it('refuses a host name that resolves to loopback (the system resolver)', async () => {
    const error = await refusal(egress.connect('localhost', imapLike.port, { timeoutMs: TIMEOUT_MS }));
    expect(error.message).toMatch(/^the server's address (127\.0\.0\.1|::1) \(localhost\) is not allowed/);
    expect(imapLike.accepted).toHaveLength(0);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const lookup = scripted(['203.0.113.10', '127.0.0.1']);
    const error = await refusal(
      new Egress(EgressPolicy.DEFAULT, lookup).resolve('mixed.example.test', 993, TIMEOUT_MS),
    );
    expect(error.message).toContain('127.0.0.1 (mixed.example.test)');
  });

  it('passes the resolver errors on', async () => {
    await expect(egress.resolve('no-such-host.invalid', 993, TIMEOUT_MS)).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
    await expect(
      new Egress(EgressPolicy.DEFAULT, scripted([])).resolve('empty.example.test', 993, TIMEOUT_MS),
    ).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});

describe('Egress with an allowance', () => {
  it('reaches the allowed ip:port and nothing else of that address', async () => {
    const egress = new Egress(EgressPolicy.fromEntries(`127.0.0.1:${imapLike.port}`));
    const socket = await egress.connect('127.0.0.1', imapLike.port, { timeoutMs: TIMEOUT_MS });
    sockets.push(socket);
    expect(socket.remoteAddress).toBe('127.0.0.1');
    expect(socket.remotePort).toBe(imapLike.port);
    const before = other.accepted.length;
    const error = await refusal(egress.connect('127.0.0.1', other.port, { timeoutMs: TIMEOUT_MS }));
    expect(error.reason).toBe(EGRESS_REFUSED);
    expect(other.accepted).toHaveLength(before);
  });

  it('connects to the checked address even when DNS answers differently later (rebinding)', async () => {
    const policy = EgressPolicy.fromEntries(`127.0.0.1:${imapLike.port}`);
    // First answer allowed, every later one a refused address with a listener on the same port.
    const lookup = scripted(['127.0.0.1'], ['127.0.0.2']);
    const egress = new Egress(policy, lookup);
    const socket = await egress.connect('mail.example.test', imapLike.port, {
      timeoutMs: TIMEOUT_MS,
    });
    sockets.push(socket);
    expect(lookup.calls).toEqual(['mail.example.test']);
    expect(socket.remoteAddress).toBe('127.0.0.1');
    expect(rebound.accepted).toHaveLength(0);
    // A second connection resolves again, and is refused before reaching the new address.
    const error = await refusal(
      egress.connect('mail.example.test', imapLike.port, { timeoutMs: TIMEOUT_MS }),
    );
    expect(error.message).toContain('127.0.0.2 (mail.example.test)');
    expect(rebound.accepted).toHaveLength(0);
  });

  it('refuses a socket whose peer is not the checked address', async () => {
    const egress = new Egress(EgressPolicy.fromEntries(`127.0.0.1:${imapLike.port},127.0.0.2`));
    const target = await egress.resolve('127.0.0.1', imapLike.port, TIMEOUT_MS);
    // As if the client library had connected somewhere else than it was told.
    const elsewhere = await egress.connect('127.0.0.2', rebound.port, { timeoutMs: TIMEOUT_MS });
    expect(() => egress.verifyPeer(elsewhere, target)).toThrow(
      /address 127\.0\.0\.2 \(127\.0\.0\.1\) is not allowed/,
    );
    expect(elsewhere.destroyed).toBe(true);
  });

  it('keeps SNI and the certificate check on the host name while connecting to the address', async () => {
    const port = dovecot.ports.imaps;
    const tls = { ca: dovecot.caCertificatePem };
    const policy = EgressPolicy.fromEntries(`127.0.0.1:${port}`);
    // The certificate names localhost and 127.0.0.1: a check against the address would pass for any name.
    const secured = (await new Egress(policy, scripted(['127.0.0.1'])).connect('localhost', port, {
      timeoutMs: TIMEOUT_MS,
      tls,
    })) as TLSSocket;
    sockets.push(secured);
    expect(secured.authorized).toBe(true);
    expect(secured.remoteAddress).toBe('127.0.0.1');
    await expect(
      new Egress(policy, scripted(['127.0.0.1'])).connect('mail.example.test', port, {
        timeoutMs: TIMEOUT_MS,
        tls,
      }),
    ).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});
