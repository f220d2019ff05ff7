import type { IncomingMessage, ServerResponse } from 'node:http';

import type { GoogleFakeError } from './errors.js';
import type { GoogleFakeCounters, GoogleFaultInjector } from './faults.js';
import type { IssuedGoogleToken } from './identity.js';
import type { FakeGoogleDomain, FakeServiceAccount } from './state.js';

/**
 * The route registry of the Google fake: each API surface (Gmail, Admin SDK Directory) is a file
 * exporting `GoogleRoute[]`, listed once in server.ts. The server authenticates the bearer token,
 * checks the route's scopes, applies quota and faults, then calls `handle`.
 */
export interface GoogleRoute {
  /** Counter name, Google's method name: `messages.list`, `users.list`. */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with `:param` segments, e.g. `/gmail/v1/users/:userId/messages/:id`; matched in registry order. */
  readonly path: string;
  /** The call is allowed when the token holds any one of these scopes. */
  readonly scopes: readonly string[];
  /** Quota units the call costs (per user per minute); 0 = not metered. */
  readonly units: number;
  handle(context: GoogleRouteContext): Promise<void> | void;
}

/** What the fake's state holds; route files read and change it. */
export interface GoogleFakeState {
  readonly domains: FakeGoogleDomain[];
  readonly serviceAccounts: FakeServiceAccount[];
}

export interface GoogleRouteContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** Path parameters, percent-decoded (`alice@example.test` from `alice%40example.test`). */
  readonly params: Readonly<Record<string, string>>;
  readonly token: IssuedGoogleToken;
  readonly state: GoogleFakeState;
  readonly counters: GoogleFakeCounters;
  readonly faults: GoogleFaultInjector;
  /** Google's JSON: pretty-printed with two spaces, `application/json; charset=UTF-8`. */
  sendJson(status: number, body: unknown): void;
  /** 204 with no body (delete, batchDelete). */
  sendEmpty(): void;
  /** The request body as JSON (bounded); a 400 for anything unreadable. */
  readJson(): Promise<unknown>;
}

/** Thrown by a handler to answer a Google error body. */
export class GoogleFakeFailure extends Error {
  constructor(readonly error: GoogleFakeError) {
    super(`HTTP ${error.status}`);
  }
}

/** `params` when `path` matches the route's pattern, else undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const segment = want[i] ?? '';
    const actual = got[i] ?? '';
    if (segment.startsWith(':')) {
      if (actual === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return params;
}
