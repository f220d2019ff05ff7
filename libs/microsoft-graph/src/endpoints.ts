/**
 * Where the Microsoft identity platform and Graph live. Settings, not constants: national clouds
 * (US Government, China) use other hosts, and tests point both at the in-repo fake.
 */
export interface MicrosoftEndpoints {
  /** e.g. `https://login.microsoftonline.com` (no trailing slash needed). */
  readonly authorityUrl: string;
  /** e.g. `https://graph.microsoft.com`. */
  readonly graphUrl: string;
}

export const GLOBAL_CLOUD_ENDPOINTS: MicrosoftEndpoints = Object.freeze({
  authorityUrl: 'https://login.microsoftonline.com',
  graphUrl: 'https://graph.microsoft.com',
});

/** The Graph API version every call uses; beta endpoints are not used in production. */
export const GRAPH_VERSION = 'v1.0';

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/** `{authority}/{directory}/oauth2/v2.0/token`: also the `aud` of a client assertion. */
export function tokenUrl(endpoints: MicrosoftEndpoints, directoryId: string): string {
  return `${withoutTrailingSlash(endpoints.authorityUrl)}/${encodeURIComponent(directoryId)}/oauth2/v2.0/token`;
}

/**
 * The client-credentials scope: the Graph resource the token is for, with `/.default` (app-only
 * flows accept nothing else; Entra answers AADSTS1002012 to a named scope).
 */
export function graphScope(endpoints: MicrosoftEndpoints): string {
  return `${new URL(endpoints.graphUrl).origin}/.default`;
}

/** `https://graph.microsoft.com/`: the SDK's `baseUrl` (it appends the version itself). */
export function graphBaseUrl(endpoints: MicrosoftEndpoints): string {
  return `${withoutTrailingSlash(endpoints.graphUrl)}/`;
}
