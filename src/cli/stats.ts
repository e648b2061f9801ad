/** `npx klaxon stats`: the figures of `/incident stats` from the database, read-only, as text or JSON, and the chart. */
import { writeFileSync } from 'node:fs';
import { DEFAULT_DB_FILE, loadKlaxonFile } from '../core/config.ts';
import { errorMessage } from '../core/errors.ts';
import { badPeriod, chartTitle, DEFAULT_PERIOD, incidentsPerWeekChart, isPeriod, periodStart, scheduleZonesOf, serviceNamesOf, statsJson, statsReport, statsRows, statsText } from '../stats/index.ts';
import { CliFailure, runAsyncCommand, UsageError, type CliResult } from './args.ts';
import { configFileOf, unknownService, withDatabase, type Env } from './context.ts';

export const STATS_USAGE = `Usage: npx klaxon stats [--period 7d|30d|90d] [--service ID] [--json] [--chart FILE.png]

Prints the figures of /incident stats from the database (KLAXON_DB, default ${DEFAULT_DB_FILE}), read-only,
over the last 7, 30 (default) or 90 days up to now, drills left out: incidents by severity and by service,
MTTA and MTTR (median and p90, nearest-rank), post-mortem completion, open and overdue problem tickets,
recurrences, on-call load per person and incidents per week (weeks start on Monday in klaxon.yml's timezone).

Time zones: without Slack, people's own zones are unknown, so "out of hours" (outside Mon-Fri 09:00-18:00)
and "nights woken" (a page between 22:00 and 07:00) are read in the time zone of the schedule the page came
through (klaxon.yml schedules), otherwise in klaxon.yml's timezone. /incident stats uses each person's Slack
time zone instead.

Options:
  --period   7d, 30d or 90d (default ${DEFAULT_PERIOD})
  --service  one service id from klaxon.yml
  --json     print the report as JSON (times in UTC, ISO 8601; durations in milliseconds)
  --chart    also write the chart of incidents per week by severity to this PNG file

Exit status: 0 printed, 1 no database or unknown service, 2 usage error.`;

export function stats(argv: readonly string[], env: Env, now: number): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'stats', flags: ['json'], options: ['period', 'service', 'chart'] }, STATS_USAGE, async (args) => {
    const period = args.options.get('period') ?? DEFAULT_PERIOD;
    if (!isPeriod(period)) throw new UsageError(`--period ${badPeriod(period).replace(/\.$/, '')}`);
    const file = loadKlaxonFile(configFileOf(env)).config;
    const serviceId = args.options.get('service') ?? null;
    if (serviceId !== null && !file.services.some((s) => s.id === serviceId)) throw unknownService(serviceId, file);
    const rows = await withDatabase(env, (database) => statsRows(database.db, periodStart(period, now), now));
    const report = statsReport(rows, { period, now, serviceId, zones: { report: file.timezone, schedules: scheduleZonesOf(file) } });
    const names = serviceNamesOf(file);
    const chartFile = args.options.get('chart');
    if (chartFile !== undefined) {
      const serviceName = serviceId === null ? undefined : names.get(serviceId);
      try {
        writeFileSync(chartFile, incidentsPerWeekChart(report.weeks, chartTitle(report, serviceName)));
      } catch (error) {
        throw new CliFailure(1, `${chartFile}: cannot write the chart (${errorMessage(error)})`);
      }
    }
    if (args.flags.has('json')) return { code: 0, out: statsJson(report, names) };
    return { code: 0, out: `${statsText(report, names)}${chartFile === undefined ? '' : `\n\nChart written to ${chartFile}`}` };
  });
}
