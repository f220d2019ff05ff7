import { describe, expect, it } from 'vitest';

import { nextFireTimes, type Recurrence, validateRecurrence } from './recurrence.js';

/**
 * Fire times across the 2027 changes, worked out by hand:
 * - Europe/Berlin: CET = UTC+1, CEST = UTC+2. Sun 28 Mar 2027 02:00 CET → 03:00 CEST (at 01:00Z);
 *   Sun 31 Oct 2027 03:00 CEST → 02:00 CET (at 01:00Z): 02:00–02:59 happens twice.
 * - America/New_York: EST = UTC−5, EDT = UTC−4. Sun 14 Mar 2027 02:00 EST → 03:00 EDT (at 07:00Z);
 *   Sun 7 Nov 2027 02:00 EDT → 01:00 EST (at 06:00Z): 01:00–01:59 happens twice.
 * A skipped wall time fires at the first instant after the gap (03:00 CEST / 03:00 EDT); a
 * repeated wall time fires once, at its first occurrence (the summer-time one).
 */
interface Row {
  readonly what: string;
  readonly timezone: string;
  readonly recurrence: Recurrence;
  readonly from: string;
  readonly anchor?: string;
  readonly expected: readonly string[];
}

const table: readonly Row[] = [
  {
    what: 'Berlin spring, daily 02:30: 28 Mar has no 02:30 → 03:00 CEST',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'daily', times: ['02:30'] },
    from: '2027-03-26T12:00:00Z',
    expected: [
      '2027-03-27T01:30:00.000Z', // 02:30 CET
      '2027-03-28T01:00:00.000Z', // 03:00 CEST, the end of the gap
      '2027-03-29T00:30:00.000Z', // 02:30 CEST
      '2027-03-30T00:30:00.000Z',
    ],
  },
  {
    what: 'Berlin autumn, daily 02:30: 31 Oct has 02:30 twice → once, CEST',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'daily', times: ['02:30'] },
    from: '2027-10-29T12:00:00Z',
    expected: [
      '2027-10-30T00:30:00.000Z', // 02:30 CEST
      '2027-10-31T00:30:00.000Z', // the first 02:30 (CEST); 01:30Z (02:30 CET) does not fire
      '2027-11-01T01:30:00.000Z', // 02:30 CET
      '2027-11-02T01:30:00.000Z',
    ],
  },
  {
    what: 'Berlin, daily 01:30: untouched by either change',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'daily', times: ['01:30'] },
    from: '2027-10-30T12:00:00Z',
    expected: ['2027-10-30T23:30:00.000Z', '2027-11-01T00:30:00.000Z'], // 01:30 CEST, 01:30 CET
  },
  {
    what: 'Berlin spring, daily 02:30 on Sundays only',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'daily', times: ['02:30'], weekdays: ['sun'] },
    from: '2027-03-27T12:00:00Z',
    expected: ['2027-03-28T01:00:00.000Z', '2027-04-04T00:30:00.000Z'],
  },
  {
    what: 'Berlin spring, daily 02:00 and 02:30: both skipped → one firing at 03:00 CEST',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'daily', times: ['02:00', '02:30'] },
    from: '2027-03-27T12:00:00Z',
    expected: ['2027-03-28T01:00:00.000Z', '2027-03-29T00:00:00.000Z', '2027-03-29T00:30:00.000Z'],
  },
  {
    what: 'Berlin spring, cron 0,30 2 * * * (croner alone drops 28 Mar)',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'cron', expression: '0,30 2 * * *' },
    from: '2027-03-27T12:00:00Z',
    expected: ['2027-03-28T01:00:00.000Z', '2027-03-29T00:00:00.000Z', '2027-03-29T00:30:00.000Z'],
  },
  {
    what: 'Berlin autumn, cron */30 2 * * * (croner alone fires 4 times on 31 Oct)',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'cron', expression: '*/30 2 * * *' },
    from: '2027-10-30T12:00:00Z',
    expected: [
      '2027-10-31T00:00:00.000Z', // 02:00 CEST
      '2027-10-31T00:30:00.000Z', // 02:30 CEST; 02:00 and 02:30 CET do not fire again
      '2027-11-01T01:00:00.000Z', // 02:00 CET
      '2027-11-01T01:30:00.000Z',
    ],
  },
  {
    what: 'Berlin spring, hourly cron: 02:00 does not exist, 03:00 CEST fires once',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'cron', expression: '0 * * * *' },
    from: '2027-03-28T00:30:00Z', // 01:30 CET
    expected: ['2027-03-28T01:00:00.000Z', '2027-03-28T02:00:00.000Z', '2027-03-28T03:00:00.000Z'],
  },
  {
    what: 'Berlin autumn, interval 60 min: elapsed time, every real hour (02:00 CET included)',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'interval', everyMinutes: 60 },
    anchor: '2027-10-30T22:00:00Z', // 00:00 CEST
    from: '2027-10-30T23:30:00Z',
    expected: [
      '2027-10-31T00:00:00.000Z', // 02:00 CEST
      '2027-10-31T01:00:00.000Z', // 02:00 CET
      '2027-10-31T02:00:00.000Z', // 03:00 CET
    ],
  },
  {
    what: 'Berlin spring, interval 90 min from 00:00 CET',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'interval', everyMinutes: 90 },
    anchor: '2027-03-27T23:00:00Z', // 00:00 CET
    from: '2027-03-27T23:00:00Z',
    expected: ['2027-03-28T00:30:00.000Z', '2027-03-28T02:00:00.000Z'], // 01:30 CET, 04:00 CEST
  },
  {
    what: 'Berlin, once at a skipped local time → 03:00 CEST',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'once', at: '2027-03-28T02:30' },
    from: '2027-01-01T00:00:00Z',
    expected: ['2027-03-28T01:00:00.000Z'],
  },
  {
    what: 'Berlin, once at a repeated local time → the first',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'once', at: '2027-10-31T02:30:00' },
    from: '2027-01-01T00:00:00Z',
    expected: ['2027-10-31T00:30:00.000Z'],
  },
  {
    what: 'once with an offset is that instant; in the past it never fires',
    timezone: 'Europe/Berlin',
    recurrence: { type: 'once', at: '2027-10-31T02:30:00+01:00' },
    from: '2027-01-01T00:00:00Z',
    expected: ['2027-10-31T01:30:00.000Z'],
  },
  {
    what: 'New York spring, daily 02:30: 14 Mar has no 02:30 → 03:00 EDT',
    timezone: 'America/New_York',
    recurrence: { type: 'daily', times: ['02:30'] },
    from: '2027-03-12T12:00:00Z',
    expected: [
      '2027-03-13T07:30:00.000Z', // 02:30 EST
      '2027-03-14T07:00:00.000Z', // 03:00 EDT
      '2027-03-15T06:30:00.000Z', // 02:30 EDT
    ],
  },
  {
    what: 'New York spring, daily 01:30: before the gap, the offset moves',
    timezone: 'America/New_York',
    recurrence: { type: 'daily', times: ['01:30'] },
    from: '2027-03-12T12:00:00Z',
    expected: ['2027-03-13T06:30:00.000Z', '2027-03-14T06:30:00.000Z', '2027-03-15T05:30:00.000Z'],
  },
  {
    what: 'New York autumn, daily 01:30: 7 Nov has 01:30 twice → once, EDT',
    timezone: 'America/New_York',
    recurrence: { type: 'daily', times: ['01:30'] },
    from: '2027-11-05T12:00:00Z',
    expected: [
      '2027-11-06T05:30:00.000Z', // 01:30 EDT
      '2027-11-07T05:30:00.000Z', // the first 01:30 (EDT); 06:30Z (01:30 EST) does not fire
      '2027-11-08T06:30:00.000Z', // 01:30 EST
    ],
  },
  {
    what: 'New York autumn, hourly cron: 01:00 fires once',
    timezone: 'America/New_York',
    recurrence: { type: 'cron', expression: '0 * * * *' },
    from: '2027-11-07T04:30:00Z', // 00:30 EDT
    expected: [
      '2027-11-07T05:00:00.000Z', // 01:00 EDT
      '2027-11-07T07:00:00.000Z', // 02:00 EST (01:00 EST at 06:00Z is the repeat)
      '2027-11-07T08:00:00.000Z',
    ],
  },
  {
    what: 'New York spring, weekday cron 30 9 * * 1-5 keeps 09:30 local',
    timezone: 'America/New_York',
    recurrence: { type: 'cron', expression: '30 9 * * 1-5' },
    from: '2027-03-12T00:00:00Z', // Thursday evening
    expected: ['2027-03-12T14:30:00.000Z', '2027-03-15T13:30:00.000Z', '2027-03-16T13:30:00.000Z'],
  },
  {
    what: 'New York autumn, interval 30 min: the repeated hour is two real hours of firings',
    timezone: 'America/New_York',
    recurrence: { type: 'interval', everyMinutes: 30 },
    anchor: '2027-11-07T04:00:00Z', // 00:00 EDT
    from: '2027-11-07T05:00:00Z',
    expected: [
      '2027-11-07T05:30:00.000Z', // 01:30 EDT
      '2027-11-07T06:00:00.000Z', // 01:00 EST
      '2027-11-07T06:30:00.000Z', // 01:30 EST
    ],
  },
];

describe('fire times across the 2027 daylight-saving changes', () => {
  it.each(table)('$what', (row) => {
    const times = nextFireTimes(
      row.recurrence,
      { timezone: row.timezone, anchor: new Date(row.anchor ?? '2027-01-01T00:00:00Z') },
      new Date(row.from),
      row.expected.length + (row.recurrence.type === 'once' ? 1 : 0),
    );
    expect(times.map((time) => time.toISOString())).toEqual(row.expected);
  });

  it('fires strictly after from, and a past once never', () => {
    const daily: Recurrence = { type: 'daily', times: ['02:30'] };
    const context = { timezone: 'Europe/Berlin', anchor: new Date(0) };
    expect(nextFireTimes(daily, context, new Date('2027-03-29T00:30:00Z'), 1)[0]?.toISOString()).toBe(
      '2027-03-30T00:30:00.000Z',
    );
    expect(
      nextFireTimes({ type: 'once', at: '2020-01-01T00:00' }, context, new Date('2027-01-01T00:00:00Z'), 5),
    ).toEqual([]);
  });
});

describe('recurrence validation', () => {
  it.each([
    [{ type: 'interval', everyMinutes: 14 }, 'recurrence.everyMinutes'],
    [{ type: 'interval', everyMinutes: 15.5 }, 'recurrence.everyMinutes'],
    [{ type: 'daily', times: ['24:00'] }, 'recurrence.times[0]'],
    [{ type: 'daily', times: [] }, 'recurrence.times'],
    [{ type: 'daily', times: ['02:00'], weekdays: ['monday'] }, 'recurrence.weekdays[0]'],
    [{ type: 'cron', expression: '0 0 * * * *' }, 'recurrence.expression'],
    [{ type: 'cron', expression: '61 * * * *' }, 'recurrence.expression'],
    [{ type: 'once', at: 'tomorrow' }, 'recurrence.at'],
    [{ type: 'once', at: '2027-02-30T10:00' }, 'recurrence.at'],
    [{ type: 'weekly' }, 'recurrence.type'],
    [{ type: 'interval', everyMinutes: 15, at: 'x' }, 'recurrence.at'],
  ])('refuses %j at %s', (input, field) => {
    expect(validateRecurrence(input).errors.map((error) => error.field)).toContain(field);
  });

  it('normalises daily times and weekdays', () => {
    expect(
      validateRecurrence({ type: 'daily', times: ['18:00', '06:00', '06:00'], weekdays: ['sun', 'mon'] })
        .recurrence,
    ).toEqual({ type: 'daily', times: ['06:00', '18:00'], weekdays: ['mon', 'sun'] });
  });
});
