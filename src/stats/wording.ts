/** How the stats report says its figures, the same in Slack and in the CLI. Pure, plain text (escape before mrkdwn). */
import type { DurationFigure, Period, StatsReport } from './report.ts';
import { periodDays } from './report.ts';

/** Durations as people read them: "45 s", "42 min", "3 h 5 min", "2 d 4 h". */
export function humanDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes / 60} h`;
  const hours = Math.round(minutes / 60);
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${hours / 24} d`;
}

export const plural = (n: number, word: string, words = `${word}s`): string => `${n} ${n === 1 ? word : words}`;

/** "last 30 days" */
export function periodLabel(period: Period): string {
  return `last ${periodDays(period)} days`;
}

/** "median 4 min, p90 12 min", or "no incidents to measure". */
export function figureValues(figure: DurationFigure): string {
  if (figure.medianMs === null || figure.p90Ms === null) return 'no incidents to measure';
  return `median ${humanDuration(figure.medianMs)}, p90 ${humanDuration(figure.p90Ms)}`;
}

/** "over 4 incidents; 1 never acknowledged" */
export function figureBasis(figure: DurationFigure, missingWords: string): string {
  return `over ${plural(figure.count, 'incident')}${figure.missing ? `; ${figure.missing} ${missingWords}` : ''}`;
}

/** "2 of 3 resolved incidents (67%)", or "no incidents resolved". */
export function postmortemRate(postmortems: StatsReport['postmortems']): string {
  if (postmortems.rate === null) return 'no incidents resolved';
  return `${postmortems.complete} of ${plural(postmortems.resolved, 'resolved incident')} (${Math.round(postmortems.rate * 100)}%)`;
}

/** "3 pages, 2 out of hours, 1 night woken" */
export function loadLine(load: { pages: number; outOfHours: number; nights: readonly string[] }): string {
  return `${plural(load.pages, 'page')}, ${load.outOfHours} out of hours, ${plural(load.nights.length, 'night')} woken`;
}

/** The chart's title: short, as it is drawn 57 characters wide at most (the legend says the colours are severities). */
export function chartTitle(report: Pick<StatsReport, 'period'>, serviceName: string | undefined): string {
  return `Incidents per week, ${periodLabel(report.period)}${serviceName ? ` (${serviceName})` : ''}`;
}

export const OUT_OF_HOURS_RULE = 'Out of hours: outside Mon–Fri 09:00–18:00. Nights woken: distinct nights with a page between 22:00 and 07:00.';
