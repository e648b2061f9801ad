/**
 * `npx klaxon alerts`: the alert groups still open (firing or acknowledged), newest first, from the database,
 * read-only: what `/incident alerts` shows in Slack.
 */
import { alertRef } from '../core/alert-ref.ts';
import { DEFAULT_DB_FILE } from '../core/config.ts';
import { incidentRef } from '../core/incident-ref.ts';
import { truncate } from '../core/mrkdwn.ts';
import type { OpenAlert } from '../alerts/index.ts';
import { runAsyncCommand, type CliResult } from './args.ts';
import { columns, configFileOf, iso, localTime, readConfigFile, withDatabase, type Env } from './context.ts';

export const ALERTS_USAGE = `Usage: npx klaxon alerts [--json]

Lists the open alerts from the database (KLAXON_DB, default ${DEFAULT_DB_FILE}), read-only, newest first: each
alert group (ALERT-n: what one page is about) still firing or acknowledged, with its service and urgency, how
many alerts it holds (and how many of them still fire), how many more an alert storm folded into it, since when
it fires and who acknowledged it. Times are in klaxon.yml's top-level timezone. /incident alerts shows the same
in Slack; npx klaxon alerts test <integration> shows what an integration's alert would do.

Options:
  --json  print {"open", "alerts": [{"ref", "id", "status", "integration", "service", "serviceName", "urgency",
          "title", "alerts", "firing", "folded", "firingSince", "openedAt", "acknowledgedBy", "acknowledgedAt",
          "incident", "channel", "ts"}]} (times in UTC, ISO 8601)

Exit status: 0 listed (also when nothing is open), 1 no database or an unreadable klaxon.yml, 2 usage error.`;

/** Titles are the monitoring tool's text: cut, and without control characters that would steer the terminal. */
const TITLE_MAX = 80;

export function alertsList(argv: readonly string[], env: Env): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'alerts', flags: ['json'] }, ALERTS_USAGE, async (args) => {
    const { config } = readConfigFile(configFileOf(env));
    // Loaded when used: the feature's stores (and drizzle) are not needed for --help.
    const { openAlerts } = await import('../alerts/index.ts');
    const open = await withDatabase(env, (database) => openAlerts(database.db, config.services));
    if (args.flags.has('json')) return { code: 0, out: JSON.stringify({ open: open.length, alerts: open.map(alertJson) }, null, 2) };
    if (open.length === 0) return { code: 0, out: 'No open alerts: nothing from monitoring is firing or acknowledged.' };
    const zone = config.timezone;
    const firing = open.filter((g) => g.status === 'firing').length;
    const rows = [
      ['alert', 'status', 'service', 'urgency', 'alerts', 'folded', 'firing since', 'acknowledged by', 'title'],
      ...open.map((g) => [
        alertRef(g.id),
        g.status,
        g.serviceId ?? 'none',
        g.urgency,
        `${g.alerts}${g.firing < g.alerts ? ` (${g.firing} firing)` : ''}`,
        String(g.folded),
        localTime(g.firingSince, zone),
        g.acknowledgedBy ?? '-',
        `${inert(truncate(g.title, TITLE_MAX))}${g.incidentId !== null ? ` (${incidentRef(g.incidentId)})` : ''}`,
      ]),
    ];
    const heading = `${open.length} open alert${open.length === 1 ? '' : 's'} (${firing} firing, ${open.length - firing} acknowledged), newest first; times in ${zone}`;
    return { code: 0, out: [heading, '', ...columns(rows, new Set([5])).map((line) => `  ${line}`)].join('\n') };
  });
}

function alertJson(g: OpenAlert) {
  return {
    ref: alertRef(g.id),
    id: g.id,
    status: g.status,
    integration: g.integrationId,
    service: g.serviceId,
    serviceName: g.serviceName,
    urgency: g.urgency,
    title: g.title,
    alerts: g.alerts,
    firing: g.firing,
    folded: g.folded,
    firingSince: iso(g.firingSince),
    openedAt: iso(g.openedAt),
    acknowledgedBy: g.acknowledgedBy,
    acknowledgedAt: g.acknowledgedAt === null ? null : iso(g.acknowledgedAt),
    incident: g.incidentId === null ? null : incidentRef(g.incidentId),
    channel: g.channelId,
    ts: g.channelTs,
  };
}

/** Control characters (an escape sequence in an alert's title) shown as U+FFFD instead of reaching the terminal. */
function inert(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, '\uFFFD');
}
