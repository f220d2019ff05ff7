import { Throttle, ThrottledError, withTimeout } from '@mailkeep/connector-kit';
import type { ConnectedSocket, Egress, EgressTarget } from '@mailkeep/egress';
import type { Logger } from '@mailkeep/observability';
import { ImapFlow, type ImapFlowOptions, type Logger as ImapFlowLogger } from 'imapflow';

import type { ImapLogin, ImapServerSettings } from './imap-settings.js';
import { toContractError } from './parse-imap-error.js';

/**
 * Tries of one command the server throttles, its back-off waited out in between. After three the
 * task fails THROTTLED and the work queue's own back-off takes over, so a long throttling episode
 * does not hold a worker slot. (imapflow already retries a throttled FETCH itself.)
 */
export const THROTTLED_ATTEMPTS = 3;

/**
 * The imapflow options for a profile: the egress-checked address (imapflow never resolves the
 * profile's name itself) with SNI and the certificate check on the host name, TLS as the protocol
 * says (STARTTLS required, never a plaintext fallback), the profile's timeout on every phase, no
 * auto-IDLE (an archiver issues commands back to back and never waits for pushes), SASL PLAIN with
 * an authorization identity in multiple mode.
 */
export function imapClientOptions(
  server: ImapServerSettings,
  target: EgressTarget,
  login: ImapLogin,
  logger: Logger,
): ImapFlowOptions {
  const secure = server.protocol === 'imap-ssl';
  return {
    host: target.address,
    port: target.port,
    // imapflow passes it to every tls.connect (implicit TLS and STARTTLS), where it also names the
    // certificate's expected host; without it an IP literal is checked against the address.
    ...(target.servername !== undefined && { servername: target.servername }),
    secure,
    // `true` makes a missing STARTTLS a connection failure; unset would continue in plaintext.
    ...(secure ? {} : { doSTARTTLS: true }),
    tls: { rejectUnauthorized: !server.ignoreTlsCertificateErrors },
    auth: login.authorizeAs
      ? {
          user: login.user,
          pass: login.password,
          authzid: login.authorizeAs,
          // Only SASL PLAIN carries an authorization identity; LOGIN would log in as the master.
          loginMethod: 'AUTH=PLAIN',
        }
      : { user: login.user, pass: login.password },
    connectionTimeout: server.timeoutMs,
    greetingTimeout: server.timeoutMs,
    // Inactivity of the socket while a command waits for its answer: the per-command timeout.
    socketTimeout: server.timeoutMs,
    disableAutoIdle: true,
    clientInfo: { name: 'Mailkeep', vendor: 'Mailkeep' },
    logger: imapflowLogger(logger),
  };
}

/**
 * One logged-in IMAP connection. imapflow reports a socket timeout or a dropped connection as an
 * `error` event (a process without a listener would crash) and then rejects every later command
 * with a generic "no connection"; the session keeps that first error so the caller can report
 * what really happened.
 */
export class ImapSession {
  private failure: Error | undefined;
  /** The server's back-off for this connection: after a throttled reply every command waits it out. */
  private readonly throttle = new Throttle();

  private constructor(
    readonly client: ImapFlow,
    private readonly timeoutMs: number,
    /** The task's signal: a back-off wait ends when the task is cancelled or the worker stops. */
    private readonly signal: AbortSignal | undefined,
  ) {
    client.on('error', (error: Error) => (this.failure ??= error));
  }

  /**
   * Resolves the server through the egress policy, connects to the checked address, secures and
   * logs in; rejects with the policy's refusal, or imapflow's (or Node's) error.
   */
  static async open(
    server: ImapServerSettings,
    login: ImapLogin,
    tools: { readonly logger: Logger; readonly egress: Egress },
    signal?: AbortSignal,
  ): Promise<ImapSession> {
    const target = await tools.egress.resolve(server.host, server.port, server.timeoutMs);
    const options = imapClientOptions(server, target, login, tools.logger);
    const session = new ImapSession(new ImapFlow(options), server.timeoutMs, signal);
    try {
      await session.client.connect();
      // imapflow got an IP literal, so it resolved nothing; checking its socket's peer guards against
      // a future option (a proxy, a transport) connecting elsewhere. `socket` is set by imapflow at
      // runtime but not in its typings; if a release drops it, this fails closed (and the tests say so).
      tools.egress.verifyPeer(
        (session.client as unknown as { socket?: ConnectedSocket }).socket ?? {},
        target,
      );
    } catch (error) {
      session.client.close();
      throw error;
    }
    return session;
  }

  /** The error the connection itself emitted (timeout, reset), if it did. */
  get connectionError(): Error | undefined {
    return this.failure;
  }

  /** Mailbox names are UTF-8 on the wire (UTF8=ACCEPT or IMAP4rev2 enabled), not modified UTF-7. */
  get utf8Names(): boolean {
    return this.client.enabled.has('UTF8=ACCEPT') || this.client.enabled.has('IMAP4rev2');
  }

  /** False once the connection is gone: no further command can succeed on it. */
  get usable(): boolean {
    return this.client.usable;
  }

  /**
   * Runs one command (or one fetch) through the throttle, mapping a failure to a ContractError
   * named after `what` (C5). A throttled command is retried after the server's back-off.
   */
  async call<T>(what: string, command: (client: ImapFlow) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.throttle.run(async () => {
          try {
            return await command(this.client);
          } catch (error) {
            // Once the connection has failed, every later rejection is a consequence of that failure.
            throw toContractError(this.failure ?? error, what);
          }
        }, this.signal);
      } catch (error) {
        if (error instanceof ThrottledError && attempt < THROTTLED_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** LOGOUT politely, bounded by the profile's timeout; a dead connection is just closed. */
  async close(): Promise<void> {
    if (!this.client.usable) {
      this.client.close();
      return;
    }
    try {
      await withTimeout('IMAP LOGOUT', () => this.client.logout(), this.timeoutMs);
    } catch {
      this.client.close();
    }
  }
}

/**
 * imapflow logs every command at debug and routine events at info; they go to trace and debug so
 * that a task's log shows our own lines unless someone digs. Its warnings stay warnings.
 */
function imapflowLogger(logger: Logger): ImapFlowLogger {
  const child = logger.child({ component: 'imapflow' });
  const forward =
    (level: 'trace' | 'debug' | 'warn') =>
    (entry: unknown): void => {
      if (!child.isLevelEnabled(level)) return;
      const { msg, ...fields } = (entry ?? {}) as { msg?: unknown } & Record<string, unknown>;
      child[level](typeof msg === 'string' ? msg : 'imapflow', fields);
    };
  return {
    trace: forward('trace'),
    debug: forward('trace'),
    info: forward('debug'),
    warn: forward('warn'),
    // imapflow logs the failures it also throws; the caller decides how bad they are.
    error: forward('debug'),
    fatal: forward('warn'),
  };
}
