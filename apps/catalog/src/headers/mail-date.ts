/**
 * Lenient Date header parsing. Senders write every shape: RFC 5322 (`Tue, 1 Jul 2003 10:52:37
 * +0200`), with or without weekday and seconds, obsolete zone names, two-digit years, trailing
 * comments (`(CEST)`), asctime (`Tue Jul  1 10:52:37 2003`), ISO 8601. Anything that cannot be
 * read as a real instant gives null; the message keeps its archive time for ordering.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 5322 §4.3 obsolete zones, and the few others common enough in real mail to matter. */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -5 * 60,
  edt: -4 * 60,
  cst: -6 * 60,
  cdt: -5 * 60,
  mst: -7 * 60,
  mdt: -6 * 60,
  pst: -8 * 60,
  pdt: -7 * 60,
  cet: 60,
  cest: 2 * 60,
  met: 60,
  mest: 2 * 60,
  bst: 60,
};

/**
 * Instants before 1900 or from the year 10000 on are not the date of a mail (and PostgreSQL's
 * timestamps end at 294276): such a header is treated as unparseable.
 */
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(10_000, 0, 1);

const RFC5322 =
  /^(?:[a-z]+\.?,?\s*)?(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{2,4})(?:[\s,]+(\d{1,2})[:.](\d{1,2})(?:[:.](\d{1,2}))?(?:\.\d+)?)?\s*(?:([+-])(\d{1,2}):?(\d{2})\b|([a-z]{1,5})\b)?/i;
const ASCTIME =
  /^(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\s+(?:([a-z]{1,5})\s+)?(\d{4})/i;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T\s]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

export function parseMailDate(raw: string | undefined | null): Date | null {
  if (!raw) return null;
  const text = raw
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return null;
  const rfc = RFC5322.exec(text);
  if (rfc) {
    const [, day, month, year, hour, minute, second, sign, zoneHours, zoneMinutes, zoneName] = rfc;
    const offset =
      sign !== undefined
        ? (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes))
        : (ZONES[zoneName?.toLowerCase() ?? ''] ?? 0);
    return build(fullYear(year!), month!, day!, hour, minute, second, offset);
  }
  const asctime = ASCTIME.exec(text);
  if (asctime) {
    const [, month, day, hour, minute, second, zoneName, year] = asctime;
    return build(Number(year), month!, day!, hour, minute, second, ZONES[zoneName?.toLowerCase() ?? ''] ?? 0);
  }
  if (ISO.test(text)) {
    // Without a zone, an ISO time is read as UTC, like a mail date with an unknown zone.
    const iso = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) || !text.includes(':') ? text : `${text}Z`;
    return inRange(Date.parse(iso.replace(' ', 'T')));
  }
  return null;
}

/** RFC 5322 §4.3: two-digit years 00–49 are 20xx, 50–99 are 19xx; three-digit years add 1900. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 2) return year < 50 ? 2000 + year : 1900 + year;
  if (text.length === 3) return 1900 + year;
  return year;
}

function build(
  year: number,
  monthName: string,
  dayText: string,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
  offsetMinutes: number,
): Date | null {
  const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase());
  const day = Number(dayText);
  const hour = Number(hourText ?? 0);
  const minute = Number(minuteText ?? 0);
  // A leap second (60) is read as 59, as RFC 5322 permits.
  const second = Math.min(Number(secondText ?? 0), 59);
  if (year < 1900 || month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  if (Math.abs(offsetMinutes) > 18 * 60) return null;
  const local = Date.UTC(year, month, day, hour, minute, second);
  // Reject 31 Feb and the like rather than rolling over into March.
  if (new Date(local).getUTCDate() !== day) return null;
  return inRange(local - offsetMinutes * 60_000);
}

function inRange(time: number): Date | null {
  if (Number.isNaN(time) || time < EARLIEST || time >= LATEST) return null;
  return new Date(time);
}
