/**
 * `npx klaxon page-trace <service> [--at TIME]`: what would happen if an incident were declared for the service
 * at that time and nobody acknowledged. Every step comes from traceEscalation, the function the escalation
 * engine follows, with the same schedules (klaxon.yml and the overrides made in Slack).
 */
import { runAsyncCommand, CliFailure, type CliResult } from './args.ts';
import { formatDuration } from '../core/duration.ts';
import { describePosition, policySnapshot, traceEscalation, type TraceStep } from '../paging/model.ts';
import { whoIsOnCall } from '../rotas/model.ts';
import { buildSchedules, columns, configFileOf, iso, loadConfig, localTime, parseAt, plural, readSlackOverrides, unknownService, type Env } from './context.ts';

export const PAGE_TRACE_USAGE = `Usage: npx klaxon page-trace <service> [--at TIME] [--strict] [--no-db] [--json]

What would happen if an incident were declared for <service> at that time and nobody acknowledged: every step
of its escalation policy (levels, then repeats) with its time, who each target pages, and when the policy is
exhausted (the incident channel and INCIDENTS_CHANNEL are then alerted). A step that pages nobody is flagged:
the engine moves on at once instead of waiting for its timeout. Times are in klaxon.yml's top-level timezone.

Options:
  --at TIME  declare at another time: 2026-03-30T09:30Z, 2026-03-30T10:30+01:00, or a local time
             2026-03-30T09:30 read in klaxon.yml's top-level timezone (default: now)
  --strict   exit 1 when any step pages nobody (for CI)
  --no-db    leave out the overrides made in Slack (read from KLAXON_DB, default ./data/klaxon.db, when the
             file exists, or a postgres:// URL; the database is only read, never created or migrated)
  --json     print the trace as JSON

Exit status: 0 traced, 1 unknown service, a service without escalation policy, an unreadable klaxon.yml or
database, or (with --strict) a step that pages nobody; 2 usage error.`;

const EXHAUSTED = 'the channel and INCIDENTS_CHANNEL are alerted';
const PAGES_NOBODY = '!! pages nobody (escalates at once)';

export function pageTrace(argv: readonly string[], env: Env, now: number): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'page-trace', flags: ['json', 'strict', 'no-db'], options: ['at'], positionals: ['service'] }, PAGE_TRACE_USAGE, async (args) => {
    const config = loadConfig(configFileOf(env));
    const at = parseAt(args.options.get('at'), config.timezone, now);
    const serviceId = args.positionals[0]!;
    const service = config.services.find((s) => s.id === serviceId);
    if (service === undefined) throw unknownService(serviceId, config);
    const policyConfig = config.escalation_policies.find((p) => p.id === service.escalation_policy);
    if (policyConfig === undefined) throw new CliFailure(1, `service ${service.id} has no escalation policy: an incident declared for it pages nobody`);
    const slack = await readSlackOverrides(env, config, at, args.flags.has('no-db'));
    const schedules = buildSchedules(config, slack.overrides);
    const onCall = (scheduleId: string, when: number): string | undefined => {
      const schedule = schedules.get(scheduleId);
      return schedule ? whoIsOnCall(schedule, when)?.userId : undefined;
    };
    const { steps, exhaustedAt } = traceEscalation(policySnapshot(policyConfig), at, onCall);
    const empty = steps.filter((s) => s.empty).length;
    const failed = empty > 0 && args.flags.has('strict');
    const code = failed ? 1 : 0;
    const zone = config.timezone;
    if (args.flags.has('json')) {
      const json = {
        service: service.id,
        policy: policyConfig.id,
        at: iso(at),
        atLocal: localTime(at, zone),
        timezone: zone,
        slackOverrides: slack.overrides?.length ?? null,
        steps: steps.map((s) => traceStepJson(s, at, zone)),
        exhaustedAt: iso(exhaustedAt),
        exhaustedAtLocal: localTime(exhaustedAt, zone),
        exhaustedOffset: offset(exhaustedAt - at),
        stepsPagingNobody: empty,
        ok: !failed,
      };
      return { code, out: JSON.stringify(json, null, 2), stdout: true };
    }
    const repeat = policyConfig.repeat === 0 ? 'no repeat' : policyConfig.repeat === 1 ? 'repeats once' : `repeats ${policyConfig.repeat} times`;
    const rows = [...steps.flatMap((s) => traceStepRows(s, at, zone)), [offset(exhaustedAt - at), `exhausted at ${localTime(exhaustedAt, zone)}: ${EXHAUSTED}`]];
    const lines = [
      `Page trace: an incident for ${service.id} (${service.name}) declared at ${localTime(at, zone)}, nobody acknowledging`,
      `escalation policy ${policyConfig.id}: ${plural(policyConfig.levels.length, 'level')}, ${repeat} (${slack.note})`,
      '',
      ...columns(rows).map((line) => `  ${line}`),
      '',
      empty === 0 ? `Every step pages someone; exhausted after ${formatDuration(exhaustedAt - at)}.` : `!! ${plural(empty, 'step')} of ${steps.length} page${empty === 1 ? 's' : ''} nobody${failed ? ': failing because of --strict' : ''}.`,
    ];
    return { code, out: lines.join('\n'), stdout: true };
  });
}

/** A step of the trace as --json gives it, `start` being when the trace starts. */
export function traceStepJson(s: TraceStep, start: number, zone: string) {
  return {
    at: iso(s.at),
    atLocal: localTime(s.at, zone),
    offset: offset(s.at - start),
    offsetMs: s.at - start,
    level: s.level + 1,
    repeat: s.loop,
    position: describePosition(s),
    targets: s.resolved.map((r) => ({ target: r.target, userIds: r.userIds })),
    pagesNobody: s.empty,
  };
}

/** A step of the trace as table rows: one per target. */
export function traceStepRows(step: TraceStep, start: number, zone: string): string[][] {
  return step.resolved.map((r, i) => {
    const who = r.userIds.length ? r.userIds.join(', ') : 'nobody';
    if (i > 0) return ['', '', '', r.target, who];
    return [offset(step.at - start), localTime(step.at, zone), describePosition(step), r.target, who, ...(step.empty ? [PAGES_NOBODY] : [])];
  });
}

/** "+0m", "+5m", "+1h 15m": how long after the trace starts. */
function offset(ms: number): string {
  return ms === 0 ? '+0m' : `+${formatDuration(ms)}`;
}
