import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import { testCertificateAuthority } from '../test-ca.js';
import { googleApiErrors, type GoogleFakeError, oauthErrors } from './errors.js';
import { GoogleFakeCounters, GoogleFaultInjector, type GoogleFaultOptions } from './faults.js';
import { adminDirectoryRoutes } from './admin-directory-routes.js';
import { gmailRoutes } from './gmail-routes.js';
import { type IssuedGoogleToken, issueGoogleToken } from './identity.js';
import { type GoogleRoute, type GoogleFakeState, GoogleFakeFailure, matchPath } from './routes.js';
import { generateServiceAccountKey, type GeneratedServiceAccountKey } from './service-account-key.js';
import { FakeGoogleDomain, type FakeServiceAccount } from './state.js';

/**
 * A faithful HTTPS fake of Google's OAuth token endpoint (jwt-bearer grant with domain-wide
 * delegation) and the Google REST APIs Mailkeep uses, on one origin: point
 * MAILKEEP_GOOGLE_TOKEN_URL at `tokenUrl` and the Gmail and Admin URLs at `origin`.
 */
export interface StartGoogleFakeOptions {
  /** Access-token lifetime (`expires_in`); Google gives 3599 s. */
  readonly tokenLifetimeSeconds?: number;
  readonly faults?: GoogleFaultOptions;
}

export interface AddServiceAccountOptions {
  /** Scopes granted under domain-wide delegation; default none (a key without delegation). */
  readonly delegatedScopes?: readonly string[];
  readonly accountName?: string;
}

export interface RunningGoogleFake {
  /** `https://127.0.0.1:<port>`: the Gmail URL and the Admin URL. */
  readonly origin: string;
  /** `{origin}/token`: the token URL, and the `aud` assertions must carry. */
  readonly tokenUrl: string;
  readonly caPath: string;
  readonly caCertificatePem: string;
  readonly counters: GoogleFakeCounters;
  readonly state: GoogleFakeState;
  /** A Workspace customer with primary domain `name`. */
  addDomain(name: string): FakeGoogleDomain;
  /** A service account of `domain`'s project with a fresh key; its JSON key is `key.json`. */
  addServiceAccount(
    domain: FakeGoogleDomain,
    options?: AddServiceAccountOptions,
  ): { readonly account: FakeServiceAccount; readonly key: GeneratedServiceAccountKey };
  /** Replaces the injected faults (re-seeds their PRNG, starts a new quota minute). */
  setFaults(faults: GoogleFaultOptions): void;
  /** Invalidates every access token issued so far (the APIs answer 401 to them). */
  expireAccessTokens(): void;
  stop(): Promise<void>;
}

/** Every API surface the fake serves, each from its own file. */
const ROUTE_FILES: readonly (() => readonly GoogleRoute[])[] = [gmailRoutes, adminDirectoryRoutes];

/** Token form bodies and JSON request bodies are small; anything larger is refused, not buffered. */
const MAX_BODY_BYTES = 256 * 1024;
const JSON_TYPE = 'application/json; charset=UTF-8';

export async function startGoogleFake(options: StartGoogleFakeOptions = {}): Promise<RunningGoogleFake> {
  const authority = testCertificateAuthority();
  const state: GoogleFakeState = { domains: [], serviceAccounts: [] };
  const counters = new GoogleFakeCounters();
  const faults = new GoogleFaultInjector(counters);
  faults.configure(options.faults ?? {});
  const routes = ROUTE_FILES.flatMap((file) => file());
  const accessTokens = new Map<string, IssuedGoogleToken>();
  let origin = '';

  const countRoute = (name: string): void => {
    counters.byRoute.set(name, counters.route(name) + 1);
  };

  const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
    const payload = Buffer.from(JSON.stringify(body, null, 2));
    response.writeHead(status, {
      'Content-Type': JSON_TYPE,
      'Content-Length': payload.length,
      Vary: 'Origin, X-Origin, Referer',
    });
    response.end(payload);
  };
  const sendError = (response: ServerResponse, error: GoogleFakeError): void =>
    sendJson(response, error.status, error.body);

  async function readBody(request: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES)
        throw new GoogleFakeFailure(googleApiErrors.invalidArgument('Request too large.'));
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  async function handleToken(request: IncomingMessage, response: ServerResponse): Promise<void> {
    counters.tokenRequests += 1;
    countRoute('token');
    if (request.method !== 'POST') {
      sendError(response, oauthErrors.invalidRequest('Invalid request method.'));
      return;
    }
    const outcome = issueGoogleToken({
      form: new URLSearchParams((await readBody(request)).toString('utf8')),
      tokenUrl: `${origin}/token`,
      serviceAccounts: state.serviceAccounts,
      lifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
      now: Date.now(),
    });
    if (!outcome.ok) {
      counters.tokenFailures += 1;
      sendError(response, outcome.error);
      return;
    }
    counters.tokensIssued += 1;
    accessTokens.set(outcome.token, outcome.issued);
    sendJson(response, 200, {
      access_token: outcome.token,
      expires_in: outcome.expiresIn,
      token_type: 'Bearer',
    });
  }

  function authenticate(request: IncomingMessage): IssuedGoogleToken {
    const header = request.headers.authorization;
    const issued = header?.startsWith('Bearer ')
      ? accessTokens.get(header.slice('Bearer '.length))
      : undefined;
    if (!issued || issued.expiresAt <= Date.now())
      throw new GoogleFakeFailure(googleApiErrors.invalidCredentials());
    return issued;
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    counters.apiRequests += 1;
    let matched: { route: GoogleRoute; params: Record<string, string> } | undefined;
    for (const route of routes) {
      if (route.method !== request.method) continue;
      const params = matchPath(route.path, url.pathname);
      if (params) {
        matched = { route, params };
        break;
      }
    }
    if (!matched) throw new GoogleFakeFailure(googleApiErrors.methodNotFound());
    const { route, params } = matched;
    countRoute(route.name);
    const token = authenticate(request);
    if (!route.scopes.some((s) => token.scopes.has(s)))
      throw new GoogleFakeFailure(googleApiErrors.insufficientScopes());
    const user = token.user?.primaryEmail;
    const fault = faults.before(user, route.units);
    if (fault) throw new GoogleFakeFailure(fault);
    const leave = user === undefined ? () => undefined : faults.enter(user);
    response.once('close', leave);
    try {
      // A slow answer holds its place among the user's concurrent requests, as a real one does.
      if (faults.delayMs > 0) await delay(faults.delayMs);
      await route.handle({
        request,
        response,
        url,
        params,
        token,
        state,
        counters,
        faults,
        sendJson: (status, body) => sendJson(response, status, body),
        sendEmpty: () => {
          response.writeHead(204);
          response.end();
        },
        readJson: async () => {
          try {
            return JSON.parse((await readBody(request)).toString('utf8')) as unknown;
          } catch (error) {
            if (error instanceof GoogleFakeFailure) throw error;
            throw new GoogleFakeFailure(googleApiErrors.invalidArgument('Invalid JSON payload received.'));
          }
        },
      });
    } finally {
      leave();
    }
  }

  const server: Server = createServer(
    { key: authority.serverKeyPem, cert: authority.serverCertificatePem },
    (request, response) => {
      const url = new URL(request.url ?? '/', origin);
      const handled =
        url.pathname === '/token' ? handleToken(request, response) : handleApi(request, response, url);
      handled.catch((error: unknown) => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        if (error instanceof GoogleFakeFailure) sendError(response, error.error);
        else sendError(response, googleApiErrors.backendError());
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    tokenUrl: `${origin}/token`,
    caPath: authority.caPath,
    caCertificatePem: authority.caCertificatePem,
    counters,
    state,
    addDomain(name) {
      const domain = new FakeGoogleDomain(name);
      state.domains.push(domain);
      return domain;
    },
    addServiceAccount(domain, accountOptions = {}) {
      const key = generateServiceAccountKey({
        ...(accountOptions.accountName && { accountName: accountOptions.accountName }),
      });
      const account: FakeServiceAccount = {
        clientEmail: key.clientEmail,
        clientId: key.clientId,
        publicKeys: new Map([[key.privateKeyId, key.publicKeyPem]]),
        domain,
        delegatedScopes: new Set(accountOptions.delegatedScopes ?? []),
      };
      state.serviceAccounts.push(account);
      return { account, key };
    },
    setFaults(next) {
      faults.configure(next);
    },
    expireAccessTokens() {
      accessTokens.clear();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
