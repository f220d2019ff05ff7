import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

import { LDAP_DEFAULT_PORTS, type LdapProtocol } from '@mailkeep/contracts';
import type { Egress, EgressTarget } from '@mailkeep/egress';
import { Client, type SearchOptions, type SearchResult } from 'ldapts';

/** Where and how to reach the directory server (the service's settings, defaults applied). */
export interface LdapEndpoint {
  readonly serverName: string;
  readonly port?: number | undefined;
  readonly protocol: LdapProtocol;
  /** Bounds the DNS lookup, the connect and TLS handshake, and every LDAP operation. */
  readonly timeoutMs: number;
  /** False only when the service says `ignoreTlsCertificateErrors`. */
  readonly verifyCertificate: boolean;
}

/** StartTLS (RFC 4511 §4.14). */
const START_TLS_OID = '1.3.6.1.4.1.1466.20037';

/**
 * One connection to a tenant's directory server, opened through the egress policy: the name is
 * resolved and checked once and the socket goes to the checked address (never to the name
 * again); TLS — LDAPS from the first byte, or StartTLS on the plain port — checks the
 * certificate against the server's name. ldapts gets the open socket, so it never connects on
 * its own. The steps are separate so a connection test can report each.
 */
export class LdapConnection {
  private client: Client | undefined;
  private target: EgressTarget | undefined;
  private socket: Socket | undefined;

  constructor(
    private readonly egress: Egress,
    readonly endpoint: LdapEndpoint,
  ) {}

  get port(): number {
    return this.endpoint.port ?? LDAP_DEFAULT_PORTS[this.endpoint.protocol];
  }

  /** Resolves, checks and connects (LDAPS: the TLS handshake included); answers where it went. */
  async connect(): Promise<string> {
    const { serverName, protocol, timeoutMs } = this.endpoint;
    this.target = await this.egress.resolve(serverName, this.port, timeoutMs);
    const secure = protocol === 'ldap-ssl';
    const socket = await this.egress.open(this.target, {
      timeoutMs,
      ...(secure && { tls: { rejectUnauthorized: this.endpoint.verifyCertificate } }),
    });
    // Until ldapts takes the socket over (its first operation replaces the error listeners), an
    // error must not crash the process; the operation that follows reports the closed socket.
    socket.on('error', () => undefined);
    this.socket = socket;
    this.client = new Client({
      url: `${secure ? 'ldaps' : 'ldap'}://${this.target.address.includes(':') ? `[${this.target.address}]` : this.target.address}:${this.port}`,
      timeout: timeoutMs,
      connectTimeout: timeoutMs,
      // A bind name may be a user principal name (AD) rather than a DN: sent as given.
      strictDN: false,
      ...(secure
        ? { createSecureConnection: handOver(socket as TLSSocket) }
        : { createConnection: handOver(socket) }),
    });
    return `${this.target.address}:${this.port}${secure ? ' (LDAPS)' : ''}`;
  }

  /** StartTLS on the plain connection; the certificate is checked against the server's name. */
  async startTls(): Promise<string> {
    const { client, target } = this.connected();
    await client.startTLS({
      ...this.egress.tlsTarget(target),
      rejectUnauthorized: this.endpoint.verifyCertificate,
    });
    return `extended operation ${START_TLS_OID}`;
  }

  /** Simple bind (RFC 4513 §5.1.3) with the credential's user name as given: a DN or, for AD, a UPN. */
  async bind(name: string, password: string): Promise<void> {
    await this.connected().client.bind(name, password);
  }

  search(base: string, options: SearchOptions): Promise<SearchResult> {
    return this.connected().client.search(base, options);
  }

  /** The pages of a paged search (RFC 2696), one at a time. */
  searchPages(base: string, options: SearchOptions): AsyncGenerator<SearchResult> {
    return this.connected().client.searchPaginated(base, options);
  }

  /** Unbinds and closes; never throws (the work is done or failed already). */
  async close(): Promise<void> {
    await this.client?.unbind().catch(() => undefined);
    this.socket?.destroy();
    this.client = undefined;
    this.socket = undefined;
  }

  private connected(): { client: Client; target: EgressTarget } {
    if (!this.client || !this.target) throw new Error('not connected');
    return { client: this.client, target: this.target };
  }
}

/**
 * ldapts' connection factory, handing over the socket the egress policy opened. ldapts accepts an
 * established socket; a second call (a reconnect) is refused, so nothing ever connects past the
 * policy.
 */
function handOver<T extends Socket>(socket: T): () => T {
  let taken = false;
  return () => {
    if (taken) throw new Error('the connection to the directory server was closed');
    taken = true;
    return socket;
  };
}
