import type { Schemas } from '../../api/client';

export type Recurrence = Schemas['RecurrenceDto'];
export type RecurrenceType = Recurrence['type'];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The recurrence editor's state: every type's fields at once, so switching type loses nothing. */
export interface RecurrenceDraft {
  type: RecurrenceType;
  at: string;
  everyMinutes: string;
  times: string[];
  weekdays: Weekday[];
  expression: string;
}

export function emptyRecurrence(): RecurrenceDraft {
  return { type: 'daily', at: '', everyMinutes: '60', times: ['02:00'], weekdays: [], expression: '' };
}

export function recurrenceDraftOf(recurrence: Recurrence): RecurrenceDraft {
  return {
    ...emptyRecurrence(),
    type: recurrence.type,
    at: recurrence.at ?? '',
    everyMinutes: recurrence.everyMinutes === undefined ? '60' : String(recurrence.everyMinutes),
    times: recurrence.times ?? (recurrence.type === 'daily' ? [] : ['02:00']),
    weekdays: recurrence.weekdays ?? [],
    expression: recurrence.expression ?? '',
  };
}

/** Only the chosen type's fields, as typed (the scheduler judges them and names the field). */
export function recurrenceBody(draft: RecurrenceDraft): Record<string, unknown> {
  switch (draft.type) {
    case 'once':
      return { type: 'once', at: draft.at };
    case 'interval': {
      const text = draft.everyMinutes.trim();
      return { type: 'interval', everyMinutes: /^\d+$/.test(text) ? Number(text) : text };
    }
    case 'daily':
      return {
        type: 'daily',
        times: draft.times,
        ...(draft.weekdays.length ? { weekdays: draft.weekdays } : {}),
      };
    case 'cron':
      return { type: 'cron', expression: draft.expression };
  }
}

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

export function describeRecurrence(recurrence: Recurrence): string {
  switch (recurrence.type) {
    case 'once':
      return `Once at ${recurrence.at ?? '?'}`;
    case 'interval':
      return `Every ${recurrence.everyMinutes ?? '?'} minutes`;
    case 'daily': {
      const days = recurrence.weekdays?.length
        ? recurrence.weekdays.map((d) => DAY_NAMES[d]).join(', ')
        : 'Every day';
      return `${days} at ${(recurrence.times ?? []).join(', ')}`;
    }
    case 'cron':
      return `Cron ${recurrence.expression ?? ''}`;
  }
}

export function dayName(day: Weekday): string {
  return DAY_NAMES[day];
}
