import type { Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

import { ContractError } from '@mailkeep/contracts';
import type { Egress, EgressTarget } from '@mailkeep/egress';

import { Pop3Client } from './pop3-client.js';
import { Pop3Connection, type TranscriptSink } from './pop3-connection.js';
import type { Pop3ServerSettings } from './pop3-settings.js';

/** Runs one named step of connecting; a connection test records each, archiving just runs them. */
export type StepRunner = <T>(
  name: string,
  run: () => Promise<T>,
  detail?: (value: T) => string,
) => Promise<T>;

export interface ConnectPop3Options {
  /** The deployment's egress policy: the only way to the profile's server. */
  readonly egress: Egress;
  /** Extra trusted CA certificates (PEM), e.g. a test server's self-signed one. */
  readonly ca?: string;
  readonly transcript?: TranscriptSink;
  readonly step?: StepRunner;
}

/** A connected, greeted and secured session, not yet logged in. */
export interface Pop3Session {
  readonly client: Pop3Client;
  readonly greeting: string;
  /** CAPA as offered after TLS; undefined when the server does not support CAPA. */
  readonly capabilities: readonly string[] | undefined;
}

/** Step names of a connection attempt, in order (SPEC P11). */
export const CONNECT_STEPS = ['connect', 'tls handshake', 'capabilities'] as const;

const runDirectly: StepRunner = (_name, run) => run();

/**
 * Connects to the POP3 server of a profile: its name resolved and checked against the egress
 * policy (a refused address fails the `connect` step before anything is sent), TCP to the checked
 * address, then TLS at once (`pop-ssl`) or after the plaintext greeting and STLS (`pop-tls`), then
 * CAPA over the protected connection (capabilities may change after STLS, RFC 2595 §4). Never
 * sends credentials over plaintext. Each wait is bounded by the profile's timeout; on failure the
 * socket is closed.
 */
export async function connectPop3(
  settings: Pop3ServerSettings,
  options: ConnectPop3Options,
): Promise<Pop3Session> {
  const step = options.step ?? runDirectly;
  const transcript = options.transcript ?? (() => undefined);
  // Filled step by step; a holder object, because the steps below run as callbacks.
  const open: {
    socket?: Socket | TLSSocket;
    connection?: Pop3Connection;
    greeting?: string;
    target?: EgressTarget;
  } = {};
  const speak = (socket: Socket | TLSSocket) => {
    open.socket = socket;
    open.connection = new Pop3Connection(socket, settings.timeoutMs, transcript);
    return open.connection;
  };
  try {
    await step(
      'connect',
      async () => {
        const target = await options.egress.resolve(settings.host, settings.port, settings.timeoutMs);
        open.target = target;
        // TCP to the checked address within the timeout, the peer verified (a timeout is ETIMEDOUT).
        const socket = await options.egress.open(target, { timeoutMs: settings.timeoutMs });
        open.socket = socket;
        transcript(`connected to ${settings.host}:${settings.port}`);
        // STLS: the greeting comes in plaintext, before the handshake.
        if (settings.security === 'stls') open.greeting = await speak(socket).greeting();
      },
      () =>
        `${settings.host}:${settings.port}` +
        (open.target && open.target.address !== settings.host ? ` (${open.target.address})` : '') +
        (open.greeting ? ` — ${open.greeting}` : ''),
    );
    const secure = await step(
      'tls handshake',
      async () => {
        let plain = open.socket as Socket;
        if (open.connection) {
          await open.connection.command('STLS');
          plain = open.connection.detach(); // still the plain TCP socket
        }
        const tls = await startTls(
          plain,
          settings,
          options.egress.tlsTarget(open.target as EgressTarget),
          options.ca,
        );
        const connection = speak(tls);
        if (settings.security === 'implicit') open.greeting = await connection.greeting();
        return tls;
      },
      (tls) =>
        `${tls.getProtocol() ?? 'TLS'} ${tls.getCipher().name}` +
        (tls.authorized ? '' : ' (certificate not verified: ignoreTlsCertificateErrors)'),
    );
    transcript(`TLS established: ${secure.getProtocol() ?? 'TLS'}`);
    const client = new Pop3Client(open.connection as Pop3Connection);
    const capabilities = await step(
      'capabilities',
      () => client.capabilities(),
      (list) => (list ? list.join(', ') : 'CAPA not supported'),
    );
    return { client, greeting: open.greeting ?? '', capabilities };
  } catch (error) {
    if (open.connection) open.connection.destroy();
    else open.socket?.destroy();
    throw error;
  }
}

/** TLS over a connected socket: certificate and host name checked unless the profile says otherwise. */
function startTls(
  socket: Socket,
  settings: Pop3ServerSettings,
  tlsTarget: ReturnType<Egress['tlsTarget']>,
  ca: string | undefined,
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      // The checked address; SNI and the certificate check on the host name (RFC 6066 §3: no SNI
      // for an IP literal, whose certificate is checked against the address).
      ...tlsTarget,
      rejectUnauthorized: settings.verifyCertificate,
      ...(ca !== undefined && { ca }),
    });
    const timer = setTimeout(() => {
      tls.destroy();
      reject(timeout('the TLS handshake', settings.timeoutMs));
    }, settings.timeoutMs);
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      tls.off('error', reject);
      resolve(tls);
    });
    tls.once('error', (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

function timeout(what: string, ms: number): ContractError {
  return new ContractError('TIMEOUT', `No answer from the POP3 server within ${ms} ms while ${what}`, {
    reason: 'timeout',
  });
}
