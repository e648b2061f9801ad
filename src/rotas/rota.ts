/**
 * The on-call rota engine, pure: who is on call at an instant, from a schedule's rotation and overrides
 * (CONTRACT.md, "klaxon.yml"). All instants are UTC epoch milliseconds.
 *
 * Rotation: shift k starts at the handoff time, in the schedule's zone, on the start date plus k days
 * (daily) or 7k days (weekly), or at start@handoff plus k × shiftHours hours of wall clock (hours); it
 * ends where shift k + 1 starts and belongs to participants[k mod n]. The wall-clock arithmetic is done on
 * the naive local date-time and converted with naiveToInstant (core/wall-clock.ts), so a handoff that
 * falls in a spring-forward gap happens when the clocks jump (a shift can then be empty and is skipped,
 * e.g. 1-hour shifts over a 1-hour gap), and one at a repeated time happens at its first occurrence.
 *
 * Overrides: an override replaces whoever the rotation gives inside [from, to). Where overrides overlap,
 * the one with the later `from` wins; with equal `from`, the one later in the list wins (scheduleFromConfig
 * puts Slack overrides after the file's). Overrides with to <= from cover nothing.
 *
 * What whoIsOnCall returns is a "segment": the longest stretch around the instant over which the same
 * rotation shift (with no override in effect) or the same override decides who is on call. So a shift cut
 * by an override ends where the override starts, and an override interrupted by a later one resumes as a
 * new segment. onCallBetween lists segments and merges neighbours of the same person.
 */
import type { ScheduleConfig } from '../core/config.ts';
import { instantToNaive, naiveOf, naiveToInstant, parseLocalDateTime } from '../core/wall-clock.ts';
import { DAY, HOUR, MINUTE, WEEK } from '../core/duration.ts';

/** How far ahead rotas are tabled, announced and reported on. */
export const ROTA_HORIZON = 12 * WEEK;

export type RotationKind = 'daily' | 'weekly' | 'hours';

export interface Rotation {
  kind: RotationKind;
  /** "HH:MM" (daily, hours) or "mon HH:MM" (weekly; the weekday is the start date's) */
  handoff: string;
  /** required for kind "hours" */
  shiftHours?: number;
  /** YYYY-MM-DD */
  start: string;
  participants: readonly string[];
}

export interface Override {
  userId: string;
  from: number;
  to: number;
  source: 'file' | 'slack';
  id?: number;
  createdBy?: string;
}

export interface Schedule {
  id: string;
  timeZone: string;
  rotation: Rotation;
  /** sorted by from */
  overrides: readonly Override[];
}

export interface Shift {
  index: number;
  userId: string;
  start: number;
  end: number;
}

export interface OnCall {
  userId: string;
  start: number;
  end: number;
  /** the override in effect, if the rotation is overridden here */
  override?: Override;
}


// ----------------------------------------------------------------------------------------- configuration

/**
 * The engine's schedule for one klaxon.yml schedule. File overrides are wall-clock times in the schedule's
 * zone (an explicit offset wins), source "file"; `slackOverrides` are added; the result is sorted by
 * `from`, file overrides before Slack ones when equal. Throws a RangeError for a date-time that does not
 * exist (2026-02-30T09:00) or a handoff or start that cannot be read.
 */
export function scheduleFromConfig(config: ScheduleConfig, defaultTimeZone: string, slackOverrides: readonly Override[] = []): Schedule {
  const timeZone = config.timezone ?? defaultTimeZone;
  const { kind, handoff, shift_hours: shiftHours, start, participants } = config.rotation;
  const rotation: Rotation = { kind, handoff, ...(shiftHours !== undefined ? { shiftHours } : {}), start, participants: [...participants] };
  compile(rotation);
  const fileOverrides = config.overrides.map((o, i): Override => {
    const at = (field: 'from' | 'to'): number => {
      const instant = parseLocalDateTime(o[field], timeZone);
      if (instant === undefined) throw new RangeError(`schedule ${config.id}: overrides[${i}].${field} ${JSON.stringify(o[field])} is not a valid date and time`);
      return instant;
    };
    return { userId: o.user, from: at('from'), to: at('to'), source: 'file' };
  });
  const overrides = [...fileOverrides, ...slackOverrides].sort((a, b) => a.from - b.from);
  return { id: config.id, timeZone, rotation, overrides };
}

/** 0 = Sunday, for a YYYY-MM-DD date. Throws a RangeError for anything else. */
export function weekdayOf(date: string): number {
  return new Date(parseDay(date)).getUTCDay();
}

function parseDay(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const naive = m ? naiveOf(Number(m[1]), Number(m[2]), Number(m[3])) : Number.NaN;
  if (!m || new Date(naive).getUTCDate() !== Number(m[3])) throw new RangeError(`${JSON.stringify(date)} is not a date such as 2026-01-05`);
  return naive;
}

/** A rotation reduced to arithmetic: shift k starts at the naive local time first + k × period. */
interface Compiled {
  first: number;
  period: number;
}

function compile(rotation: Rotation): Compiled {
  const m = /^(?:(?:mon|tue|wed|thu|fri|sat|sun) )?([01]\d|2[0-3]):([0-5]\d)$/.exec(rotation.handoff);
  if (m === null) throw new RangeError(`handoff ${JSON.stringify(rotation.handoff)} must be "HH:MM" or "mon HH:MM"`);
  if (rotation.participants.length === 0) throw new RangeError('a rotation needs at least one participant');
  const first = parseDay(rotation.start) + Number(m[1]) * HOUR + Number(m[2]) * MINUTE;
  return { first, period: periodOf(rotation) };
}

function periodOf(rotation: Rotation): number {
  switch (rotation.kind) {
    case 'daily':
      return DAY;
    case 'weekly':
      return 7 * DAY;
    case 'hours':
      if (rotation.shiftHours === undefined || !(rotation.shiftHours > 0)) throw new RangeError('an "hours" rotation needs shiftHours > 0');
      return rotation.shiftHours * HOUR;
  }
}

// -------------------------------------------------------------------------------------------------- shifts

function startOf(compiled: Compiled, index: number, timeZone: string): number {
  return naiveToInstant(compiled.first + index * compiled.period, timeZone);
}

/** The start instant of rotation shift `index` (k >= 0); shift k ends where shift k + 1 starts. */
export function shiftStart(schedule: Schedule, index: number): number {
  return startOf(compile(schedule.rotation), index, schedule.timeZone);
}

/**
 * The rotation shift containing `at`, ignoring overrides; undefined before the first shift starts.
 * Estimates k from the wall-clock time elapsed since the first handoff, then steps by one until
 * start(k) <= at < start(k + 1): a few zone lookups, however far `at` is from the start.
 */
export function rotationShiftAt(schedule: Schedule, at: number): Shift | undefined {
  if (!Number.isFinite(at)) return undefined;
  const { rotation, timeZone } = schedule;
  const compiled = compile(rotation);
  let index = Math.max(0, Math.floor((instantToNaive(at, timeZone) - compiled.first) / compiled.period));
  let start = startOf(compiled, index, timeZone);
  while (start > at && index > 0) start = startOf(compiled, --index, timeZone);
  if (start > at) return undefined;
  let end = startOf(compiled, index + 1, timeZone);
  while (end <= at) {
    index += 1;
    start = end;
    end = startOf(compiled, index + 1, timeZone);
  }
  return { index, userId: rotation.participants[index % rotation.participants.length]!, start, end };
}

// ------------------------------------------------------------------------------------------------ overrides

const isEmpty = (o: Override): boolean => !(o.to > o.from);

/** The number of overrides with from <= at (overrides are sorted by from). */
function countStartedBy(overrides: readonly Override[], at: number): number {
  let lo = 0;
  let hi = overrides.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (overrides[mid]!.from <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The winning override at `at` (the last one in the list that covers it), as its index, or -1. */
function winnerAt(overrides: readonly Override[], at: number, started: number): number {
  for (let i = started - 1; i >= 0; i--) if (overrides[i]!.to > at && !isEmpty(overrides[i]!)) return i;
  return -1;
}

/** The latest end, at or before `at`, of the overrides in [fromIndex, started): where coverage last stopped. */
function lastEndBefore(overrides: readonly Override[], fromIndex: number, started: number): number {
  let latest = Number.NEGATIVE_INFINITY;
  for (let i = fromIndex; i < started; i++) if (!isEmpty(overrides[i]!)) latest = Math.max(latest, overrides[i]!.to);
  return latest;
}

/** The first `from` after `at` of a (non-empty) override: where the next one takes over. */
function nextFromAfter(overrides: readonly Override[], started: number): number {
  for (let i = started; i < overrides.length; i++) if (!isEmpty(overrides[i]!)) return overrides[i]!.from;
  return Number.POSITIVE_INFINITY;
}

/** Every pair of overrides whose windows intersect, each pair as [earlier from, later from]. */
export function overlappingOverrides(overrides: readonly Override[]): [Override, Override][] {
  const sorted = overrides.filter((o) => !isEmpty(o)).sort((a, b) => a.from - b.from);
  const pairs: [Override, Override][] = [];
  sorted.forEach((a, i) => {
    for (let j = i + 1; j < sorted.length && sorted[j]!.from < a.to; j++) pairs.push([a, sorted[j]!]);
  });
  return pairs;
}

// -------------------------------------------------------------------------------------------------- on call

/**
 * Who is on call at `at`, overrides applied, with the segment around `at` over which that holds (see the
 * header); undefined when neither the rotation (before its start) nor an override covers `at`.
 */
export function whoIsOnCall(schedule: Schedule, at: number): OnCall | undefined {
  if (!Number.isFinite(at)) return undefined;
  const { overrides } = schedule;
  const started = countStartedBy(overrides, at);
  const winner = winnerAt(overrides, at, started);
  // Overrides later in the list than the one in effect beat it; those that ended before `at` bound the
  // segment's start, and the next one to begin bounds its end.
  const since = lastEndBefore(overrides, winner + 1, started);
  const until = nextFromAfter(overrides, started);
  const override = overrides[winner];
  if (override !== undefined) {
    return { userId: override.userId, start: Math.max(override.from, since), end: Math.min(override.to, until), override };
  }
  const shift = rotationShiftAt(schedule, at);
  if (shift === undefined) return undefined;
  return { userId: shift.userId, start: Math.max(shift.start, since), end: Math.min(shift.end, until) };
}

/** After `at`, when nobody is on call there: the next instant someone is (rotation start or an override). */
function nextCoveredAfter(schedule: Schedule, at: number): number {
  const first = shiftStart(schedule, 0);
  return Math.min(first > at ? first : Number.POSITIVE_INFINITY, nextFromAfter(schedule.overrides, countStartedBy(schedule.overrides, at)));
}

/** Every segment overlapping [from, to), in order, not clipped and not merged. */
export function segmentsBetween(schedule: Schedule, from: number, to: number): OnCall[] {
  const segments: OnCall[] = [];
  let at = from;
  while (at < to) {
    const segment = whoIsOnCall(schedule, at);
    if (segment === undefined) {
      at = nextCoveredAfter(schedule, at);
      continue;
    }
    segments.push(segment);
    at = segment.end;
  }
  return segments;
}

/**
 * Every on-call stretch overlapping [from, to), in order and not clipped to it. Touching segments of the
 * same person are merged into one stretch (whose `override` is that of its first part); only segments
 * overlapping [from, to) are merged, so the first and last stretches end where their segments do.
 * Stretches with nobody on call have no entry.
 */
export function onCallBetween(schedule: Schedule, from: number, to: number): OnCall[] {
  const merged: OnCall[] = [];
  for (const segment of segmentsBetween(schedule, from, to)) {
    const last = merged.at(-1);
    if (last !== undefined && last.userId === segment.userId && last.end === segment.start) last.end = segment.end;
    else merged.push({ ...segment });
  }
  return merged;
}
