/**
 * `/incident stats`: reads the period's rows, reads the paged people's time zones from their Slack profiles,
 * and answers with the report. The chart goes to the asker's DM after the answer (so the acknowledgement never
 * waits for rendering or uploading); if it cannot be sent, the asker is told.
 */
import type { KlaxonFile } from '../core/config.ts';
import { errorMessage } from '../core/errors.ts';
import { uploadFile } from '../core/file-upload.ts';
import type { Kit } from '../core/kit.ts';
import { escape } from '../core/mrkdwn.ts';
import type { KnownBlock } from '@slack/types';
import type { StatsRequest } from './args.ts';
import { statsBlocks } from './blocks.ts';
import { incidentsPerWeekChart } from './chart.ts';
import { pagedPeople, periodStart, statsReport, type StatsReport } from './report.ts';
import { statsRows } from './store.ts';
import { chartTitle, periodLabel } from './wording.ts';

export interface StatsDeps extends Pick<Kit, 'db' | 'clock' | 'slack' | 'logger'> {
  profiles: { timeZone(userId: string): Promise<string> };
  file: Pick<KlaxonFile, 'timezone' | 'services' | 'schedules'>;
}

export const CHART_FILENAME = 'incidents-per-week.png';

export function serviceNamesOf(file: Pick<KlaxonFile, 'services'>): Map<string, string> {
  return new Map(file.services.map((s) => [s.id, s.name]));
}

export function scheduleZonesOf(file: Pick<KlaxonFile, 'timezone' | 'schedules'>): Map<string, string> {
  return new Map(file.schedules.map((s) => [s.id, s.timezone ?? file.timezone]));
}

export async function statsAnswer(deps: StatsDeps, askerId: string, request: StatsRequest, responseUrl: string): Promise<{ text: string; blocks: KnownBlock[] }> {
  const now = deps.clock.now();
  const options = { period: request.period, now, serviceId: request.serviceId };
  const rows = await statsRows(deps.db, periodStart(request.period, now), now);
  const people = pagedPeople(rows, options);
  const zones = await Promise.all(people.map(async (userId) => [userId, await deps.profiles.timeZone(userId)] as const));
  const report = statsReport(rows, { ...options, zones: { report: deps.file.timezone, people: new Map(zones), schedules: scheduleZonesOf(deps.file) } });
  const names = serviceNamesOf(deps.file);
  const chart = report.incidents.total > 0 ? 'dm' : 'none';
  // setImmediate runs after the router has acknowledged with this answer: rendering and uploading never delay it.
  if (chart === 'dm') setImmediate(() => void sendChart(deps, askerId, report, names, responseUrl));
  return statsBlocks(report, { serviceNames: names, chart });
}

/** Renders the chart and shares it in the asker's DM with Klaxon; a failure is logged and told to the asker. */
export async function sendChart(deps: Pick<StatsDeps, 'slack' | 'logger'>, askerId: string, report: StatsReport, names: ReadonlyMap<string, string>, responseUrl: string): Promise<void> {
  const serviceName = report.serviceId === null ? undefined : (names.get(report.serviceId) ?? report.serviceId);
  const title = chartTitle(report, serviceName);
  try {
    const png = incidentsPerWeekChart(report.weeks, title);
    const im = await deps.slack.call('conversations.open', { users: askerId });
    const channel = (im.channel as { id: string }).id;
    await uploadFile(deps.slack, {
      channel,
      filename: CHART_FILENAME,
      title,
      content: png,
      altText: `Bar chart: ${title}, ${report.incidents.total} incidents over ${report.weeks.length} weeks.`,
      comment: `Incidents per week by severity, ${periodLabel(report.period)}${serviceName ? ` (${escape(serviceName)})` : ''}: the chart for your \`/incident stats\`.`,
    });
  } catch (error) {
    deps.logger.warn('could not send the stats chart', { user: askerId, error: errorMessage(error) });
    await tellChartFailed(deps, askerId, responseUrl, errorMessage(error));
  }
}

async function tellChartFailed(deps: Pick<StatsDeps, 'slack' | 'logger'>, askerId: string, responseUrl: string, reason: string): Promise<void> {
  const text = `The chart of incidents per week could not be sent to your DM (${escape(reason)}). The figures in the answer are complete; run \`/incident stats\` again for the chart.`;
  try {
    await deps.slack.respond(responseUrl, { response_type: 'ephemeral', replace_original: false, text });
  } catch {
    try {
      await deps.slack.call('chat.postMessage', { channel: askerId, text });
    } catch (error) {
      deps.logger.warn('could not tell the asker that the stats chart failed', { user: askerId, error: errorMessage(error) });
    }
  }
}
