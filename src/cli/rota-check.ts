/**
 * `npx klaxon rota check [file]`: validates klaxon.yml and reports, per schedule, where nobody is on call and how
 * the load is spread over the next 12 weeks, then warns about what would page nobody or is never used. Built for
 * CI: exit 1 for a malformed file, and with `--strict` for every warning too.
 */
import type { KlaxonFile } from '../core/config.ts';
import { runCommand, type CliResult } from './args.ts';
import { formatDuration, HOUR } from '../core/duration.ts';
import { peopleToPage, resolveTargets } from '../paging/model.ts';
import { coverageGaps, loadByPerson, ROTA_HORIZON, whoIsOnCall, type Gap, type Load, type Schedule } from '../rotas/model.ts';
import { integrationServices, shapeWarnings, warningLines, type Warning } from './config-warnings.ts';
import { buildSchedules, columns, configFileOf, indent, iso, loadConfig, localTime, parseAt, plural, type Env } from './context.ts';

export const ROTA_CHECK_USAGE = `Usage: npx klaxon rota check [file] [--at TIME] [--strict] [--json]

Validates klaxon.yml (file, else KLAXON_CONFIG, else ./klaxon.yml) as the bot does at start, then reports for
each schedule, over the next 12 weeks (from now, or from --at):
  coverage  the stretches with nobody on call (local times in the schedule's zone)
  load      per person: shifts, hours, night hours (22:00-07:00), weekend hours, share of the total;
            "uneven" when the busiest person has more than 1.5x the hours of the least busy participant
and warns when no incident would ever page anyone (no services, or no escalation policies), about schedules
no escalation policy uses, policies no service uses, services without a policy (they page nobody), escalation
levels that would page nobody right now (at --at), coverage gaps, and integrations whose alerts would page
nobody: they reach a service without a policy, or one whose policy has nobody on call at any level, now or at
some time in the 12 weeks.

Options:
  --at TIME  look from another time: 2026-03-30T09:30Z, 2026-03-30T10:30+01:00, or a local time
             2026-03-30T09:30 read in klaxon.yml's top-level timezone (default: now)
  --strict   exit 1 when there is any warning (for CI)
  --json     print the report as JSON

Exit status: 0 valid, 1 invalid (or any warning with --strict), 2 usage error.`;

/** Busiest person over least busy participant above this: "uneven". */
export const UNEVEN_RATIO = 1.5;

interface ScheduleReport {
  id: string;
  timeZone: string;
  kind: string;
  handoff: string;
  shiftHours?: number;
  start: string;
  participants: string[];
  gaps: Gap[];
  load: (Load & { share: number })[];
  /** Busiest person's hours over the least busy participant's (Infinity when that is 0 and the busiest's is not). */
  ratio: number;
  uneven: boolean;
}

export function rotaCheck(argv: readonly string[], env: Env, now: number): CliResult {
  return runCommand(argv, { command: 'rota check', flags: ['json', 'strict'], options: ['at'], positionals: ['file?'] }, ROTA_CHECK_USAGE, (args) => {
    const file = configFileOf(env, args.positionals[0]);
    const config = loadConfig(file);
    const schedules = buildSchedules(config);
    const asked = args.options.get('at');
    const from = parseAt(asked, config.timezone, now);
    const to = from + ROTA_HORIZON;
    const reports = config.schedules.map((s) => scheduleReport(s, schedules.get(s.id)!, from, to));
    const when = asked === undefined ? 'right now' : `at ${localTime(from, config.timezone)}`;
    const warnings = [...reports.flatMap(gapWarnings), ...configWarnings(config, schedules, from, when), ...integrationWarnings(config, schedules, from, to, when)];
    const strict = args.flags.has('strict');
    const failed = strict && warnings.length > 0;
    const code = failed ? 1 : 0;
    if (args.flags.has('json')) {
      const json = {
        file,
        valid: true,
        ok: !failed,
        window: { from: iso(from), to: iso(to) },
        counts: { services: config.services.length, schedules: config.schedules.length, escalationPolicies: config.escalation_policies.length },
        schedules: reports.map((r) => ({
          id: r.id,
          timezone: r.timeZone,
          rotation: { kind: r.kind, handoff: r.handoff, ...(r.shiftHours !== undefined ? { shiftHours: r.shiftHours } : {}), start: r.start },
          participants: r.participants,
          gaps: r.gaps.map((g) => ({ from: iso(g.from), to: iso(g.to), fromLocal: localTime(g.from, r.timeZone), toLocal: localTime(g.to, r.timeZone), hours: round((g.to - g.from) / HOUR) })),
          load: r.load.map((l) => ({ userId: l.userId, shifts: l.shifts, hours: round(l.hours), nightHours: round(l.nightHours), weekendHours: round(l.weekendHours), sharePercent: round(l.share * 100) })),
          ratio: Number.isFinite(r.ratio) ? round(r.ratio) : null,
          uneven: r.uneven,
        })),
        warnings,
      };
      return { code, out: JSON.stringify(json, null, 2), stdout: true };
    }
    const lines = [
      `${file}: valid (${plural(config.services.length, 'service')}, ${plural(config.schedules.length, 'schedule')}, ${plural(config.escalation_policies.length, 'escalation policy', 'escalation policies')})`,
      `Looking at the 12 weeks from ${localTime(from, config.timezone)} to ${localTime(to, config.timezone)}.`,
    ];
    for (const report of reports) lines.push('', ...scheduleLines(report));
    lines.push('', ...warningLines(warnings, strict));
    return { code, out: lines.join('\n'), stdout: true };
  });
}

function scheduleReport(config: KlaxonFile['schedules'][number], schedule: Schedule, from: number, to: number): ScheduleReport {
  const participants = [...new Set(config.rotation.participants)];
  const loads = loadByPerson(schedule, from, to);
  const total = loads.reduce((sum, l) => sum + l.hours, 0);
  const busiest = Math.max(0, ...loads.map((l) => l.hours));
  const leastBusy = Math.min(...loads.filter((l) => participants.includes(l.userId)).map((l) => l.hours));
  const ratio = busiest === 0 ? 1 : leastBusy === 0 ? Number.POSITIVE_INFINITY : busiest / leastBusy;
  return {
    id: config.id,
    timeZone: schedule.timeZone,
    kind: config.rotation.kind,
    handoff: config.rotation.handoff,
    shiftHours: config.rotation.shift_hours,
    start: config.rotation.start,
    participants,
    gaps: coverageGaps(schedule, from, to),
    load: loads.map((l) => ({ ...l, share: total > 0 ? l.hours / total : 0 })),
    ratio,
    uneven: ratio > UNEVEN_RATIO,
  };
}

function scheduleLines(r: ScheduleReport): string[] {
  const rotation = `${r.kind}${r.kind === 'hours' ? ` (${r.shiftHours}h shifts)` : ''}, hands off ${r.handoff}, from ${r.start}`;
  const gapTotal = r.gaps.reduce((sum, g) => sum + g.to - g.from, 0);
  const coverage = r.gaps.length === 0 ? ['no gaps'] : [`${plural(r.gaps.length, 'gap')}, ${formatDuration(gapTotal)} with nobody on call`, ...indent(columns(r.gaps.map((g) => [localTime(g.from, r.timeZone), '->', localTime(g.to, r.timeZone), `(${formatDuration(g.to - g.from)})`])), '  ')];
  const least = r.load.filter((l) => r.participants.includes(l.userId)).at(-1);
  const busiest = r.load[0];
  const verdict =
    busiest === undefined || least === undefined
      ? 'nobody on call'
      : r.uneven
        ? `uneven: ${busiest.userId} ${busiest.hours.toFixed(1)}h vs ${least.userId} ${least.hours.toFixed(1)}h (${Number.isFinite(r.ratio) ? `${r.ratio.toFixed(1)}x` : 'never on call'}; more than ${UNEVEN_RATIO}x is uneven)`
        : `even (the busiest person has ${r.ratio.toFixed(1)}x the hours of the least busy participant)`;
  const table = columns(
    [['person', 'shifts', 'hours', 'night', 'weekend', 'share'], ...r.load.map((l) => [l.userId, String(l.shifts), l.hours.toFixed(1), l.nightHours.toFixed(1), l.weekendHours.toFixed(1), `${(l.share * 100).toFixed(1)}%`])],
    new Set([1, 2, 3, 4, 5]),
  );
  const field = (name: string, values: string[]): string[] => values.map((value, i) => `  ${(i === 0 ? name : '').padEnd(14)}${value}`.trimEnd());
  return [
    `schedule ${r.id}`,
    ...field('zone', [r.timeZone]),
    ...field('rotation', [rotation]),
    ...field('participants', [r.participants.join(', ')]),
    ...field('coverage', coverage),
    ...field('load', [verdict, ...table]),
  ];
}

function gapWarnings(r: ScheduleReport): Warning[] {
  if (r.gaps.length === 0) return [];
  const first = r.gaps[0]!;
  const total = r.gaps.reduce((sum, g) => sum + g.to - g.from, 0);
  return [{ kind: 'coverage-gap', message: `schedule ${r.id} has nobody on call for ${formatDuration(total)} in the next 12 weeks (${plural(r.gaps.length, 'gap')}, the first from ${localTime(first.from, r.timeZone)})` }];
}

/** `when` names `at` in the warnings: "right now", or the time asked about. */
function configWarnings(config: KlaxonFile, schedules: Map<string, Schedule>, at: number, when: string): Warning[] {
  const warnings = shapeWarnings(config);
  const onCall = (id: string, at: number): string | undefined => {
    const schedule = schedules.get(id);
    return schedule ? whoIsOnCall(schedule, at)?.userId : undefined;
  };
  for (const p of config.escalation_policies) {
    p.levels.forEach((level, i) => {
      if (peopleToPage(resolveTargets(level.targets, at, onCall)).length > 0) return;
      warnings.push({ kind: 'level-pages-nobody', message: `escalation policy ${p.id} level ${i + 1} would page nobody ${when} (${level.targets.join(', ')}: nobody on call)` });
    });
  }
  return warnings;
}

/**
 * Integrations whose alerts would page nobody at some time in [from, to): a service they reach has an escalation
 * policy whose every level finds nobody on call then (a level naming a person always finds someone). A service
 * without a policy is config-warnings' to report.
 */
function integrationWarnings(config: KlaxonFile, schedules: Map<string, Schedule>, from: number, to: number, when: string): Warning[] {
  const warnings: Warning[] = [];
  for (const integration of config.integrations) {
    for (const { serviceId, how } of integrationServices(integration)) {
      const policy = config.escalation_policies.find((p) => p.id === config.services.find((s) => s.id === serviceId)?.escalation_policy);
      if (policy === undefined) continue;
      const silent = policySilences(policy.levels.flatMap((l) => l.targets), schedules, from, to);
      if (silent.length === 0) continue;
      const total = silent.reduce((sum, g) => sum + g.to - g.from, 0);
      const first = silent[0]!;
      const nobody = `no level of escalation policy ${policy.id} has anyone on call`;
      const message =
        total >= to - from
          ? `integration ${integration.id}: its alerts ${how} page nobody ${when} or in the next 12 weeks: ${nobody}`
          : `integration ${integration.id}: its alerts ${how} would page nobody for ${formatDuration(total)} in the next 12 weeks (${plural(silent.length, 'stretch', 'stretches')}, the first ${first.from <= from ? `starting ${when}` : `from ${localTime(first.from, config.timezone)}`}): ${nobody} then`;
      warnings.push({ kind: 'integration-pages-nobody', message });
    }
  }
  return warnings;
}

/** The stretches of [from, to) in which targets find nobody: where every schedule named has a gap (never, when a person is named). */
function policySilences(targets: readonly string[], schedules: Map<string, Schedule>, from: number, to: number): Gap[] {
  if (targets.some((t) => t.startsWith('user:'))) return [];
  const ids = [...new Set(targets.map((t) => t.slice('schedule:'.length)))];
  return ids.reduce<Gap[]>((silent, id) => intersect(silent, coverageGaps(schedules.get(id)!, from, to)), [{ from, to }]);
}

/** Where two ordered lists of stretches overlap, in order. */
function intersect(a: readonly Gap[], b: readonly Gap[]): Gap[] {
  const out: Gap[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.from, b[j]!.from);
    const end = Math.min(a[i]!.to, b[j]!.to);
    if (start < end) out.push({ from: start, to: end });
    if (a[i]!.to < b[j]!.to) i += 1;
    else j += 1;
  }
  return out;
}

const round = (n: number): number => Math.round(n * 10) / 10;
