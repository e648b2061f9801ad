/**
 * The figures of `/incident stats` and `npx klaxon stats`, from the rows the store read. Pure: the period, `now`
 * and the time zones come in, a StatsReport goes out.
 *
 * Drills are left out of every figure. Incidents are never named here (only counted), so a private incident
 * adds to the figures without its title or number reaching anyone.
 */
import { DAY } from '../core/duration.ts';
import { localParts, naiveOf } from '../core/wall-clock.ts';
import type { Severity } from '../incidents/model.ts';

export const PERIODS = ['7d', '30d', '90d'] as const;
export type Period = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: Period = '30d';
export const REPORT_SEVERITIES: readonly Severity[] = ['sev1', 'sev2', 'sev3', 'sev4'];

export function isPeriod(text: string): text is Period {
  return (PERIODS as readonly string[]).includes(text);
}

export function periodDays(period: Period): number {
  return Number(period.slice(0, -1));
}

/** A period is the last 7, 30 or 90 times 24 hours up to now: a rolling window, whatever the clocks did. */
export function periodStart(period: Period, now: number): number {
  return now - periodDays(period) * DAY;
}

// ------------------------------------------------------------------------------------------------- rows in

export interface IncidentFacts {
  severity: Severity;
  serviceId: string | null;
  isDrill: boolean;
  declaredAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  /** Whether its post-mortem has a complete version (a draft saved since does not undo that). */
  postmortemComplete: boolean;
}

export interface PageFacts {
  userId: string;
  /** The target that resolved to the person: `schedule:<id>` or `user:<id>`. */
  via: string;
  pagedAt: number;
  serviceId: string | null;
  isDrill: boolean;
}

export interface OpenProblemFacts {
  /** YYYY-MM-DD */
  dueDate: string;
  /** Of the incident the ticket came from. */
  serviceId: string | null;
  isDrill: boolean;
}

export interface RecurrenceFacts {
  at: number;
  /** Of the later incident, the one that looked like the problem again. */
  serviceId: string | null;
  isDrill: boolean;
}

/** What the store reads: incidents declared or resolved in the period, pages and recurrences in it, open tickets. */
export interface StatsRows {
  incidents: readonly IncidentFacts[];
  pages: readonly PageFacts[];
  openProblems: readonly OpenProblemFacts[];
  recurrences: readonly RecurrenceFacts[];
}

export interface StatsZones {
  /** klaxon.yml `timezone`: weeks, "today" for overdue tickets, and pages no other zone is known for. */
  report: string;
  /** People's own zones (from their Slack profiles): first choice for their pages. */
  people?: ReadonlyMap<string, string>;
  /** Schedules' zones (klaxon.yml), for pages that came through a schedule. */
  schedules?: ReadonlyMap<string, string>;
}

export interface StatsOptions {
  period: Period;
  now: number;
  /** One service's figures only; null for all. */
  serviceId: string | null;
  zones: StatsZones;
}

// ----------------------------------------------------------------------------------------------- report out

export interface DurationFigure {
  /** How many incidents the figure is over. */
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
  /** Incidents declared in the period left out because they were never acknowledged (MTTA) or resolved (MTTR). */
  missing: number;
}

export interface PersonLoad {
  userId: string;
  pages: number;
  /** Pages outside Mon–Fri 09:00–18:00 on the person's wall clock. */
  outOfHours: number;
  /** Distinct nights with a page between 22:00 and 07:00, each named by the date it started (YYYY-MM-DD). */
  nights: string[];
}

export interface WeekCount {
  /** YYYY-MM-DD, a Monday in the report's zone. */
  weekStart: string;
  counts: Record<Severity, number>;
}

export interface StatsReport {
  period: Period;
  from: number;
  to: number;
  timeZone: string;
  serviceId: string | null;
  incidents: {
    total: number;
    bySeverity: Record<Severity, number>;
    /** Most incidents first; null is incidents declared without a service. */
    byService: { serviceId: string | null; count: number }[];
  };
  /** First acknowledgement − declaration, over incidents declared in the period. */
  mtta: DurationFigure;
  /** Resolution − declaration, over incidents declared in the period. */
  mttr: DurationFigure;
  /** Of the incidents resolved in the period, those with a complete post-mortem; rate is null when none were resolved. */
  postmortems: { resolved: number; complete: number; rate: number | null };
  /** Open now (whenever opened); overdue: due before today in the report's zone. */
  problems: { open: number; overdue: number };
  recurrences: number;
  /** Most pages first. */
  oncall: PersonLoad[];
  /** Every week that overlaps the period, oldest first, empty weeks included. */
  weeks: WeekCount[];
}

// -------------------------------------------------------------------------------------------------- maths

/**
 * The nearest-rank percentile of ascending values: the value at rank ⌈p/100 × n⌉ (1-based). Chosen over
 * interpolation so that every figure shown is a duration that really happened, which reads honestly with the
 * handful of incidents a team has in a month; the cost is that the median of an even count is the lower of
 * the two middle values (median of 1, 2, 3, 4 min is 2 min). Null for no values.
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  // p × n is computed before dividing so that whole percentages give exact ranks (0.9 × 30 is not 27 in floats).
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p * sorted.length) / 100)));
  return sorted[rank - 1]!;
}

export function durationFigure(durations: readonly number[], missing: number): DurationFigure {
  const sorted = [...durations].sort((a, b) => a - b);
  return { count: sorted.length, medianMs: nearestRank(sorted, 50), p90Ms: nearestRank(sorted, 90), missing };
}

// ------------------------------------------------------------------------------------------- local times

const isoDate = (naive: number): string => new Date(naive).toISOString().slice(0, 10);

/** The local date at an instant, as a naive time (its midnight encoded as UTC), and the local weekday and hour. */
function localDay(at: number, timeZone: string): { day: number; weekday: number; hour: number } {
  const p = localParts(at, timeZone);
  return { day: naiveOf(p.year, p.month, p.day), weekday: p.weekday, hour: p.hour };
}

/** YYYY-MM-DD of the Monday that starts the week of `at` in the zone. */
export function weekStartOf(at: number, timeZone: string): string {
  const { day, weekday } = localDay(at, timeZone);
  return isoDate(day - ((weekday + 6) % 7) * DAY);
}

/** Office hours are Mon–Fri from 09:00 up to (not including) 18:00 on the person's wall clock. */
export function isOutOfHours(at: number, timeZone: string): boolean {
  const { weekday, hour } = localDay(at, timeZone);
  return weekday === 0 || weekday === 6 || hour < 9 || hour >= 18;
}

/** The night a page between 22:00 and 07:00 woke someone, named by the date it started; undefined by day. */
export function nightOf(at: number, timeZone: string): string | undefined {
  const { day, hour } = localDay(at, timeZone);
  if (hour >= 22) return isoDate(day);
  if (hour < 7) return isoDate(day - DAY);
  return undefined;
}

/** Where a page's wall clock is read: the person's own zone, else the schedule it came through, else the report's. */
export function pageTimeZone(page: Pick<PageFacts, 'userId' | 'via'>, zones: StatsZones): string {
  const own = zones.people?.get(page.userId);
  if (own) return own;
  const schedule = page.via.startsWith('schedule:') ? zones.schedules?.get(page.via.slice('schedule:'.length)) : undefined;
  return schedule ?? zones.report;
}

// ------------------------------------------------------------------------------------------------- report

const zeroCounts = (): Record<Severity, number> => ({ sev1: 0, sev2: 0, sev3: 0, sev4: 0 });

/** Whether a row belongs in the figures: never a drill, and of the service asked about when one was. */
function isCounted(row: { isDrill: boolean; serviceId: string | null }, serviceId: string | null): boolean {
  return !row.isDrill && (serviceId === null || row.serviceId === serviceId);
}

/** The people whose pages count, for looking up their time zones before the report is built. */
export function pagedPeople(rows: Pick<StatsRows, 'pages'>, options: Pick<StatsOptions, 'period' | 'now' | 'serviceId'>): string[] {
  const from = periodStart(options.period, options.now);
  return [...new Set(rows.pages.filter((p) => isCounted(p, options.serviceId) && p.pagedAt >= from && p.pagedAt <= options.now).map((p) => p.userId))].sort();
}

export function statsReport(rows: StatsRows, options: StatsOptions): StatsReport {
  const { period, now: to, serviceId, zones } = options;
  const from = periodStart(period, to);
  const within = (at: number | null): at is number => at !== null && at >= from && at <= to;
  const incidents = rows.incidents.filter((i) => isCounted(i, serviceId));
  const declared = incidents.filter((i) => within(i.declaredAt));

  const bySeverity = zeroCounts();
  const services = new Map<string | null, number>();
  for (const incident of declared) {
    bySeverity[incident.severity] += 1;
    services.set(incident.serviceId, (services.get(incident.serviceId) ?? 0) + 1);
  }
  const byService = [...services].map(([id, count]) => ({ serviceId: id, count })).sort((a, b) => b.count - a.count || (a.serviceId === null ? 1 : b.serviceId === null ? -1 : a.serviceId.localeCompare(b.serviceId)));

  const acknowledged = declared.filter((i) => i.acknowledgedAt !== null);
  const resolved = declared.filter((i) => i.resolvedAt !== null);
  const resolvedInPeriod = incidents.filter((i) => within(i.resolvedAt));
  const today = isoDate(localDay(to, zones.report).day);
  const openProblems = rows.openProblems.filter((p) => isCounted(p, serviceId));

  return {
    period,
    from,
    to,
    timeZone: zones.report,
    serviceId,
    incidents: { total: declared.length, bySeverity, byService },
    mtta: durationFigure(acknowledged.map((i) => Math.max(0, i.acknowledgedAt! - i.declaredAt)), declared.length - acknowledged.length),
    mttr: durationFigure(resolved.map((i) => Math.max(0, i.resolvedAt! - i.declaredAt)), declared.length - resolved.length),
    postmortems: {
      resolved: resolvedInPeriod.length,
      complete: resolvedInPeriod.filter((i) => i.postmortemComplete).length,
      rate: resolvedInPeriod.length ? resolvedInPeriod.filter((i) => i.postmortemComplete).length / resolvedInPeriod.length : null,
    },
    problems: { open: openProblems.length, overdue: openProblems.filter((p) => p.dueDate < today).length },
    recurrences: rows.recurrences.filter((r) => isCounted(r, serviceId) && within(r.at)).length,
    oncall: onCallLoad(rows.pages.filter((p) => isCounted(p, serviceId) && within(p.pagedAt)), zones),
    weeks: weeksOf(declared, from, to, zones.report),
  };
}

function onCallLoad(pages: readonly PageFacts[], zones: StatsZones): PersonLoad[] {
  const people = new Map<string, { pages: number; outOfHours: number; nights: Set<string> }>();
  for (const page of pages) {
    const timeZone = pageTimeZone(page, zones);
    let load = people.get(page.userId);
    if (!load) people.set(page.userId, (load = { pages: 0, outOfHours: 0, nights: new Set() }));
    load.pages += 1;
    if (isOutOfHours(page.pagedAt, timeZone)) load.outOfHours += 1;
    const night = nightOf(page.pagedAt, timeZone);
    if (night) load.nights.add(night);
  }
  return [...people]
    .map(([userId, load]) => ({ userId, pages: load.pages, outOfHours: load.outOfHours, nights: [...load.nights].sort() }))
    .sort((a, b) => b.pages - a.pages || b.nights.length - a.nights.length || a.userId.localeCompare(b.userId));
}

function weeksOf(declared: readonly IncidentFacts[], from: number, to: number, timeZone: string): WeekCount[] {
  const weeks = new Map<string, Record<Severity, number>>();
  const last = Date.parse(weekStartOf(to, timeZone));
  for (let week = Date.parse(weekStartOf(from, timeZone)); week <= last; week += 7 * DAY) weeks.set(isoDate(week), zeroCounts());
  for (const incident of declared) weeks.get(weekStartOf(incident.declaredAt, timeZone))![incident.severity] += 1;
  return [...weeks].map(([weekStart, counts]) => ({ weekStart, counts }));
}
