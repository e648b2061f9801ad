/**
 * `/incident oncall [service]`: who is on call now and next for each service's escalation levels, the
 * overrides coming up, and signed calendar links, with times in the asker's zone.
 */
import type { KlaxonFile } from '../core/config.ts';
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { escape } from '../core/mrkdwn.ts';
import { signedLink } from '../core/signed-links.ts';
import type { UserProfiles } from '../core/user-profiles.ts';
import type { OnCallAnswer, ServiceOnCall, TargetNow, UpcomingOverride } from './oncall-blocks.ts';
import type { Rotas } from './rotas.ts';
import { WEEK } from '../core/duration.ts';

export interface OnCallAnswerDeps extends Pick<Kit, 'clock' | 'linkSecret'> {
  rotas: Rotas;
  file: KlaxonFile;
  /** Read while a person waits (kit.profilesNow). */
  profiles: UserProfiles;
  publicUrl: string;
}


export async function onCallAnswer(deps: OnCallAnswerDeps, askerId: string, serviceArg: string): Promise<OnCallAnswer> {
  const now = deps.clock.now();
  const wanted = serviceArg.trim().toLowerCase();
  const services = wanted ? deps.file.services.filter((s) => s.id === wanted) : deps.file.services;
  if (wanted && services.length === 0) {
    throw new UserError(`There is no service \`${escape(wanted)}\`. Services: ${deps.file.services.map((s) => `\`${s.id}\``).join(', ') || 'klaxon.yml lists none'}.`);
  }
  const schedules = new Set<string>();
  const answer: ServiceOnCall[] = [];
  for (const service of services) {
    const policy = deps.file.escalation_policies.find((p) => p.id === service.escalation_policy);
    if (!policy) {
      answer.push({ id: service.id, name: service.name, levels: null });
      continue;
    }
    const levels: ServiceOnCall['levels'] = [];
    for (const level of policy.levels) {
      const targets: TargetNow[] = [];
      for (const target of level.targets) targets.push(await targetNow(deps.rotas, target, now, schedules));
      levels.push({ timeout: level.timeout, targets });
    }
    answer.push({ id: service.id, name: service.name, levels });
  }
  if (!wanted) for (const id of deps.rotas.ids()) schedules.add(id);
  const overrides: UpcomingOverride[] = [...schedules]
    .flatMap((scheduleId) => (deps.rotas.schedule(scheduleId)?.overrides ?? []).filter((o) => o.to > now).map((o) => ({ scheduleId, userId: o.userId, from: o.from, to: o.to, ...(o.id !== undefined ? { id: o.id } : {}), ...(o.createdBy ? { createdBy: o.createdBy } : {}) })))
    .sort((a, b) => a.from - b.from)
    .slice(0, 10);
  const secret = deps.linkSecret();
  const calendars = [...schedules].filter((id) => deps.rotas.schedule(id)).map((scheduleId) => ({ scheduleId, url: signedLink(secret, deps.publicUrl, `/oncall/${encodeURIComponent(scheduleId)}.ics`) }));
  return { timeZone: await deps.profiles.timeZone(askerId), services: answer, overrides, calendars };
}

/** Who a level's target means at `at`: for a schedule (noted in `schedules`), who is on call now and next. */
async function targetNow(rotas: Rotas, target: string, at: number, schedules: Set<string>): Promise<TargetNow> {
  if (!target.startsWith('schedule:')) return { target };
  const scheduleId = target.slice('schedule:'.length);
  schedules.add(scheduleId);
  const [current, next] = await nowAndNext(rotas, scheduleId, at);
  return { target, ...(current ? { now: { userId: current.userId, until: current.end } } : {}), ...(next ? { next: { userId: next.userId, from: next.start, until: next.end } } : {}) };
}

/** The stretch on call at `at` (if anyone) and the one after it. */
async function nowAndNext(rotas: Rotas, scheduleId: string, at: number) {
  const stretches = await rotas.between(scheduleId, at, at + 8 * WEEK);
  const current = stretches.find((s) => s.start <= at && at < s.end);
  const next = stretches.find((s) => s.start > at);
  return [current, next] as const;
}
