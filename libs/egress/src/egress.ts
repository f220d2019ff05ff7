import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from 'node:tls';

import { egressRefused } from './egress-refused.js';
import { EgressPolicy } from './egress-policy.js';
import { canonicalIpv4, parseIp } from './ip-address.js';

/** Every address of a host name, in the resolver's order (`dns.lookup` with `all: true`). */
export type LookupAll = (hostname: string) => Promise<readonly LookupAddress[]>;

const systemLookup: LookupAll = (hostname) => lookup(hostname, { all: true });

/** A tenant-supplied host resolved and checked: connect to `address`, never to `host` again. */
export interface EgressTarget {
  /** The host as the profile names it (brackets of an IPv6 literal removed). */
  readonly host: string;
  readonly port: number;
  /** The checked address to connect to (the first the resolver gave). */
  readonly address: string;
  /** Every address the name resolved to; all of them passed the policy. */
  readonly addresses: readonly string[];
  /** SNI and the name the certificate is checked against; absent for an IP literal (RFC 6066 §3). */
  readonly servername?: string;
}

/** What `verifyPeer` needs of a socket (a client library may type its socket loosely). */
export interface ConnectedSocket {
  readonly remoteAddress?: string | undefined;
  destroy?(): void;
}

/** TLS settings a caller may choose; where to connect and the names checked come from the target. */
export type EgressTlsOptions = Omit<ConnectionOptions, 'host' | 'port' | 'socket' | 'servername' | 'path'>;

export interface EgressConnectOptions {
  /** Bound of each phase (DNS lookup, TCP connect, TLS handshake). */
  readonly timeoutMs: number;
  /** TLS from the first byte (implicit TLS); absent for a plain TCP connection. */
  readonly tls?: EgressTlsOptions;
}

/** The error Node raises for a phase that ran out of time; classified as `timeout` everywhere. */
function timedOut(what: string, ms: number): Error {
  return Object.assign(new Error(`no answer within ${ms} ms (${what})`), { code: 'ETIMEDOUT' });
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOut(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The one way to reach a host a tenant typed in (a profile's or a directory service's server).
 * It resolves the name once, checks every address against the egress policy, and connects to a
 * checked address — so a DNS answer that changes between the check and the connect (DNS
 * rebinding) cannot reach a refused address — and checks the socket's peer once connected.
 * A refused destination fails before any packet is sent to it, with the same error whatever
 * listens there.
 */
export class Egress {
  constructor(
    readonly policy: EgressPolicy = EgressPolicy.DEFAULT,
    private readonly lookupAll: LookupAll = systemLookup,
  ) {}

  /**
   * Resolves and checks a host; rejects with the resolver's error (ENOTFOUND, …), a timeout, or
   * the egress policy's refusal (a ContractError, reason `egress_refused`) when any address of the
   * name is refused: a name that mixes an allowed and a refused address is not a mail server.
   */
  async resolve(host: string, port: number, timeoutMs: number): Promise<EgressTarget> {
    const name = /^\[.*\]$/.test(host) ? host.slice(1, -1) : host;
    const literal = isIP(name) !== 0 ? name : canonicalIpv4(name);
    const addresses =
      literal !== undefined
        ? [literal]
        : (await within(this.lookupAll(name), timeoutMs, 'DNS lookup')).map((found) => found.address);
    const [address] = addresses;
    if (address === undefined) {
      throw Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' });
    }
    for (const candidate of addresses) {
      if (!this.policy.allows(candidate, port)) throw egressRefused(name, candidate);
    }
    return { host: name, port, address, addresses, ...(literal === undefined && { servername: name }) };
  }

  /** Resolves, checks and connects (TCP, or TLS with `options.tls`); the caller owns the socket. */
  async connect(host: string, port: number, options: EgressConnectOptions): Promise<Socket | TLSSocket> {
    return this.open(await this.resolve(host, port, options.timeoutMs), options);
  }

  /** Connects to a target from `resolve`; for TLS, SNI and the certificate check use its host name. */
  open(target: EgressTarget, options: EgressConnectOptions): Promise<Socket | TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = options.tls
        ? tlsConnect({ ...options.tls, ...this.tlsTarget(target) })
        : tcpConnect({ host: target.address, port: target.port });
      const ready = options.tls ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(timedOut(options.tls ? 'TCP connect and TLS handshake' : 'TCP connect', options.timeoutMs));
      }, options.timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('error', fail);
        try {
          this.verifyPeer(socket, target);
          resolve(socket);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      socket.once('error', fail);
    });
  }

  /**
   * Where `tls.connect` goes for a target, for clients that secure a socket themselves
   * (STARTTLS): the checked address, and the host name for SNI and the certificate check.
   */
  tlsTarget(target: EgressTarget): { host: string; port: number; servername?: string } {
    return {
      host: target.address,
      port: target.port,
      ...(target.servername !== undefined && { servername: target.servername }),
    };
  }

  /**
   * Checks that a connected socket reaches the target's checked address (and that the policy
   * still allows it); destroys the socket and throws the refusal otherwise. For clients that open
   * their sockets themselves (imapflow), call it once they are connected.
   */
  verifyPeer(socket: ConnectedSocket, target: EgressTarget): void {
    const peer = socket.remoteAddress;
    const reached = peer === undefined ? undefined : parseIp(peer);
    const expected = parseIp(target.address);
    if (
      peer === undefined ||
      reached === undefined ||
      expected === undefined ||
      reached.family !== expected.family ||
      reached.value !== expected.value ||
      !this.policy.allows(peer, target.port)
    ) {
      socket.destroy?.();
      throw egressRefused(target.host, peer ?? 'unknown');
    }
  }
}
