import createClient, { type Middleware } from 'openapi-fetch';

import type { components, paths } from './openapi';

/** The schemas of the API's OpenAPI document (generated, see scripts/api-types.ts). */
export type Schemas = components['schemas'];

let apiKey: string | undefined;
let onUnauthenticated: (() => void) | undefined;

/** Every request carries the signed-in key; a 401 means the key no longer works: sign out. */
const auth: Middleware = {
  onRequest({ request }) {
    if (apiKey) request.headers.set('Authorization', `Bearer ${apiKey}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && apiKey) onUnauthenticated?.();
    return response;
  },
};

/** The typed client of `/api/v1` (same origin: the api serves the console). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** Sets the key sent with every request (undefined when signed out). */
export function setApiKey(key: string | undefined): void {
  apiKey = key;
}

/** What to do when the API says the key is not valid (any more): sign out. */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

/** Headers for the few requests made without the typed client (downloads, event streams). */
export function authHeaders(): Record<string, string> {
  return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
}
