import { Cron } from 'croner';

import type { FieldError } from '@mailkeep/contracts';

/**
 * Recurrences of SPEC SC1 and their fire times. Calendar work is croner's; this file only decides
 * which wall-clock times a recurrence names and asks croner where they fall in the zone
 * (docs/decisions/0005-schedule-times.md explains why it goes through wall-clock time).
 */
export type Recurrence =
  | { readonly type: 'once'; readonly at: string }
  | { readonly type: 'interval'; readonly everyMinutes: number }
  | { readonly type: 'daily'; readonly times: readonly string[]; readonly weekdays?: readonly Weekday[] }
  | { readonly type: 'cron'; readonly expression: string };

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** SC1: anything more frequent would only queue runs behind the active one of the same profile. */
export const MIN_INTERVAL_MINUTES = 15;
/** An upper bound keeps `everyMinutes × n` far inside the Date range: one year. */
export const MAX_INTERVAL_MINUTES = 525_600;
/** A daily recurrence with more times than this is a cron expression in disguise. */
const MAX_DAILY_TIMES = 48;
/**
 * How far back of `from` (in wall-clock time) candidates are examined: a wall time that does not
 * exist fires at the end of its gap, so a wall time up to one gap before `from` may still fire
 * after it. Gaps are one hour in Europe and America; 3 h covers every zone in use today.
 */
const GAP_LOOKBACK_MS = 3 * 3_600_000;
/**
 * A wall time is placed by asking croner for the first match of "this minute of this day" after
 * a point safely before any instant that can carry it (zones span UTC−12…UTC+14).
 */
const ZONE_SPAN_MS = 15 * 3_600_000;
/** Bounds the search when a recurrence names nothing in the future (a past `once`, 30 Feb). */
const MAX_CANDIDATES = 10_000;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 100) return false;
  try {
    // Throws RangeError for a name the ICU database does not know (Intl validates, we do not).
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Checks a recurrence as a client wrote it; every problem is a field error under `prefix`. */
export function validateRecurrence(
  input: unknown,
  prefix = 'recurrence',
): { recurrence?: Recurrence; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => {
    errors.push({ field: field ? `${prefix}.${field}` : prefix, message });
    return { errors };
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('', 'must be an object with a type');
  }
  const value = input as Record<string, unknown>;
  const allowed = (keys: string[]) => {
    for (const key of Object.keys(value)) {
      if (key !== 'type' && !keys.includes(key))
        fail(key, `is not a property of a ${String(value.type)} recurrence`);
    }
  };
  switch (value.type) {
    case 'once': {
      allowed(['at']);
      const at = value.at;
      if (typeof at !== 'string' || !(LOCAL_DATE_TIME.test(at) || ZONED_DATE_TIME.test(at))) {
        return fail(
          'at',
          'must be an ISO-8601 date and time, e.g. 2027-03-28T02:30 (in the schedule time zone)',
        );
      }
      // Date.parse rolls 30 Feb over to 2 Mar: the date must read back as written.
      const parsed = new Date(`${at.slice(0, 10)}T00:00:00Z`);
      if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== at.slice(0, 10)) {
        return fail('at', 'is not a valid date');
      }
      return errors.length ? { errors } : { recurrence: { type: 'once', at }, errors };
    }
    case 'interval': {
      allowed(['everyMinutes']);
      const every = value.everyMinutes;
      if (
        typeof every !== 'number' ||
        !Number.isInteger(every) ||
        every < MIN_INTERVAL_MINUTES ||
        every > MAX_INTERVAL_MINUTES
      ) {
        return fail(
          'everyMinutes',
          `must be a whole number of minutes from ${MIN_INTERVAL_MINUTES} to ${MAX_INTERVAL_MINUTES}`,
        );
      }
      return errors.length ? { errors } : { recurrence: { type: 'interval', everyMinutes: every }, errors };
    }
    case 'daily': {
      allowed(['times', 'weekdays']);
      const times = value.times;
      if (!Array.isArray(times) || times.length === 0 || times.length > MAX_DAILY_TIMES) {
        fail('times', `must list 1 to ${MAX_DAILY_TIMES} times as "HH:MM"`);
      } else {
        times.forEach((time, index) => {
          if (typeof time !== 'string' || !HH_MM.test(time))
            fail(`times[${index}]`, 'must be "HH:MM" (00:00–23:59)');
        });
      }
      const weekdays = value.weekdays;
      if (weekdays !== undefined) {
        if (!Array.isArray(weekdays) || weekdays.length === 0) {
          fail('weekdays', 'must list at least one of mon, tue, wed, thu, fri, sat, sun');
        } else {
          weekdays.forEach((day, index) => {
            if (!(WEEKDAYS as readonly unknown[]).includes(day)) {
              fail(`weekdays[${index}]`, 'must be one of mon, tue, wed, thu, fri, sat, sun');
            }
          });
        }
      }
      if (errors.length) return { errors };
      const sortedTimes = [...new Set(times as string[])].sort();
      const days = weekdays === undefined ? undefined : sortWeekdays(weekdays as Weekday[]);
      return { recurrence: { type: 'daily', times: sortedTimes, ...(days && { weekdays: days }) }, errors };
    }
    case 'cron': {
      allowed(['expression']);
      const expression =
        typeof value.expression === 'string' ? value.expression.trim().replace(/\s+/g, ' ') : '';
      if (expression.split(' ').length !== 5) {
        return fail(
          'expression',
          'must be a cron expression of 5 fields: minute hour day-of-month month weekday',
        );
      }
      try {
        new Cron(expression, { paused: true, timezone: 'UTC' });
      } catch (error) {
        return fail('expression', error instanceof Error ? error.message : 'is not a valid cron expression');
      }
      return errors.length ? { errors } : { recurrence: { type: 'cron', expression }, errors };
    }
    default:
      return fail('type', 'must be once, interval, daily or cron');
  }
}

function sortWeekdays(days: readonly Weekday[]): Weekday[] {
  const order: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return order.filter((day) => days.includes(day));
}

export interface FireTimeContext {
  readonly timezone: string;
  /** Where an interval counts from: the schedule's creation (or its last recurrence change). */
  readonly anchor: Date;
}

/**
 * The next `count` fire times strictly after `from`, earliest first. A wall-clock time the zone
 * skips fires at the first instant after the gap; a wall-clock time the zone repeats fires once,
 * at its first occurrence.
 */
export function nextFireTimes(
  recurrence: Recurrence,
  context: FireTimeContext,
  from: Date,
  count: number,
): Date[] {
  if (count <= 0) return [];
  switch (recurrence.type) {
    case 'interval': {
      // Elapsed time, not wall-clock time: "every 60 minutes" stays 60 real minutes apart across
      // a change of offset, so plain milliseconds are the right unit here.
      const step = recurrence.everyMinutes * 60_000;
      const anchor = context.anchor.getTime();
      const elapsed = from.getTime() - anchor;
      const first = elapsed < 0 ? anchor : anchor + (Math.floor(elapsed / step) + 1) * step;
      return Array.from({ length: count }, (_, index) => new Date(first + index * step));
    }
    case 'once': {
      const at = ZONED_DATE_TIME.test(recurrence.at)
        ? new Date(recurrence.at)
        : placeWallTime(
            new Date(`${recurrence.at.length === 16 ? `${recurrence.at}:00` : recurrence.at}Z`),
            context.timezone,
          );
      return at && at.getTime() > from.getTime() ? [at] : [];
    }
    case 'daily':
    case 'cron':
      return wallClockFireTimes(wallClockPatterns(recurrence), context.timezone, from, count);
  }
}

/** Cron patterns whose matches, read in UTC, are the wall-clock times the recurrence names. */
function wallClockPatterns(recurrence: Extract<Recurrence, { type: 'daily' | 'cron' }>): Cron[] {
  if (recurrence.type === 'cron') return [new Cron(recurrence.expression, { paused: true, timezone: 'UTC' })];
  const days = recurrence.weekdays ? recurrence.weekdays.map((day) => WEEKDAYS.indexOf(day)).join(',') : '*';
  return recurrence.times.map((time) => {
    const [hour, minute] = time.split(':').map(Number);
    return new Cron(`${minute} ${hour} * * ${days}`, { paused: true, timezone: 'UTC' });
  });
}

/**
 * Walks the wall-clock times the patterns name (croner in UTC, where no offset ever changes) and
 * places each in the zone. Placing is monotonic, so the results come out in order; two wall times
 * inside one gap land on the same instant and fire once.
 */
function wallClockFireTimes(patterns: Cron[], timezone: string, from: Date, count: number): Date[] {
  const result: Date[] = [];
  let cursor = new Date(wallClockOf(from, timezone).getTime() - GAP_LOOKBACK_MS);
  for (let examined = 0; examined < MAX_CANDIDATES && result.length < count; examined++) {
    const nexts = patterns.map((pattern) => pattern.nextRun(cursor)).filter((d): d is Date => d !== null);
    if (nexts.length === 0) break;
    const wall = new Date(Math.min(...nexts.map((d) => d.getTime())));
    cursor = wall;
    const instant = placeWallTime(wall, timezone);
    if (!instant || instant.getTime() <= from.getTime()) continue;
    const last = result[result.length - 1];
    if (!last || instant.getTime() > last.getTime()) result.push(instant);
  }
  return result;
}

/**
 * The instant a wall-clock time (given as a Date read in UTC) has in the zone, by croner's own
 * placement of a once-a-year pattern for that minute: croner fires a skipped minute at the end of
 * the gap and a repeated minute at its first occurrence (verified in recurrence.spec.ts).
 */
function placeWallTime(wall: Date, timezone: string): Date | undefined {
  const pattern = `${wall.getUTCMinutes()} ${wall.getUTCHours()} ${wall.getUTCDate()} ${wall.getUTCMonth() + 1} *`;
  const placed = new Cron(pattern, { paused: true, timezone }).nextRun(
    new Date(wall.getTime() - ZONE_SPAN_MS),
  );
  // A pattern for 29 Feb finds the next leap year: only an answer within the zone span is this day.
  if (!placed || Math.abs(placed.getTime() - wall.getTime()) > ZONE_SPAN_MS) return undefined;
  return placed;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant in the zone, as a Date read in UTC. */
function wallClockOf(instant: Date, timezone: string): Date {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return new Date(
    Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    ),
  );
}
