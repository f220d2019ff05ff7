/**
 * A Google API (Gmail, Admin SDK) answered with an error. Carries its documented body
 * (cloud.google.com/apis/design/errors, the Gmail "Resolve errors" guide):
 * `{ error: { code, message, status, errors: [{ domain, reason, message }] } }`.
 */
export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError';
  constructor(
    /** HTTP status. */
    readonly status: number,
    /** `error.message`, e.g. `User Rate Limit Exceeded`. */
    readonly serverMessage: string,
    /** `error.status`, e.g. `RESOURCE_EXHAUSTED`, `FAILED_PRECONDITION`; empty when absent. */
    readonly statusCode: string,
    /** `error.errors[].reason`, e.g. `userRateLimitExceeded`, `failedPrecondition`, `notFound`. */
    readonly reasons: readonly string[],
    readonly headers: Pick<Headers, 'get'>,
  ) {
    super(`${status} ${reasons[0] ?? statusCode}: ${serverMessage}`);
  }

  /** The first `errors[].reason`, the field Google's guides tell clients to act on. */
  get reason(): string | undefined {
    return this.reasons[0];
  }
}

/** An error body is a few hundred bytes; this much of an unexpected (HTML) body is enough to diagnose. */
const UNEXPECTED_BODY_CHARS = 500;

/** Reads a failed response's body into a GoogleApiError (consumes the body). */
export async function readGoogleApiError(response: Response): Promise<GoogleApiError> {
  const text = await response.text().catch(() => '');
  return googleApiErrorFromBody(response.status, text, response.headers);
}

export function googleApiErrorFromBody(
  status: number,
  text: string,
  headers: Pick<Headers, 'get'>,
): GoogleApiError {
  let envelope: unknown;
  try {
    envelope = (JSON.parse(text) as { error?: unknown }).error;
  } catch {
    envelope = undefined;
  }
  if (!envelope || typeof envelope !== 'object') {
    return new GoogleApiError(
      status,
      `HTTP ${status}: ${text.slice(0, UNEXPECTED_BODY_CHARS)}`,
      '',
      [],
      headers,
    );
  }
  const error = envelope as { message?: unknown; status?: unknown; errors?: unknown };
  const reasons = Array.isArray(error.errors)
    ? error.errors
        .map((e: unknown) => (e as { reason?: unknown } | null)?.reason)
        .filter((r): r is string => typeof r === 'string')
    : [];
  return new GoogleApiError(
    status,
    typeof error.message === 'string' ? error.message : `HTTP ${status}`,
    typeof error.status === 'string' ? error.status : '',
    reasons,
    headers,
  );
}
