/** A field error of a problem+json answer (SPEC §5): `field` names the property, e.g. `port`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface Reference {
  readonly kind: string;
  readonly id: string;
  readonly name?: string;
}

/** `application/problem+json` as the api writes it (SPEC §5). */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly FieldError[];
  readonly references?: readonly Reference[];
  readonly requestId?: string;
}

/** An answer other than 2xx, or no answer at all (status 0), with a sentence a person understands. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(plainMessage(problem));
    this.name = 'ApiError';
  }

  /** The API's field errors, by field (several messages for one field joined). */
  get fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const { field, message } of this.problem.errors ?? []) {
      byField[field] = byField[field] ? `${byField[field]}; ${message}` : message;
    }
    return byField;
  }
}

/**
 * The api's `detail` is already written for people ("The profile is used by the schedule(s) …");
 * where it says nothing useful, say what the status means for the person in front of the console.
 */
export function plainMessage(problem: Problem): string {
  switch (problem.status) {
    case 0:
      return 'The console cannot reach the Mailkeep server. Check the network connection and try again.';
    case 401:
      return 'Your API key is not valid (any more). Sign in again with a valid key.';
    case 403:
      return problem.detail
        ? `Your API key may not do this: ${lowerFirst(problem.detail)}.`
        : 'Your API key may not do this.';
    case 404:
      return problem.detail
        ? `${problem.detail}. It may have been deleted meanwhile.`
        : 'This no longer exists. It may have been deleted meanwhile.';
    case 503:
    case 504:
      return 'A part of the Mailkeep platform is not answering right now. Try again in a moment.';
    default:
      if (problem.status >= 500) return 'Something went wrong on the server. Try again, or contact support.';
      return problem.detail ?? problem.title ?? `The server refused the request (${problem.status}).`;
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'status' in body;
}

/** Turns a body of a failed answer (problem+json, other JSON, or nothing) into a Problem. */
export function toProblem(body: unknown, status: number): Problem {
  if (isProblem(body)) return body;
  return { status, ...(typeof body === 'string' && body.length < 300 && body ? { detail: body } : {}) };
}

interface ClientResult<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

async function settle<T>(request: Promise<ClientResult<T>>): Promise<ClientResult<T>> {
  let result: ClientResult<T>;
  try {
    result = await request;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { status: 0 });
  }
  if (!result.response.ok)
    throw new ApiError(result.response.status, toProblem(result.error, result.response.status));
  return result;
}

/** The body of a successful answer of the typed client; anything else throws an ApiError. */
export async function json<T>(request: Promise<ClientResult<T>>): Promise<T> {
  return (await settle(request)).data as T;
}

/** A successful answer without a body (204), or one whose body is not needed. */
export async function done(request: Promise<ClientResult<unknown>>): Promise<void> {
  await settle(request);
}

/** fetch with the same error handling, for what the typed client does not cover (downloads, CSV). */
export async function fetchOk(input: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch {
    throw new ApiError(0, { status: 0 });
  }
  if (!response.ok) {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: the text itself (or nothing) is all there is.
    }
    throw new ApiError(response.status, toProblem(body, response.status));
  }
  return response;
}

/** The words to show for any error a query or mutation may end with. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
