/**
 * Wall-clock time in IANA time zones, as pure functions over UTC epoch milliseconds: converting a local
 * date and time to the instant it names (with a fixed rule for times that do not exist or happen twice),
 * parsing the date-times of klaxon.yml, reading the local fields of an instant, and formatting an instant
 * for people ("Mon 1 Dec 09:00 GMT").
 *
 * A "naive" time below is a local date and time encoded as if it were UTC (Date.UTC of its fields), so
 * calendar arithmetic on it (add a day, add 12 hours of wall clock) is plain addition.
 *
 * The rule for turning a local time into an instant: the result is the earliest instant at which the wall
 * clock shows that time or a later one. So
 *  - a time that exists once gives that instant;
 *  - a time that happens twice (the clocks go back) gives the earlier instant (e.g. London 2026-10-25
 *    01:30 → 00:30Z, while BST is still in force);
 *  - a time that does not exist (the clocks go forward over it) gives the instant the clocks jump, i.e.
 *    the first instant after the gap (e.g. London 2026-03-29 01:30 → 01:00Z, when the clocks show 02:00
 *    BST; New York 2026-03-08 02:30 → 07:00Z, when they show 03:00 EDT).
 * This mapping never goes backwards as the local time increases, so rotation shifts built on it never
 * overlap; it assumes at most one offset change within 36 hours, which holds for every real zone.
 *
 * Offsets come straight from Intl ("longOffset"). TZDate is not used for the conversion: its constructor
 * resolves a repeated time differently depending on the host's time zone, and tzOffset() loses the sign of
 * "-00:MM" offsets.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Wider than any UTC offset (-12h … +14h) with room to spare: see naiveToInstant. */
const SEARCH = 18 * HOUR;
/** 400 Gregorian years, exactly: used to keep Date.UTC away from its 1900 + year mapping of years 0-99. */
const FOUR_CENTURIES = 146_097 * DAY;

export interface LocalDateTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export interface LocalParts extends LocalDateTime {
  /** 0 = Sunday */
  weekday: number;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------------------------ offsets

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const parsedOffsets = new Map<string, number>();

function offsetFormat(timeZone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  return format;
}

/** "GMT", "GMT+09:00", "GMT-00:01:15" (the tail of a longOffset format) → milliseconds east of UTC. */
function parseOffset(text: string): number {
  const m = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m === null) throw new RangeError(`unreadable UTC offset ${JSON.stringify(text)}`);
  if (m[1] === undefined) return 0;
  const size = Number(m[2]) * HOUR + Number(m[3]) * MINUTE + Number(m[4] ?? 0) * SECOND;
  return m[1] === '-' ? -size : size;
}

/** The zone's UTC offset at an instant, in milliseconds east of UTC. Throws a RangeError for an unknown zone. */
export function offsetAt(at: number, timeZone: string): number {
  const text = offsetFormat(timeZone).format(at);
  let offset = parsedOffsets.get(text);
  if (offset === undefined) {
    offset = parseOffset(text.slice(text.lastIndexOf('GMT')));
    parsedOffsets.set(text, offset);
  }
  return offset;
}

// ------------------------------------------------------------------------------------------- naive times

/** Date.UTC for every year, including 0-99 (which Date.UTC would read as 1900-1999). */
export function naiveOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  if (year >= 0 && year < 100) return Date.UTC(year + 400, month - 1, day, hour, minute, second) - FOUR_CENTURIES;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The wall-clock time (as a naive time) that the zone shows at an instant. */
export function instantToNaive(at: number, timeZone: string): number {
  return at + offsetAt(at, timeZone);
}

/** The earliest instant at which the zone's wall clock shows `naive` or later (see the header). */
export function naiveToInstant(naive: number, timeZone: string): number {
  const before = offsetAt(naive - SEARCH, timeZone);
  const after = offsetAt(naive + SEARCH, timeZone);
  // Every instant that can show `naive` lies strictly inside (naive - SEARCH, naive + SEARCH), so with
  // one offset change in that window it is one of these two.
  const early = naive - before;
  if (before === after) return early;
  const late = naive - after;
  const valid = [early, late].filter((at) => instantToNaive(at, timeZone) === naive);
  if (valid.length) return Math.min(...valid);
  return firstInstantShowing(naive, Math.min(early, late), Math.max(early, late), timeZone);
}

/** In a gap: the first instant in (lo, hi] whose wall clock shows `naive` or later (the instant the clocks jump). */
function firstInstantShowing(naive: number, lo: number, hi: number, timeZone: string): number {
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (instantToNaive(mid, timeZone) >= naive) hi = mid;
    else lo = mid;
  }
  return hi;
}

// ------------------------------------------------------------------------------------------------- public

/**
 * The instant at which the wall clock in `timeZone` shows `local`. A time in a spring-forward gap gives
 * the first instant after the gap, a time that happens twice gives the earlier instant (see the header).
 * Out-of-range fields roll over as in Date.UTC (day 32 is the 1st of the next month).
 */
export function localToInstant(local: LocalDateTime, timeZone: string): number {
  return naiveToInstant(naiveOf(local.year, local.month, local.day, local.hour, local.minute), timeZone);
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, the last two optionally followed by `Z`
 * or `±HH:MM`. With an offset the offset decides the instant; without one it is a wall-clock time in
 * `timeZone` (a bare date is 00:00 local), resolved as localToInstant does. Undefined for anything
 * malformed or impossible (2026-02-30, 24:00, 09:60, an unknown zone).
 */
export function parseLocalDateTime(text: string, timeZone: string): number | undefined {
  const m = LOCAL_DATE_TIME.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const naive = naiveOf(year, month, day, hour, minute, second);
  const check = new Date(naive);
  if (check.getUTCMonth() + 1 !== month || check.getUTCDate() !== day) return undefined;
  const offset = m[7];
  if (offset !== undefined) return withOffset(naive, offset);
  try {
    return naiveToInstant(naive, timeZone);
  } catch {
    return undefined;
  }
}

/** naive time + "Z" or "±HH:MM" → instant; undefined for an offset past 23:59. */
function withOffset(naive: number, offset: string): number | undefined {
  if (offset === 'Z') return naive;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  if (hours > 23 || minutes > 59) return undefined;
  const size = hours * HOUR + minutes * MINUTE;
  return offset.startsWith('-') ? naive + size : naive - size;
}

/** The local date, time and weekday that the zone's wall clock shows at an instant. */
export function localParts(at: number, timeZone: string): LocalParts {
  const local = new Date(instantToNaive(at, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: local.getUTCDay(),
  };
}

// ------------------------------------------------------------------------------------------------ format

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Locales tried in turn for a zone's abbreviation; each knows letter abbreviations for some zones only. */
const NAME_LOCALES = ['en-GB', 'en-US', 'en-IE', 'en-AU', 'en-NZ', 'en-IN', 'en-ZA', 'en-SG', 'en-HK', 'en-CA'];
/** Two fixed instants (January and July) used to judge a locale's names for a zone. */
const NAME_SAMPLES = [Date.UTC(2026, 0, 15, 12), Date.UTC(2026, 6, 15, 12)];
const nameFormats = new Map<string, Intl.DateTimeFormat>();

function shortName(format: Intl.DateTimeFormat, at: number): string {
  return format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? '';
}

/**
 * The formatter for a zone's short name: the first locale whose names for the zone are letters in both
 * winter and summer (GMT/BST with en-GB, EST/EDT with en-US, IST with en-IE for Dublin), otherwise en-GB,
 * which gives "GMT+9" style names.
 */
function nameFormat(timeZone: string): Intl.DateTimeFormat {
  let chosen = nameFormats.get(timeZone);
  if (chosen === undefined) {
    // Made one at a time, up to the first that fits: each costs ICU a locale's data (about half a millisecond).
    const formatIn = (locale: string): Intl.DateTimeFormat => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' });
    for (const locale of NAME_LOCALES) {
      const format = formatIn(locale);
      if (NAME_SAMPLES.every((at) => /^[A-Z]+$/.test(shortName(format, at)))) {
        chosen = format;
        break;
      }
    }
    chosen ??= formatIn(NAME_LOCALES[0]!);
    nameFormats.set(timeZone, chosen);
  }
  return chosen;
}

/** The zone's short name at an instant: GMT, BST, CET, EST, EDT, or GMT+9 where no letters exist. */
export function zoneName(at: number, timeZone: string): string {
  return shortName(nameFormat(timeZone), at);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** "Mon 1 Dec 09:00 GMT"; given `now`, with the year when it is not the zone's year at `now` ("Mon 1 Dec 2027 09:00 GMT"). */
export function formatInZone(at: number, timeZone: string, now?: number): string {
  const p = localParts(at, timeZone);
  const year = now !== undefined && localParts(now, timeZone).year !== p.year ? ` ${p.year}` : '';
  return `${WEEKDAYS[p.weekday]} ${p.day} ${MONTHS[p.month - 1]}${year} ${pad2(p.hour)}:${pad2(p.minute)} ${zoneName(at, timeZone)}`;
}

/** "Mon 1 Dec 2026 09:00 GMT" */
export function formatDateTimeInZone(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${WEEKDAYS[p.weekday]} ${p.day} ${MONTHS[p.month - 1]} ${p.year} ${pad2(p.hour)}:${pad2(p.minute)} ${zoneName(at, timeZone)}`;
}

/** "Mon 23 Nov 2026": the day an instant falls on in the zone. */
export function formatDayInZone(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${WEEKDAYS[p.weekday]} ${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
}

/** "09:05" on the zone's wall clock. */
export function formatClockInZone(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}
