import { ContractError } from '@mailkeep/contracts';

/**
 * Server-sent events framing (WHATWG HTML, "server-sent events"): `event:`, `id:` and one `data:`
 * line per event, a blank line after it; a line starting with `:` is a comment clients ignore.
 */

/** One event, its data as JSON. JSON escapes line breaks, so the data is always one line. */
export function sseEvent(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: keeps an idle connection open through proxies, shows nothing to the client. */
export const SSE_HEARTBEAT = ': heartbeat\n\n';

/**
 * Log entry ids are decimal strings of increasing integers, at most 30 characters (RunLogEntry).
 * Compared as BigInt: they may outgrow Number's exact range, and as strings "9" > "10".
 */
const LOG_ENTRY_ID = /^\d{1,30}$/;

/** A log entry id as a number to compare, or undefined for an id that is not one. */
export function logSequence(id: string): bigint | undefined {
  return LOG_ENTRY_ID.test(id) ? BigInt(id) : undefined;
}

/**
 * The `Last-Event-ID` header of a reconnecting client: the id of the last log entry it got.
 * Absent or empty means "from the start"; anything else that is not an entry id is a 400.
 */
export function parseLastEventId(header: string | string[] | undefined): bigint | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  const sequence = logSequence(value);
  if (sequence === undefined) {
    throw ContractError.validation(
      [{ field: 'Last-Event-ID', message: 'must be the id of a log entry (a decimal number)' }],
      'The Last-Event-ID header is invalid',
    );
  }
  return sequence;
}

/**
 * The ids sent most recently, to drop a live log entry the backlog already sent. Only the newest
 * `capacity` are kept: a duplicate is an entry written while the backlog was read, so it is among
 * the last ones sent; the oldest are forgotten first.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }
}
