/**
 * `npx klaxon oncall [service] [--at TIME]`: who is on call now (or at --at) for one service or every service:
 * each level of its escalation policy with each target resolved to a person, until when, and who is next; times
 * in each schedule's zone. Overrides made in Slack are included when the database exists.
 */
import type { KlaxonFile, ServiceConfig } from '../core/config.ts';
import { formatInZone } from '../core/wall-clock.ts';
import { runAsyncCommand, type CliResult } from './args.ts';
import { onCallBetween, ROTA_HORIZON, whoIsOnCall, type Schedule } from '../rotas/model.ts';
import { buildSchedules, columns, configFileOf, iso, loadConfig, localTime, parseAt, readSlackOverrides, unknownService, type Env } from './context.ts';

export const ONCALL_USAGE = `Usage: npx klaxon oncall [service] [--at TIME] [--no-db] [--json]

Who is on call for one service or every service in klaxon.yml (KLAXON_CONFIG, default ./klaxon.yml): each level
of the service's escalation policy, each target resolved to a person, until when, and who is next. Times are
shown in each schedule's zone.

Options:
  --at TIME  ask about another time: 2026-03-30T09:30Z, 2026-03-30T10:30+01:00, or a local time
             2026-03-30T09:30 read in klaxon.yml's top-level timezone (default: now)
  --no-db    leave out the overrides made in Slack (read from KLAXON_DB, default ./data/klaxon.db, when the
             file exists, or a postgres:// URL; the database is only read, never created or migrated)
  --json     print the answer as JSON

Exit status: 0 answered, 1 unknown service or unreadable klaxon.yml or database, 2 usage error.`;

export interface TargetOnCall {
  target: string;
  /** The person it pages at that time; undefined when a schedule has nobody on call. */
  userId?: string;
  /** For schedules. */
  scheduleId?: string;
  timeZone?: string;
  /** When the current stretch ends (undefined: no handoff within 12 weeks, or nobody on call). */
  until?: number;
  /** Who is on call after this stretch (or, when nobody is on call, the next person), and from when. */
  next?: { userId: string; from: number };
  /** The stretch is an override: made in klaxon.yml or in Slack. */
  override?: 'file' | 'slack';
}

export interface ServiceLevels {
  service: ServiceConfig;
  policy?: { id: string; repeat: number; levels: { timeout: string; targets: TargetOnCall[] }[] };
}

export function oncall(argv: readonly string[], env: Env, now: number): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'oncall', flags: ['json', 'no-db'], options: ['at'], positionals: ['service?'] }, ONCALL_USAGE, async (args) => {
    const config = loadConfig(configFileOf(env));
    const at = parseAt(args.options.get('at'), config.timezone, now);
    const wanted = args.positionals[0];
    const service = wanted === undefined ? undefined : config.services.find((s) => s.id === wanted);
    if (wanted !== undefined && service === undefined) throw unknownService(wanted, config);
    const slack = await readSlackOverrides(env, config, at, args.flags.has('no-db'));
    const schedules = buildSchedules(config, slack.overrides);
    const answers = (service ? [service] : config.services).map((s) => serviceLevels(s, config, schedules, at));
    if (args.flags.has('json')) {
      const json = {
        at: iso(at),
        atLocal: localTime(at, config.timezone),
        slackOverrides: slack.overrides?.length ?? null,
        services: answers.map(({ service: s, policy }) => ({
          id: s.id,
          name: s.name,
          policy: policy?.id ?? null,
          repeat: policy?.repeat ?? null,
          levels: (policy?.levels ?? []).map((level, i) => ({
            level: i + 1,
            timeout: level.timeout,
            targets: level.targets.map((t) => ({
              target: t.target,
              userId: t.userId ?? null,
              ...(t.scheduleId !== undefined
                ? { timezone: t.timeZone, until: t.until === undefined ? null : iso(t.until), untilLocal: t.until === undefined ? null : formatInZone(t.until, t.timeZone!), next: t.next ? { userId: t.next.userId, from: iso(t.next.from) } : null, override: t.override ?? null }
                : {}),
            })),
          })),
        })),
      };
      return { code: 0, out: JSON.stringify(json, null, 2) };
    }
    const lines = [`On call at ${localTime(at, config.timezone)} (${slack.note})`];
    if (answers.length === 0) lines.push('', 'klaxon.yml lists no services.');
    for (const answer of answers) lines.push('', ...serviceLines(answer));
    return { code: 0, out: lines.join('\n') };
  });
}

export function serviceLevels(service: ServiceConfig, config: KlaxonFile, schedules: Map<string, Schedule>, at: number): ServiceLevels {
  const policy = config.escalation_policies.find((p) => p.id === service.escalation_policy);
  if (policy === undefined) return { service };
  return {
    service,
    policy: { id: policy.id, repeat: policy.repeat, levels: policy.levels.map((level) => ({ timeout: level.timeout, targets: level.targets.map((t) => targetOnCall(t, schedules, at)) })) },
  };
}

export function targetOnCall(target: string, schedules: Map<string, Schedule>, at: number): TargetOnCall {
  if (target.startsWith('user:')) return { target, userId: target.slice('user:'.length) };
  const scheduleId = target.slice('schedule:'.length);
  const schedule = schedules.get(scheduleId)!;
  const segment = whoIsOnCall(schedule, at);
  // Stretches merge touching shifts and overrides of the same person, so the first one after this is somebody else.
  const stretches = onCallBetween(schedule, at, at + ROTA_HORIZON);
  const current = segment ? stretches[0] : undefined;
  const following = stretches[segment ? 1 : 0];
  return {
    target,
    scheduleId,
    timeZone: schedule.timeZone,
    userId: segment?.userId,
    until: current ? (following || current.end < at + ROTA_HORIZON ? current.end : undefined) : following?.start,
    next: following ? { userId: following.userId, from: following.start } : undefined,
    override: segment?.override?.source,
  };
}

function serviceLines({ service, policy }: ServiceLevels): string[] {
  const title = `${service.id} (${service.name})`;
  if (policy === undefined) return [`${title}: no escalation policy, so an incident for it pages nobody`];
  const rows = policy.levels.flatMap((level, i) => level.targets.map((t, j) => [j === 0 ? `level ${i + 1} (${level.timeout})` : '', t.target, t.userId ?? 'nobody', targetWhen(t)]));
  const repeat = policy.repeat === 0 ? 'no repeat' : policy.repeat === 1 ? 'repeats once' : `repeats ${policy.repeat} times`;
  return [`${title}: escalation policy ${policy.id}, ${repeat}`, ...columns(rows).map((line) => `  ${line}`)];
}

function targetWhen(t: TargetOnCall): string {
  if (t.scheduleId === undefined) return '';
  const when = (at: number): string => formatInZone(at, t.timeZone!);
  const marker = t.override === 'slack' ? 'covering (override made in Slack) ' : t.override === 'file' ? 'covering (override in klaxon.yml) ' : '';
  if (t.userId === undefined) return t.next ? `until ${when(t.next.from)}, then ${t.next.userId}` : 'for the next 12 weeks at least';
  if (t.until === undefined) return `${marker}with no handoff in the next 12 weeks`;
  const next = t.next === undefined ? ', then nobody' : t.next.from > t.until ? `, then nobody until ${when(t.next.from)}, then ${t.next.userId}` : `, then ${t.next.userId}`;
  return `${marker}until ${when(t.until)}${next}`;
}
