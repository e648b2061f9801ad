/**
 * Covering a shift from Slack: `/incident oncall override [schedule] @person <from> <to>` (times in the asker's
 * Slack zone) and removing such an override. One transaction stores it and queues the DMs to the person
 * covering and the people covered; the schedules are rebuilt at once.
 */
import type { KlaxonFile } from '../core/config.ts';
import { audit } from '../core/audit.ts';
import { transaction } from '../core/db.ts';
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { escape, mention } from '../core/mrkdwn.ts';
import type { UserProfiles } from '../core/user-profiles.ts';
import { formatInZone } from '../core/wall-clock.ts';
import { parseOverrideArgs, type OverrideArgs } from './override-args.ts';
import type { Rotas } from './rotas.ts';
import { rememberRota, scheduleNextHandoffs, tellAboutChange } from './shifts.ts';
import { getOverride, insertOverride, removeOverride as markRemoved } from './store.ts';

export interface OverrideDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler'> {
  rotas: Rotas;
  file: KlaxonFile;
  /** Read while a person waits (kit.profilesNow). */
  profiles: UserProfiles;
}

const DAY_MS = 86_400_000;
const MAX_LENGTH_MS = 90 * DAY_MS;
/** How far ahead an override may start: further out, a rota change in klaxon.yml is the better tool. */
const HORIZON_MS = 2 * 365 * DAY_MS;

/** `/incident oncall override …`: reads the times in the asker's zone, then covers the shift. */
export async function coverShift(deps: OverrideDeps, askerId: string, text: string): Promise<string> {
  const zone = await deps.profiles.timeZone(askerId);
  const args = parseOverrideArgs(text, { scheduleIds: deps.rotas.ids(), timeZone: zone, now: deps.clock.now() });
  if (typeof args === 'string') throw new UserError(args);
  return createOverride(deps, askerId, args, zone);
}

/** Stores the override (refusing what cannot work) and queues the DMs to the people it concerns. */
export async function createOverride(deps: OverrideDeps, askerId: string, args: OverrideArgs, zone: string): Promise<string> {
  const now = deps.clock.now();
  const when = (at: number) => formatInZone(at, zone, now);
  // The bounds come first, so no time outside them is ever formatted (a year past 275760 cannot be).
  if (args.from < now - DAY_MS) throw new UserError('The start is more than a day ago: an override covers from now on.', 'from');
  if (args.from > now + HORIZON_MS) throw new UserError('The start is more than two years ahead; for that, change the rotation in klaxon.yml.', 'from');
  if (args.to <= args.from) throw new UserError(`The end must come after the start (${when(args.from)}).`, 'to');
  if (args.to - args.from > MAX_LENGTH_MS) throw new UserError('An override can cover at most 90 days; for longer, change the rotation in klaxon.yml.', 'to');
  if (args.to <= now) throw new UserError(`That time is already over (it ended ${when(args.to)}).`, 'to');
  // Checked in the transaction that stores it: two overrides made at once cannot both pass the overlap check.
  const { id, scheduleId, covered } = await transaction(deps.db, async () => {
    const { scheduleId, covered } = await checkOverride(deps, askerId, args, when);
    const overrideId = await insertOverride(deps.db, { scheduleId, userId: args.userId, fromAt: args.from, toAt: args.to, createdBy: askerId, createdAt: now });
    await audit(deps.db, { at: now, actorId: askerId, action: 'oncall.override', subject: `OVR-${overrideId}`, details: { scheduleId, userId: args.userId, from: args.from, to: args.to, covered } });
    const change = { reason: 'override' as const, action: 'added' as const, scheduleId, coverer: args.userId, from: args.from, to: args.to, by: askerId, overrideId };
    await tellAboutChange(deps, args.userId, { ...change, role: 'covering' }, `${scheduleId}:OVR-${overrideId}:added`);
    for (const userId of covered) await tellAboutChange(deps, userId, { ...change, role: 'covered' }, `${scheduleId}:OVR-${overrideId}:added`);
    return { id: overrideId, scheduleId, covered };
  });
  await afterChange(deps, scheduleId, now);
  const told = [...new Set([args.userId, ...covered])].map(mention).join(' and ');
  return `:white_check_mark: *OVR-${id}*: ${mention(args.userId)} covers \`${escape(scheduleId)}\` from ${when(args.from)} to ${when(args.to)} (your time zone, ${escape(zone)}). I told ${told}. Remove it with \`/incident oncall override remove OVR-${id}\`.`;
}

/**
 * The schedule the override is for and the people it covers, or a refusal: no such schedule, an overlap, or an
 * asker who may not. Asking who is on call first brings the schedules up to date with overrides made elsewhere.
 */
async function checkOverride(deps: OverrideDeps, askerId: string, args: OverrideArgs, when: (at: number) => string): Promise<{ scheduleId: string; covered: string[] }> {
  const scheduleId = args.scheduleId ?? (await pickSchedule(deps.rotas, askerId, args.from, args.to));
  const covered = [...new Set((await deps.rotas.between(scheduleId, args.from, args.to)).map((s) => s.userId))].filter((u) => u !== args.userId);
  const schedule = deps.rotas.schedule(scheduleId);
  if (!schedule) throw new UserError(`There is no schedule \`${escape(scheduleId)}\`.`, 'schedule');
  const clash = schedule.overrides.find((o) => o.from < args.to && args.from < o.to);
  if (clash) {
    const which = clash.id !== undefined ? `OVR-${clash.id}` : 'an override in klaxon.yml';
    throw new UserError(
      `That overlaps ${which}: ${mention(clash.userId)} covers \`${escape(scheduleId)}\` from ${when(clash.from)} to ${when(clash.to)}.${clash.id !== undefined ? ` Remove it first with \`/incident oncall override remove OVR-${clash.id}\`, or pick another time.` : ''}`,
      'from',
    );
  }
  if (askerId !== args.userId && !covered.includes(askerId) && !deps.file.admins.includes(askerId)) {
    throw new UserError(`Only the person covering (${mention(args.userId)}), the people on call then (${covered.map(mention).join(', ') || 'nobody'}) or a Klaxon admin can override that shift.`);
  }
  return { scheduleId, covered };
}

export async function removeOverride(deps: OverrideDeps, askerId: string, overrideId: number): Promise<string> {
  const row = await getOverride(deps.db, overrideId);
  if (!row) throw new UserError(`There is no OVR-${overrideId}.`);
  if (row.removedAt !== null) throw new UserError(`OVR-${overrideId} was already removed${row.removedBy ? ` by ${mention(row.removedBy)}` : ''}.`);
  if (askerId !== row.userId && askerId !== row.createdBy && !deps.file.admins.includes(askerId)) {
    throw new UserError(`Only the person covering (${mention(row.userId)}), whoever made OVR-${overrideId} (${mention(row.createdBy)}) or a Klaxon admin can remove it.`);
  }
  const zone = await deps.profiles.timeZone(askerId);
  const now = deps.clock.now();
  const when = (at: number) => formatInZone(at, zone, now);
  const wasCovered = await transaction(deps.db, async () => {
    if (!(await markRemoved(deps.db, overrideId, askerId, now))) throw new UserError(`OVR-${overrideId} was already removed.`);
    await audit(deps.db, { at: now, actorId: askerId, action: 'oncall.override_remove', subject: `OVR-${overrideId}`, details: { scheduleId: row.scheduleId, userId: row.userId } });
    return row.toAt > now;
  });
  await deps.rotas.reload();
  const covered = [...new Set((await deps.rotas.between(row.scheduleId, row.fromAt, row.toAt)).map((s) => s.userId))].filter((u) => u !== row.userId);
  if (wasCovered) {
    await transaction(deps.db, async () => {
      const change = { reason: 'override' as const, action: 'removed' as const, scheduleId: row.scheduleId, coverer: row.userId, from: row.fromAt, to: row.toAt, by: askerId, overrideId };
      await tellAboutChange(deps, row.userId, { ...change, role: 'covering' }, `${row.scheduleId}:OVR-${overrideId}:removed`);
      for (const userId of covered) await tellAboutChange(deps, userId, { ...change, role: 'covered' }, `${row.scheduleId}:OVR-${overrideId}:removed`);
    });
  }
  await afterChange(deps, row.scheduleId, now);
  return `:wastebasket: Removed *OVR-${overrideId}* (${mention(row.userId)} covering \`${escape(row.scheduleId)}\` from ${when(row.fromAt)} to ${when(row.toAt)}).${wasCovered ? ` I told ${[row.userId, ...covered].map(mention).join(' and ')}.` : ''}`;
}

async function afterChange(deps: OverrideDeps, scheduleId: string, now: number): Promise<void> {
  await deps.rotas.reload();
  await transaction(deps.db, async () => {
    await rememberRota(deps, scheduleId, now);
    await scheduleNextHandoffs(deps, now);
  });
}

/**
 * Which schedule an override is for when none is named: the only one, or the only one in which the asker is on
 * call during that time (they are handing their shift over).
 */
async function pickSchedule(rotas: Rotas, askerId: string, from: number, to: number): Promise<string> {
  const all = rotas.ids();
  if (all.length === 0) throw new UserError('klaxon.yml defines no schedules, so there is no shift to cover.');
  if (all.length === 1) return all[0]!;
  const mine: string[] = [];
  for (const id of all) if ((await rotas.between(id, from, to)).some((s) => s.userId === askerId)) mine.push(id);
  if (mine.length === 1) return mine[0]!;
  throw new UserError(`Which schedule? Name it first: \`/incident oncall override <schedule> @person <from> <to>\`. Schedules: ${all.map((id) => `\`${escape(id)}\``).join(', ')}.`);
}
