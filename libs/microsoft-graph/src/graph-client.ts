import { AuthenticationHandler, Client, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';

import { graphBaseUrl, GRAPH_VERSION, type MicrosoftEndpoints } from './endpoints.js';

export interface GraphClientOptions {
  readonly endpoints: MicrosoftEndpoints;
  /** Returns a valid app-only token; called before every request (the token cache makes it cheap). */
  readonly accessToken: () => Promise<string>;
}

/**
 * A Graph SDK client for the configured endpoint.
 *
 * - `customHosts` holds the Graph host: the SDK strips the `Authorization` header from requests to
 *   hosts it does not know as Graph, which is every host but the global cloud's.
 * - The middleware chain is authentication + HTTP only: no SDK RetryHandler. The SDK would retry
 *   429/503/504 three times out of sight; callers retry themselves so that every throttle is
 *   counted in the run log and metrics, waits are shared per mailbox, and a cancelled task stops
 *   waiting.
 * - A token error thrown inside the SDK's middleware reaches the caller as a GraphError with
 *   status -1 and the identity platform's body flattened into text. Callers that must tell a
 *   refused credential from a network failure ask the token cache first (cheap once cached).
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const authentication = new AuthenticationHandler({ getAccessToken: options.accessToken });
  authentication.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({
    middleware: authentication,
    baseUrl: graphBaseUrl(options.endpoints),
    defaultVersion: GRAPH_VERSION,
    customHosts: new Set([new URL(options.endpoints.graphUrl).hostname]),
  });
}
