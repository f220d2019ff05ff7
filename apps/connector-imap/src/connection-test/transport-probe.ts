import type { Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';

import { ConnectionTestFailure } from '@mailkeep/connector-kit';
import type { Egress, EgressTarget } from '@mailkeep/egress';

import type { ImapServerSettings } from '../protocol/imap-settings.js';

/**
 * The transport steps of a connection test, done by hand so that each is reported on its own
 * (imapflow's connect() does all of them and the login in one call): resolve the name and check
 * it against the egress policy, open TCP to the checked address,
 * and set up TLS — from the first byte for `imap-ssl`, after the greeting and STARTTLS for
 * `imap-tls`. Each step has the profile's timeout. Nothing is sent but STARTTLS: the source is
 * not changed (P11).
 */

/** An error Node would raise for a step that ran out of time; the kit classifies ETIMEDOUT as `timeout`. */
function timedOut(what: string, ms: number): Error {
  return Object.assign(new Error(`no answer within ${ms} ms (${what})`), { code: 'ETIMEDOUT' });
}

/** The profile's server through the egress policy: a refused address fails this step (`configuration`). */
export function resolveHost(server: ImapServerSettings, egress: Egress): Promise<EgressTarget> {
  return egress.resolve(server.host, server.port, server.timeoutMs);
}

/** TCP to the checked address; the peer is verified once connected. */
export function openTcp(target: EgressTarget, server: ImapServerSettings, egress: Egress): Promise<Socket> {
  return egress.open(target, { timeoutMs: server.timeoutMs });
}

export interface TlsDetails {
  readonly protocol: string;
  readonly cipher: string;
  /** Subject CN and issuer CN of the server's certificate, for the transcript. */
  readonly certificate: string;
  readonly authorized: boolean;
  readonly greeting?: string;
}

/** Sets up TLS on a connected socket as the profile's protocol says; the caller closes the returned socket. */
export async function secure(
  socket: Socket,
  server: ImapServerSettings,
  tlsTarget: ReturnType<Egress['tlsTarget']>,
): Promise<TLSSocket> {
  let greeting: string | undefined;
  if (server.protocol === 'imap-tls') {
    const reader = new LineReader(socket, server.timeoutMs);
    greeting = await reader.line('greeting');
    if (/^\* PREAUTH/i.test(greeting)) {
      throw new ConnectionTestFailure(
        'tls',
        'The server logs in without TLS (PREAUTH); STARTTLS is impossible.',
        greeting,
      );
    }
    if (!/^\* OK/i.test(greeting)) {
      throw new ConnectionTestFailure('protocol', 'The server did not greet as an IMAP server.', greeting);
    }
    socket.write('M1 STARTTLS\r\n');
    let answer: string;
    do answer = await reader.line('STARTTLS answer');
    while (answer.startsWith('* '));
    reader.detach();
    if (!/^M1 OK/i.test(answer)) {
      throw new ConnectionTestFailure(
        'tls',
        'The server refused STARTTLS; choose imap-ssl or enable STARTTLS on the server.',
        answer,
      );
    }
  }
  const tls = await handshake(socket, server, tlsTarget);
  return Object.assign(tls, { greeting });
}

/** Details of a secured socket, for the step's detail line. */
export function describeTls(socket: TLSSocket & { greeting?: string | undefined }): TlsDetails {
  const certificate = socket.getPeerCertificate();
  const name = (value: string | string[] | undefined) =>
    Array.isArray(value) ? value.join(',') : (value ?? '?');
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    certificate: `${name(certificate.subject?.CN)} issued by ${name(certificate.issuer?.CN)}`,
    authorized: socket.authorized,
    ...(socket.greeting !== undefined && { greeting: socket.greeting }),
  };
}

function handshake(
  socket: Socket,
  server: ImapServerSettings,
  tlsTarget: ReturnType<Egress['tlsTarget']>,
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      // SNI and the certificate check on the host name (none for an IP literal), not the address.
      ...tlsTarget,
      rejectUnauthorized: !server.ignoreTlsCertificateErrors,
    });
    const timer = setTimeout(() => {
      tls.destroy();
      reject(timedOut('TLS handshake', server.timeoutMs));
    }, server.timeoutMs);
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      tls.removeAllListeners('error');
      tls.on('error', () => undefined); // the caller only closes it now
      resolve(tls);
    });
    tls.once('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Longest line read before STARTTLS. A greeting is a short line; a peer sending more without a
 * line end is not an IMAP server, and the test should say so rather than buffer it.
 */
const MAX_LINE_BYTES = 8 * 1024;

/** Reads CRLF-terminated lines from a plaintext socket, each within the timeout. */
class LineReader {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer) => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.waiting?.();
  };
  private readonly onEnd = () => {
    this.failure = Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' });
    this.waiting?.();
  };

  constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', this.onData).on('end', this.onEnd).on('error', this.onEnd);
  }

  async line(what: string): Promise<string> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffer.subarray(0, end).toString('utf8');
        this.buffer = this.buffer.subarray(end + 2);
        return line;
      }
      if (this.failure) throw this.failure;
      if (this.buffer.length > MAX_LINE_BYTES) {
        throw new ConnectionTestFailure(
          'protocol',
          'The server sent an over-long line.',
          this.buffer.toString('utf8', 0, 200),
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) throw timedOut(what, this.timeoutMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = undefined;
    }
  }

  /** Stops reading (the TLS socket takes over); data after STARTTLS's OK would be an injection. */
  detach(): void {
    this.socket.off('data', this.onData).off('end', this.onEnd).off('error', this.onEnd);
    if (this.buffer.length > 0) {
      throw new ConnectionTestFailure('tls', 'The server sent data before the TLS handshake.', '');
    }
  }
}
