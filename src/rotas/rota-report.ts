/**
 * Reports over a schedule and a window [from, to), pure: where nobody is on call, and how the on-call load
 * is spread over people (hours, night hours, weekend hours, in the schedule's zone).
 */
import { localParts, naiveOf, naiveToInstant } from '../core/wall-clock.ts';
import { onCallBetween } from './rota.ts';
import type { Schedule } from './rota.ts';
import { DAY, HOUR } from '../core/duration.ts';

export interface Gap {
  from: number;
  to: number;
}

export interface Load {
  userId: string;
  /** on-call stretches overlapping the window (touching shifts and overrides of the person count once) */
  shifts: number;
  /** time on call inside the window */
  hours: number;
  /** of which between 22:00 and 07:00 local */
  nightHours: number;
  /** of which on a local Saturday or Sunday */
  weekendHours: number;
}

const NIGHT_START = 22;
const NIGHT_END = 7;

/** Stretches of [from, to) with nobody on call (before the rotation starts, say), in order. */
export function coverageGaps(schedule: Schedule, from: number, to: number): Gap[] {
  const gaps: Gap[] = [];
  let covered = from;
  for (const stretch of onCallBetween(schedule, from, to)) {
    if (stretch.start > covered) gaps.push({ from: covered, to: Math.min(stretch.start, to) });
    covered = Math.max(covered, stretch.end);
  }
  if (covered < to) gaps.push({ from: covered, to });
  return gaps;
}

/**
 * Time on call per person inside [from, to), sorted by hours, most first (ties in rota order, then in
 * order of appearance). Every rotation participant is listed, with zeros if need be.
 */
export function loadByPerson(schedule: Schedule, from: number, to: number): Load[] {
  const loads = new Map<string, Load>();
  const loadOf = (userId: string): Load => {
    let load = loads.get(userId);
    if (load === undefined) {
      load = { userId, shifts: 0, hours: 0, nightHours: 0, weekendHours: 0 };
      loads.set(userId, load);
    }
    return load;
  };
  schedule.rotation.participants.forEach(loadOf);
  for (const stretch of onCallBetween(schedule, from, to)) {
    const start = Math.max(stretch.start, from);
    const end = Math.min(stretch.end, to);
    const load = loadOf(stretch.userId);
    load.shifts += 1;
    load.hours += (end - start) / HOUR;
    load.nightHours += localWindowsOverlap(start, end, schedule.timeZone, nightOf) / HOUR;
    load.weekendHours += localWindowsOverlap(start, end, schedule.timeZone, weekendOf) / HOUR;
  }
  const order = [...loads.keys()];
  return [...loads.values()].sort((a, b) => b.hours - a.hours || order.indexOf(a.userId) - order.indexOf(b.userId));
}

/** A local window, as naive times, attached to a local date (given as its naive midnight); or none. */
type LocalWindow = (midnight: number, weekday: number) => [number, number] | undefined;

/** The night that starts on this date: 22:00 to 07:00 the next morning. */
const nightOf: LocalWindow = (midnight) => [midnight + NIGHT_START * HOUR, midnight + DAY + NIGHT_END * HOUR];

/** The weekend that starts on this date, if it is a Saturday: Saturday 00:00 to Monday 00:00. */
const weekendOf: LocalWindow = (midnight, weekday) => (weekday === 6 ? [midnight, midnight + 2 * DAY] : undefined);

/**
 * Milliseconds of [start, end) inside the local windows of every date from the day before start's local
 * date (its window can reach into start's day) up to end's local date, each converted with the zone's
 * rules (so the night the clocks go back is 10 hours long).
 */
function localWindowsOverlap(start: number, end: number, timeZone: string, windowOf: LocalWindow): number {
  if (!(end > start)) return 0;
  const first = localParts(start, timeZone);
  const last = localParts(end, timeZone);
  const lastMidnight = naiveOf(last.year, last.month, last.day);
  let total = 0;
  for (let midnight = naiveOf(first.year, first.month, first.day) - DAY; midnight <= lastMidnight; midnight += DAY) {
    const window = windowOf(midnight, new Date(midnight).getUTCDay());
    if (window === undefined) continue;
    const windowStart = naiveToInstant(window[0], timeZone);
    const windowEnd = naiveToInstant(window[1], timeZone);
    total += Math.max(0, Math.min(end, windowEnd) - Math.max(start, windowStart));
  }
  return total;
}
