import { readGoogleApiError } from './google-api-error.js';

/** Query values as Google's REST APIs take them: arrays go out as repeated keys (`labelIds=A&labelIds=B`). */
export type GoogleQuery = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

export interface GoogleRequest {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly query?: GoogleQuery;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly accessToken: string;
  readonly signal?: AbortSignal;
}

export function withQuery(url: string, query: GoogleQuery = {}): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value))
      for (const item of value as readonly string[]) target.searchParams.append(name, item);
    else target.searchParams.set(name, String(value));
  }
  return target.toString();
}

/**
 * One authorised call to a Google REST API. Resolves with the response (body unread) on 2xx,
 * rejects with a GoogleApiError carrying Google's error body otherwise. No retries here: callers
 * back off on quota errors themselves, so every wait is counted as throttling and a cancelled
 * task stops waiting.
 */
export async function googleFetch(request: GoogleRequest): Promise<Response> {
  const response = await fetch(withQuery(request.url, request.query), {
    method: request.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${request.accessToken}`,
      Accept: 'application/json',
      ...(request.body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    ...(request.signal && { signal: request.signal }),
  });
  if (!response.ok) throw await readGoogleApiError(response);
  return response;
}

/** `googleFetch` and the JSON body (an empty body, as `messages.delete` answers, is `{}`). */
export async function googleJson<T>(request: GoogleRequest): Promise<T> {
  const response = await googleFetch(request);
  const text = await response.text();
  return (text === '' ? {} : JSON.parse(text)) as T;
}
