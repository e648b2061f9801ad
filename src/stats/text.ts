/** The stats report as `npx klaxon stats` prints it: aligned plain text, or JSON for scripts. Pure. */
import { formatDayInZone } from '../core/wall-clock.ts';
import { REPORT_SEVERITIES, type StatsReport } from './report.ts';
import { figureBasis, figureValues, loadLine, OUT_OF_HOURS_RULE, periodLabel, postmortemRate } from './wording.ts';

const LABEL = 18;
/** A label padded to the column, or followed by two spaces when it is wider. */
const pad = (label: string, width: number): string => (label.length + 2 > width ? `${label}  ` : label.padEnd(width));
const row = (label: string, value: string | number): string => `${pad(label, LABEL)}${value}`.trimEnd();

function serviceName(id: string | null, names: ReadonlyMap<string, string>): string {
  return id === null ? '(no service)' : (names.get(id) ?? id);
}

export function statsText(report: StatsReport, serviceNames: ReadonlyMap<string, string>): string {
  const { incidents, mtta, mttr } = report;
  const scope = report.serviceId === null ? 'all services' : `${serviceName(report.serviceId, serviceNames)} (${report.serviceId})`;
  const people = report.oncall.length ? report.oncall.map((p) => `  ${pad(p.userId, LABEL - 2)}${loadLine(p)}`) : ['  nobody was paged'];
  const weekRows = report.weeks.map((w) => `  ${pad(w.weekStart, LABEL - 2)}${REPORT_SEVERITIES.map((s) => `${s.toUpperCase()} ${String(w.counts[s]).padStart(2)}`).join('  ')}`);
  return [
    `Incident stats, ${periodLabel(report.period)}: ${formatDayInZone(report.from, report.timeZone)} to ${formatDayInZone(report.to, report.timeZone)} (${report.timeZone}), ${scope}; drills left out`,
    '',
    row('Incidents', incidents.total),
    ...REPORT_SEVERITIES.map((s) => row(`  ${s.toUpperCase()}`, incidents.bySeverity[s])),
    row('By service', incidents.byService.length ? '' : 'none'),
    ...incidents.byService.map((s) => row(`  ${serviceName(s.serviceId, serviceNames)}`, s.count)),
    row('MTTA', `${figureValues(mtta)} (${figureBasis(mtta, 'never acknowledged')})`),
    row('MTTR', `${figureValues(mttr)} (${figureBasis(mttr, 'not resolved')})`),
    row('Post-mortems', report.postmortems.rate === null ? postmortemRate(report.postmortems) : `complete for ${postmortemRate(report.postmortems)}`),
    row('Problem tickets', `${report.problems.open} open, ${report.problems.overdue} overdue`),
    row('Recurrences', report.recurrences),
    '',
    'On-call load',
    ...people,
    '',
    `Incidents per week (weeks start on Monday, ${report.timeZone})`,
    ...weekRows,
    '',
    'Median and p90 are nearest-rank: each is a duration that happened.',
    `${OUT_OF_HOURS_RULE} A page is read in the time zone of the schedule it came through, otherwise in ${report.timeZone}.`,
  ].join('\n');
}

/** The report for scripts: times as ISO 8601 (UTC), durations in milliseconds. */
export function statsJson(report: StatsReport, serviceNames: ReadonlyMap<string, string>): string {
  return JSON.stringify(
    {
      ...report,
      from: new Date(report.from).toISOString(),
      to: new Date(report.to).toISOString(),
      serviceName: report.serviceId === null ? null : serviceName(report.serviceId, serviceNames),
      oncall: report.oncall.map((p) => ({ userId: p.userId, pages: p.pages, outOfHours: p.outOfHours, nightsWoken: p.nights.length, nights: p.nights })),
    },
    null,
    2,
  );
}
