/**
 * Telling people about their shifts: a DM when a shift starts (once per shift, on the durable scheduler, so a
 * restart neither skips nor repeats one), and a DM when an override or a rota change touches their future
 * shifts. On start, the rota is compared with what people were last told (a snapshot per schedule).
 */
import { createHash } from 'node:crypto';
import type { KlaxonFile } from '../core/config.ts';
import { transaction } from '../core/db.ts';
import type { Kit } from '../core/kit.ts';
import { jobKinds } from './ids.ts';
import { ROTA_HORIZON } from './rota.ts';
import type { Rotas } from './rotas.ts';
import { handoffText, scheduleLabel, shiftChangeText, type ShiftChange } from './shift-messages.ts';
import { getRotaSnapshot, saveRotaSnapshot, type Stretch } from './store.ts';
import { WEEK } from '../core/duration.ts';

export interface ShiftDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler' | 'outbox' | 'profiles' | 'logger'> {
  rotas: Rotas;
  file: KlaxonFile;
}

/** How far ahead changes are noticed and told. */
const HORIZON = 4 * WEEK;

/** The names of the services whose escalation policies page this schedule. */
export function servicesUsing(file: KlaxonFile, scheduleId: string): string[] {
  const policies = new Set(file.escalation_policies.filter((p) => p.levels.some((l) => l.targets.includes(`schedule:${scheduleId}`))).map((p) => p.id));
  return file.services.filter((s) => s.escalation_policy !== undefined && policies.has(s.escalation_policy)).map((s) => s.name);
}

/** Schedules, for every schedule, the handoff job for the next shift start after `at` (nothing if it exists). */
export async function scheduleNextHandoffs(deps: Pick<ShiftDeps, 'db' | 'scheduler' | 'rotas'>, at: number): Promise<void> {
  for (const scheduleId of deps.rotas.ids()) await scheduleNextHandoff(deps, scheduleId, at);
}

async function scheduleNextHandoff(deps: Pick<ShiftDeps, 'db' | 'scheduler' | 'rotas'>, scheduleId: string, after: number): Promise<void> {
  const next = (await deps.rotas.between(scheduleId, after, after + ROTA_HORIZON)).find((s) => s.start > after);
  if (!next) return;
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.handoff, key: `handoff:${scheduleId}:${next.start}`, dueAt: next.start, payload: { scheduleId, start: next.start } });
}

/**
 * A shift started at `start`: DM the person now on call, unless the rota changed since (nobody's shift starts
 * then any more) or the shift is already over (Klaxon was down throughout). Then schedule the next one.
 */
export async function sendHandoff(deps: ShiftDeps, scheduleId: string, start: number): Promise<void> {
  await scheduleNextHandoff(deps, scheduleId, start);
  const stretch = await deps.rotas.onCall(scheduleId, start);
  if (!stretch || stretch.start !== start || deps.clock.now() >= stretch.end) return;
  const zone = await deps.profiles.timeZone(stretch.userId);
  const text = handoffText(scheduleLabel(scheduleId, servicesUsing(deps.file, scheduleId)), stretch.end, zone, deps.clock.now());
  await dm(deps, `handoff-dm:${scheduleId}:${start}:${stretch.userId}`, stretch.userId, text);
}

/** Queues the DM about a change for one person (rendered in their zone when it is sent). */
export async function tellAboutChange(deps: Pick<ShiftDeps, 'db' | 'scheduler' | 'clock'>, userId: string, change: ShiftChange, key: string): Promise<void> {
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.shiftsChanged, key: `shifts-changed:${key}:${userId}`, dueAt: deps.clock.now(), payload: { userId, change } });
}

export async function sendShiftChange(deps: ShiftDeps, userId: string, change: ShiftChange, key: string): Promise<void> {
  const zone = await deps.profiles.timeZone(userId);
  await dm(deps, key, userId, shiftChangeText(change, scheduleLabel(change.scheduleId, servicesUsing(deps.file, change.scheduleId)), zone, deps.clock.now()));
}

async function dm(deps: ShiftDeps, key: string, userId: string, text: string): Promise<void> {
  const im = await deps.outbox.send(`im:${userId}`, 'conversations.open', { users: userId }, { pick: (r) => ({ channel: (r.channel as { id: string }).id }) });
  await deps.outbox.send(key, 'chat.postMessage', { channel: im.channel, text, unfurl_links: false });
}

/**
 * Compares each schedule's next four weeks with what people were last told, DMs everyone whose shifts differ,
 * and remembers the new picture. The first run only remembers.
 */
export async function noticeRotaChanges(deps: ShiftDeps, at: number): Promise<void> {
  await transaction(deps.db, async () => {
    for (const scheduleId of deps.rotas.ids()) {
      const after = clip(await deps.rotas.between(scheduleId, at, at + HORIZON), at, at + HORIZON);
      const before = await getRotaSnapshot(deps.db, scheduleId);
      await saveRotaSnapshot(deps.db, scheduleId, after, at);
      if (!before) continue;
      const horizon = Math.min(at + HORIZON, Math.max(at, ...before.map((s) => s.end)));
      const was = clip(before, at, horizon);
      const now = clip(after, at, horizon);
      const digest = createHash('sha256').update(JSON.stringify(now)).digest('hex').slice(0, 12);
      for (const userId of new Set([...was, ...now].map((s) => s.userId))) {
        const mine = (list: Stretch[]) => list.filter((s) => s.userId === userId).map(({ start, end }) => ({ start, end }));
        if (JSON.stringify(mine(was)) === JSON.stringify(mine(now))) continue;
        await tellAboutChange(deps, userId, { reason: 'rota', scheduleId, before: mine(was), after: mine(now) }, `${scheduleId}:rota:${digest}`);
      }
    }
  });
}

/** After an override (whose people are told directly): remember the new picture so the next start is quiet. */
export async function rememberRota(deps: Pick<ShiftDeps, 'db' | 'rotas'>, scheduleId: string, at: number): Promise<void> {
  await saveRotaSnapshot(deps.db, scheduleId, clip(await deps.rotas.between(scheduleId, at, at + HORIZON), at, at + HORIZON), at);
}

function clip(stretches: Stretch[], from: number, to: number): Stretch[] {
  return stretches.filter((s) => s.end > from && s.start < to).map((s) => ({ userId: s.userId, start: Math.max(s.start, from), end: Math.min(s.end, to) }));
}
