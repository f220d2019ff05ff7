import { IncomingMessage, ServerResponse } from 'node:http';

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/*
 * Keys are compared lowercased with `_` and `-` removed, so `api_key`, `X-Api-Key` and `apiKey`
 * are one key. A key is sensitive when it is, or ends with, one of these words (plural too:
 * `apiKeys`, `cookies`). `pass` and `pwd` only as whole keys: as suffixes they would hit
 * `bypass`, `compass`. Identifiers of secrets (`apiKeyId`, `keyId`, `tokenIds`) are not secret
 * and are what an operator needs to correlate, so a key ending in `id`/`ids` is never redacted.
 */
const SENSITIVE_SUFFIX = /(?:password|passwd|passphrase|secret|token|authorization|cookie|credential|key)s?$/;
const SENSITIVE_EXACT = new Set(['pass', 'pwd']);
const IDENTIFIER_SUFFIX = /ids?$/;

/**
 * Beyond this depth values are replaced by "[Truncated]": a log line is for a human or a query,
 * and ten levels is deeper than any payload we log on purpose. It also bounds the work done on
 * a huge object logged by mistake.
 */
const MAX_DEPTH = 10;

/** Whether a field called `key` holds a secret (see the rules above). */
export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[_-]/g, '');
  if (IDENTIFIER_SUFFIX.test(normalized)) return false;
  return SENSITIVE_EXACT.has(normalized) || SENSITIVE_SUFFIX.test(normalized);
}

// `scheme://user:password@` in any string (connection strings logged under innocent keys).
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi;
// `Bearer <token>` pasted into a message or an error.
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/g;

/** Removes credentials embedded in free text: URL passwords and bearer tokens. */
export function redactString(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(BEARER, `$1 ${REDACTED}`);
}

/**
 * A copy of `value` that is safe to log: every field whose key is sensitive (at any depth, in
 * objects, arrays, Maps, Error properties, HTTP request headers) has the value "[REDACTED]",
 * credentials in strings are removed, Errors become `{ type, message, stack, code? }`, cycles
 * become "[Circular]", binary data becomes its size. Never throws; never mutates `value`.
 */
export function redact(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function walk(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
      return redactString(value);
    case 'bigint':
      // JSON has no bigint; a string keeps every digit.
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'object':
      return value === null ? null : walkObject(value, depth, ancestors);
  }
}

function walkObject(value: object, depth: number, ancestors: WeakSet<object>): unknown {
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof URL) return redactUrl(value);
  // Message bodies and attachments are bytes: their size is what belongs in a log, not them.
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[ArrayBuffer ${value.byteLength} bytes]`;

  // Only ancestors count: the same object reached twice through different branches is not a cycle.
  ancestors.add(value);
  try {
    const next = depth + 1;
    if (value instanceof Error) return serializeError(value, next, ancestors);
    if (value instanceof IncomingMessage) {
      // A request object drags its socket and server along; what a log needs is this.
      return {
        method: value.method,
        url: redactString(value.url ?? ''),
        headers: walkFields(value.headers, next, ancestors),
      };
    }
    if (value instanceof ServerResponse) {
      return { statusCode: value.statusCode, headers: walkFields(value.getHeaders(), next, ancestors) };
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, next, ancestors));
    if (value instanceof Set) return [...value].map((item) => walk(item, next, ancestors));
    if (value instanceof Map) {
      const entries = [...value].map(([key, item]): [string, unknown] => [String(key), item]);
      return walkFields(Object.fromEntries(entries), next, ancestors);
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function')
      return walk(
        safely(() => toJSON.call(value) as unknown),
        depth,
        ancestors,
      );
    return walkFields(value, next, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function walkFields(
  value: object,
  depth: number,
  ancestors: WeakSet<object>,
  skip?: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (skip?.has(key)) continue;
    out[key] = isSensitiveKey(key)
      ? REDACTED
      : walk(
          safely(() => (value as Record<string, unknown>)[key]),
          depth,
          ancestors,
        );
  }
  return out;
}

const ERROR_OWN_FIELDS = new Set(['name', 'message', 'stack', 'code', 'cause', 'errors']);

function serializeError(error: Error, depth: number, ancestors: WeakSet<object>): Record<string, unknown> {
  // The constructor name says more than `name`, which subclasses often leave as "Error".
  const type =
    typeof error.constructor === 'function' && error.constructor.name !== ''
      ? error.constructor.name
      : error.name;
  const out: Record<string, unknown> = {
    type,
    message: redactString(String(error.message)),
    stack: error.stack === undefined ? undefined : redactString(error.stack),
  };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out['code'] = code;
  // Other own properties (a driver's `detail`, an HTTP client's `config.headers`) are kept, redacted.
  Object.assign(out, walkFields(error, depth, ancestors, ERROR_OWN_FIELDS));
  if (error.cause !== undefined) out['cause'] = walk(error.cause, depth, ancestors);
  if (error instanceof AggregateError) out['errors'] = walk(error.errors, depth, ancestors);
  return out;
}

function redactUrl(url: URL): string {
  if (url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.password = REDACTED;
  return copy.href;
}

/** Getters and toJSON methods of arbitrary objects may throw; a log call must not. */
function safely(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return '[Unreadable]';
  }
}
