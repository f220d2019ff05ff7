import { type Agent, request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { AsyncLocalStorage } from 'node:async_hooks';
import { gunzipSync, inflateSync } from 'node:zlib';

import type { Egress } from '@mailkeep/egress';

import { ntlmAuthenticate, ntlmNegotiate } from './ntlm-client.js';

/**
 * The HTTP layer under ews-javascript-api (its `IXHRApi`), replacing `@ewsjs/xhr` (axios): every
 * connection is opened by `Egress` (the deployment's egress policy, DNS checked once, TLS verified
 * unless the profile says otherwise), and the authentication scheme is chosen from what the server
 * offers — NTLM (IIS's default on the EWS virtual directory) or Basic.
 *
 * NTLM authenticates a *connection*, not a request: the negotiate, challenge and authenticate
 * messages must travel over one socket, and later requests on that socket carry no credentials.
 * So each connection is its own keep-alive agent with one socket, and the transport holds a small
 * pool of them (the mailbox's concurrency).
 */
export interface EwsTransportOptions {
  readonly egress: Egress;
  readonly url: URL;
  readonly login: string;
  readonly password: string;
  readonly timeoutMs: number;
  readonly rejectUnauthorized: boolean;
  /** Connections (and so requests in flight) to the server for this mailbox. */
  readonly connections: number;
}

/** The `XMLHttpRequest`-like object ews-javascript-api reads (`@ewsjs/xhr`'s shape). */
export interface XhrResponse {
  readonly status: number;
  readonly responseText: string;
  readonly headers: Record<string, string | string[] | undefined>;
  getResponseHeader(name: string): string | null;
  getAllResponseHeaders(): string;
}

interface XhrRequest {
  readonly type?: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly data?: string;
}

/** What one EWS call learnt below the library: the library turns transport errors into plain text. */
export interface CallTrace {
  transportError?: Error;
  /** The HTTP status of a non-200 answer (the library may replace it by an exception without it). */
  httpStatus?: number;
  scheme?: AuthScheme;
}

export type AuthScheme = 'ntlm' | 'basic';

/** The call being made, so the transport can report into it (the library keeps no cause). */
export const currentCall = new AsyncLocalStorage<CallTrace>();

interface Connection {
  readonly agent: Agent;
  /** NTLM: the socket under `agent` passed the handshake. */
  authenticatedSocket?: Duplex | undefined;
}

export class EwsTransport {
  readonly apiName = 'mailkeep-egress';
  private scheme: AuthScheme | undefined;
  /** The header scheme NTLM tokens travel under: `NTLM`, or `Negotiate` when IIS offers only that. */
  private ntlmHeader = 'NTLM';
  private readonly free: Connection[] = [];
  private readonly waiting: ((connection: Connection) => void)[] = [];
  private readonly all: Connection[] = [];

  constructor(private readonly options: EwsTransportOptions) {
    for (let i = 0; i < Math.max(1, options.connections); i++) {
      const connection: Connection = { agent: this.createAgent() };
      this.all.push(connection);
      this.free.push(connection);
    }
  }

  /** The scheme chosen from the server's offer, once the first request is through. */
  get authScheme(): AuthScheme | undefined {
    return this.scheme;
  }

  async xhr(request: XhrRequest): Promise<XhrResponse> {
    const connection = await this.acquire();
    try {
      const response = await this.authenticated(connection, request);
      if (response.status !== 200) {
        const trace = currentCall.getStore();
        if (trace) trace.httpStatus = response.status;
        // ews-javascript-api expects a non-200 answer as a rejection with the XHR-like object
        // itself (it reads the SOAP fault from its responseText), as @ewsjs/xhr does.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw response;
      }
      return response;
    } catch (error) {
      const trace = currentCall.getStore();
      if (trace && error instanceof Error) trace.transportError = error;
      throw error;
    } finally {
      this.release(connection);
    }
  }

  xhrStream(): Promise<XhrResponse> {
    return Promise.reject(new Error('streaming requests (notifications) are not used by the archiver'));
  }

  disconnect(): void {
    for (const connection of this.all) connection.agent.destroy();
  }

  /** Sends the request with the server's scheme, learning it from the first 401 when unknown. */
  private async authenticated(connection: Connection, request: XhrRequest): Promise<XhrResponse> {
    const trace = currentCall.getStore();
    if (this.scheme === undefined) {
      const probe = await this.send(connection, request, undefined);
      if (probe.status !== 401) return probe;
      const offers = offered(probe);
      this.scheme = chooseScheme(offers);
      if (this.scheme === undefined) return probe;
      if (!offers.some((value) => /^NTLM\b/i.test(value))) this.ntlmHeader = 'Negotiate';
    }
    if (trace) trace.scheme = this.scheme;
    if (this.scheme === 'basic') {
      const token = Buffer.from(`${this.options.login}:${this.options.password}`, 'utf8').toString('base64');
      return this.send(connection, request, `Basic ${token}`);
    }
    if (connection.authenticatedSocket && !connection.authenticatedSocket.destroyed) {
      const response = await this.send(connection, request, undefined);
      // The server closed the authenticated socket and the agent opened a new one: handshake again.
      if (response.status !== 401) return response;
    }
    return this.ntlmHandshake(connection, request);
  }

  private async ntlmHandshake(connection: Connection, request: XhrRequest): Promise<XhrResponse> {
    connection.authenticatedSocket = undefined;
    // The negotiate message goes with an empty body: the challenge answer is all that is wanted.
    const challenge = await this.send(
      connection,
      { ...request, data: '' },
      `${this.ntlmHeader} ${ntlmNegotiate().slice('NTLM '.length)}`,
    );
    const token = offered(challenge)
      .map((value) => /^(?:NTLM|Negotiate) (\S+)$/i.exec(value)?.[1])
      .find((value) => value !== undefined);
    if (challenge.status !== 401 || token === undefined) return challenge;
    const answer = `${this.ntlmHeader} ${ntlmAuthenticate(`NTLM ${token}`, this.options.login, this.options.password).slice('NTLM '.length)}`;
    const response = await this.send(connection, request, answer, (socket) => {
      connection.authenticatedSocket = socket;
    });
    if (response.status === 401) connection.authenticatedSocket = undefined;
    return response;
  }

  private send(
    connection: Connection,
    request: XhrRequest,
    authorization: string | undefined,
    onSocket?: (socket: Duplex) => void,
  ): Promise<XhrResponse> {
    const body = Buffer.from(request.data ?? '', 'utf8');
    const headers: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (name.toLowerCase() !== 'authorization') headers[name] = value;
    }
    headers['Content-Length'] = body.length;
    headers['Host'] = this.options.url.host;
    if (authorization !== undefined) headers['Authorization'] = authorization;
    return new Promise<XhrResponse>((resolve, reject) => {
      const outgoing = httpsRequest(
        this.options.url,
        {
          method: request.type ?? 'POST',
          headers,
          agent: connection.agent,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        },
        (incoming) => {
          // Taken now: once the body is read, the socket goes back to the agent and is detached.
          const socket = incoming.socket;
          readBody(incoming).then((text) => {
            if (incoming.statusCode === 200) onSocket?.(socket);
            resolve(xhrResponse(incoming, text));
          }, reject);
        },
      );
      outgoing.on('error', (error: Error & { code?: string }) => {
        // AbortSignal.timeout surfaces as an AbortError; name it the way Node names a timeout.
        if (error.name === 'AbortError' || error.name === 'TimeoutError') {
          reject(
            Object.assign(new Error(`EWS did not answer within ${this.options.timeoutMs} ms`), {
              code: 'ETIMEDOUT',
            }),
          );
        } else reject(error);
      });
      outgoing.end(body);
    });
  }

  private createAgent(): Agent {
    const { egress, url, timeoutMs, rejectUnauthorized } = this.options;
    const port = url.port === '' ? 443 : Number(url.port);
    const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
    // Every socket comes from the egress policy: resolved, checked and connected (TLS verified
    // against the host name) by Egress, never by the agent itself.
    (agent as unknown as { createConnection: unknown }).createConnection = (
      _options: unknown,
      done: (error: Error | null, socket?: Duplex) => void,
    ): undefined => {
      egress
        .connect(url.hostname.replace(/^\[|\]$/g, ''), port, {
          timeoutMs,
          tls: { rejectUnauthorized, ALPNProtocols: ['http/1.1'] },
        })
        .then(
          (socket) => done(null, socket),
          (error: Error) => done(error),
        );
      return undefined;
    };
    return agent;
  }

  private acquire(): Promise<Connection> {
    const connection = this.free.pop();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next) next(connection);
    else this.free.push(connection);
  }
}

/** The schemes of the `WWW-Authenticate` headers of a 401. */
function offered(response: XhrResponse): string[] {
  const value = response.headers['www-authenticate'];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** NTLM when offered (directly or through Negotiate, which Node cannot do as Kerberos), else Basic. */
export function chooseScheme(offers: readonly string[]): AuthScheme | undefined {
  const names = offers.map((value) => value.split(' ')[0]?.toLowerCase());
  if (names.includes('ntlm') || names.includes('negotiate')) return 'ntlm';
  if (names.includes('basic')) return 'basic';
  return undefined;
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming as AsyncIterable<Buffer>) chunks.push(chunk);
  const raw = Buffer.concat(chunks);
  const encoding = incoming.headers['content-encoding']?.toLowerCase();
  const decoded = encoding === 'gzip' ? gunzipSync(raw) : encoding === 'deflate' ? inflateSync(raw) : raw;
  return decoded.toString('utf8');
}

function xhrResponse(incoming: IncomingMessage, text: string): XhrResponse {
  const headers: Record<string, string | string[] | undefined> = {
    ...incoming.headers,
    'www-authenticate': incoming.headersDistinct['www-authenticate'],
  };
  return {
    status: incoming.statusCode ?? 0,
    responseText: text,
    headers,
    getResponseHeader: (name) => {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    getAllResponseHeaders: () =>
      Object.entries(headers)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
        .join('\r\n'),
  };
}
