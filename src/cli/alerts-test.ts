/**
 * `npx klaxon alerts test <integration> [--at TIME]`: what a firing alert from the integration would do, without
 * doing it. A realistic sample of its kind goes through the parser and the routing `POST /alerts/<id>` uses, and
 * the paging is traced with the functions the escalation engine follows, on the same schedules (klaxon.yml and
 * the overrides made in Slack): nothing is recorded, nobody is paged, no Slack message is posted.
 */
import { runAsyncCommand, CliFailure, UsageError, type CliResult } from './args.ts';
import type { IntegrationConfig, KlaxonFile } from '../core/config.ts';
import { formatDuration } from '../core/duration.ts';
import { alertDryRun, type AlertDryRun } from '../alerts/model.ts';
import { describePosition } from '../paging/model.ts';
import { whoIsOnCall } from '../rotas/model.ts';
import { buildSchedules, columns, configFileOf, iso, loadConfig, localTime, parseAt, plural, readSlackOverrides, type Env } from './context.ts';
import { traceStepJson, traceStepRows } from './page-trace.ts';

export const ALERTS_TEST_USAGE = `Usage: npx klaxon alerts test <integration> [--at TIME] [--labels NAME=VALUE,…] [--strict] [--no-db] [--json]

A dry run of an integration in klaxon.yml: builds a realistic firing alert of its kind (an Alertmanager webhook
payload version 4, a Grafana webhook contact point body, or the generic JSON), reads it with the parser
POST /alerts/<integration> uses, routes it by the integration's rules, and prints what would happen: the alert
as read (title, labels, links), the service it pages and at what urgency (and which rule decided), the channel
its message would be posted in (the service's alerts_channel, else INCIDENTS_CHANNEL, else none), and the
escalation policy's levels with who is on call at each when it is reached, as the escalation engine would
page them if nobody acknowledged.

It is a dry run, not a request to the endpoint: nothing is recorded, nobody is paged and nothing is posted,
so it is safe against a running Klaxon. The sample is taken as a new alert (an alert already open with the
same identity would only be updated, and a storm folds new alerts into an open one). To send it for real,
post its body: npx klaxon alerts test <integration> --json | jq .body | curl -H "Authorization: Bearer $TOKEN"
-H 'content-type: application/json' --data-binary @- https://klaxon.example.com/alerts/<integration>

Options:
  --at TIME  fire at another time: 2026-03-30T09:30Z, 2026-03-30T10:30+01:00, or a local time 2026-03-30T09:30
             read in klaxon.yml's top-level timezone (default: now)
  --labels   change the sample's labels to try the integration's routes: team=search,severity=warning (a label
             given no value is left out: severity=)
  --strict   exit 1 when the alert would page nobody (for CI)
  --no-db    leave out the overrides made in Slack (read from KLAXON_DB, default ./data/klaxon.db, when the
             file exists, or a postgres:// URL; the database is only read, never created or migrated)
  --json     print the dry run as JSON, with the sample "body"

Exit status: 0 done, 1 unknown integration, an unreadable klaxon.yml or database, or (with --strict) an alert
that would page nobody; 2 usage error.`;

const KIND_NAMES: Record<IntegrationConfig['kind'], string> = { alertmanager: 'Alertmanager', grafana: 'Grafana', generic: 'generic' };
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function alertsTest(argv: readonly string[], env: Env, now: number): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'alerts test', flags: ['json', 'strict', 'no-db'], options: ['at', 'labels'], positionals: ['integration'] }, ALERTS_TEST_USAGE, async (args) => {
    const config = loadConfig(configFileOf(env));
    const at = parseAt(args.options.get('at'), config.timezone, now);
    const labels = parseLabels(args.options.get('labels'));
    const integration = findIntegration(config, args.positionals[0]!);
    const slack = await readSlackOverrides(env, config, at, args.flags.has('no-db'));
    const schedules = buildSchedules(config, slack.overrides);
    const onCall = (scheduleId: string, when: number): string | undefined => {
      const schedule = schedules.get(scheduleId);
      return schedule ? whoIsOnCall(schedule, when)?.userId : undefined;
    };
    const run = alertDryRun(config, integration, at, { labels, incidentsChannel: env.INCIDENTS_CHANNEL || undefined, onCall });
    const failed = run.pagesNobody && args.flags.has('strict');
    const code = failed ? 1 : 0;
    const zone = config.timezone;
    if (args.flags.has('json')) return { code, out: JSON.stringify(dryRunJson(run, at, zone, slack.overrides?.length ?? null, !failed), null, 2), stdout: true };
    const lines = [
      `Dry run: a sample ${KIND_NAMES[integration.kind]} alert from ${integration.id}, firing at ${localTime(at, zone)}`,
      `Read and routed as POST /alerts/${integration.id} would; nothing recorded, nobody paged (${slack.note})`,
      '',
      ...fieldLines(run),
      ...escalationLines(run, at, zone),
      '',
      verdict(run, at, zone) + (failed ? ': failing because of --strict.' : '.'),
    ];
    return { code, out: lines.join('\n'), stdout: true };
  });
}

/** `--labels team=search,severity=warning`: label names as Prometheus allows them; an empty value leaves the label out. */
function parseLabels(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  const labels: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair.trim() : pair.slice(0, eq).trim();
    if (eq < 0 || !LABEL_NAME.test(name)) throw new UsageError(`--labels ${JSON.stringify(text)}: ${JSON.stringify(pair)} is not a label such as team=search (names: letters, digits and _, not starting with a digit)`);
    labels[name] = pair.slice(eq + 1).trim();
  }
  return labels;
}

function findIntegration(config: KlaxonFile, id: string): IntegrationConfig {
  const integration = config.integrations.find((i) => i.id === id);
  if (integration) return integration;
  const known = config.integrations.map((i) => i.id);
  throw new CliFailure(1, `unknown integration ${JSON.stringify(id)} (${known.length ? `known: ${known.join(', ')}` : 'klaxon.yml lists no integrations: add one under integrations:, README.md "Alerts from monitoring" shows how'})`);
}

function fieldLines(run: AlertDryRun): string[] {
  const { alert, route, integration } = run;
  const links = [
    ...(alert.sourceUrl ? [`source     ${alert.sourceUrl}`] : []),
    ...(alert.runbookUrl ? [`runbook    ${alert.runbookUrl}`] : []),
    ...(alert.dashboardUrl ? [`dashboard  ${alert.dashboardUrl}`] : []),
  ];
  const rule = route.index === undefined ? undefined : integration.routes[route.index]!;
  const ruleName = rule ? `routes[${route.index}] (${matchText(rule.match)})` : '';
  const serviceName = run.service ? `${route.serviceId} (${run.service.name})` : route.serviceId;
  const why = rule?.service !== undefined ? `${ruleName} matched` : rule ? `${ruleName} matched and keeps the integration's service` : integration.routes.length ? "no route matched, so the integration's service" : "the integration's service";
  const severity = alert.labels.severity;
  const urgency = route.urgencyFrom === 'route' ? `${route.urgency}: set by ${ruleName}` : `${route.urgency}: ${severity === undefined ? 'the alert has no severity label' : `from severity=${severity}`}`;
  const channel = run.channel
    ? `${run.channel.id} (${run.channel.from === 'alerts_channel' ? "the service's alerts_channel" : `INCIDENTS_CHANNEL: ${route.serviceId} has no alerts_channel`})`
    : `none: ${route.serviceId} has no alerts_channel and INCIDENTS_CHANNEL is not set, so its message is posted nowhere`;
  const policy = run.escalation ? `${run.escalation.policy.id}: ${plural(run.escalation.policy.levels.length, 'level')}, ${repeats(run.escalation.policy.repeat)}` : `none: service ${route.serviceId} has no escalation policy`;
  const fields: [string, string[]][] = [
    ['title', [alert.summary]],
    ['labels', [Object.entries(alert.labels).map(([name, value]) => `${name}=${value}`).join(' ') || '(none)']],
    ['links', links.length ? links : ['(none)']],
    ['service', [`${serviceName}: ${why}`]],
    ['urgency', [urgency]],
    ['channel', [channel]],
    ['policy', [policy]],
  ];
  return fields.flatMap(([name, values]) => values.map((value, i) => `  ${(i === 0 ? name : '').padEnd(9)}${value}`));
}

/** The first pass through the policy's levels: who each level pages, and when it is reached. */
function escalationLines(run: AlertDryRun, at: number, zone: string): string[] {
  if (!run.escalation) return [];
  const steps = run.escalation.steps.filter((s) => s.loop === 0);
  const rows = steps.flatMap((s) => traceStepRows(s, at, zone));
  return ['', ...columns(rows).map((line) => `  ${line}`)];
}

function verdict(run: AlertDryRun, at: number, zone: string): string {
  const service = run.route.serviceId;
  if (!run.escalation) return `!! It would page nobody: service ${service} has no escalation policy (the alert would still be recorded${run.channel ? ` and posted in ${run.channel.id}` : ''})`;
  const { policy, steps, exhaustedAt } = run.escalation;
  if (run.pagesNobody) return `!! It would page nobody: no level of escalation policy ${policy.id} has anyone on call at ${localTime(at, zone)}`;
  const first = steps.find((s) => !s.empty)!;
  const people = [...new Set(first.resolved.flatMap((r) => r.userIds))].join(', ');
  const when = first.at === at ? 'at once' : `after ${formatDuration(first.at - at)}`;
  return `It would page ${people} ${when} (${describePosition(first)}); unacknowledged, the policy is exhausted after ${formatDuration(exhaustedAt - at)} (npx klaxon page-trace ${service} shows every step)`;
}

function dryRunJson(run: AlertDryRun, at: number, zone: string, slackOverrides: number | null, ok: boolean) {
  const { alert, route, escalation } = run;
  return {
    dryRun: true,
    integration: run.integration.id,
    kind: run.integration.kind,
    at: iso(at),
    atLocal: localTime(at, zone),
    timezone: zone,
    slackOverrides,
    alert: {
      title: alert.summary,
      status: alert.status,
      fingerprint: alert.fingerprint,
      groupKey: run.groupKey,
      labels: alert.labels,
      annotations: alert.annotations,
      sourceUrl: alert.sourceUrl ?? null,
      runbookUrl: alert.runbookUrl ?? null,
      dashboardUrl: alert.dashboardUrl ?? null,
    },
    route: { matched: route.index ?? null, match: route.index === undefined ? null : run.integration.routes[route.index]!.match, service: route.serviceId, serviceName: run.service?.name ?? null, urgency: route.urgency, urgencyFrom: route.urgencyFrom },
    channel: run.channel ? { id: run.channel.id, from: run.channel.from } : null,
    policy: escalation?.policy.id ?? null,
    steps: (escalation?.steps ?? []).map((s) => traceStepJson(s, at, zone)),
    exhaustedAt: escalation ? iso(escalation.exhaustedAt) : null,
    pagesNobody: run.pagesNobody,
    ok,
    body: run.body,
  };
}

function matchText(match: Record<string, string>): string {
  return Object.entries(match)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

function repeats(n: number): string {
  return n === 0 ? 'no repeat' : n === 1 ? 'repeats once' : `repeats ${n} times`;
}

