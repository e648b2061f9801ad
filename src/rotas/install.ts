/** The rotas feature, installed: who is on call, overrides, shift DMs and calendar feeds. */
import { transaction } from '../core/db.ts';
import type { Kit } from '../core/kit.ts';
import { registerShiftJobs } from './jobs.ts';
import { onCallSubcommands, registerOnCallListeners } from './listeners.ts';
import { onCallAnswer } from './oncall-answer.ts';
import { onCallBlocks, onCallText } from './oncall-blocks.ts';
import { overridesVersion, slackOverrides } from './overrides.ts';
import { coverShift, createOverride, removeOverride } from './override-shift.ts';
import { Rotas } from './rotas.ts';
import type { OnCall } from './rota.ts';
import { noticeRotaChanges, scheduleNextHandoffs } from './shifts.ts';
import { calendarHandler } from './calendar-route.ts';

export interface RotasFeature {
  rotas: Rotas;
  shiftsOf(userId: string, from: number, to: number): Promise<(OnCall & { scheduleId: string })[]>;
  /** On start, where jobs run: tells people of shifts a rota change moved, and schedules the next handoff DMs. */
  start(at: number): Promise<void>;
}

export async function installRotas(kit: Kit): Promise<RotasFeature> {
  const { db, clock, scheduler, config } = kit;
  const file = config.klaxon;
  const rotas = await Rotas.load(file, () => slackOverrides(db, clock.now()), () => clock.now(), () => overridesVersion(db));
  const shiftDeps = { db, clock, scheduler, rotas, file, outbox: kit.outbox, profiles: kit.profiles, logger: kit.logger };
  registerShiftJobs(scheduler, shiftDeps);
  const feature: RotasFeature = {
    rotas,
    shiftsOf: (userId, from, to) => rotas.shiftsOf(userId, from, to),
    start: async (at) => {
      await noticeRotaChanges(shiftDeps, at);
      await transaction(db, () => scheduleNextHandoffs(shiftDeps, at));
    },
  };
  if (!kit.answersSlack) return feature;
  // What people ask while they wait is read through the gateway that answers in time.
  const now = { ...shiftDeps, profiles: kit.profilesNow };
  const { env } = config;
  const listenerDeps = {
    scheduleIds: rotas.ids(),
    answer: async (userId: string, serviceArg: string) => {
      const answer = await onCallAnswer({ clock, rotas, file, profiles: kit.profilesNow, publicUrl: env.publicUrl, linkSecret: kit.linkSecret }, userId, serviceArg);
      return { text: onCallText(answer), blocks: onCallBlocks(answer) };
    },
    coverShift: (userId: string, text: string) => coverShift(now, userId, text),
    coverShiftFromModal: async (userId: string, args: { scheduleId: string; userId: string; from: number; to: number }) => createOverride(now, userId, args, await kit.profilesNow.timeZone(userId)),
    removeOverride: (userId: string, overrideId: number) => removeOverride(now, userId, overrideId),
    openModal: kit.openModal,
    tell: async (userId: string, text: string) => void (await kit.slackNow.call('chat.postMessage', { channel: userId, text })),
    now: () => clock.now(),
  };
  kit.subcommands.push(...onCallSubcommands(listenerDeps));
  registerOnCallListeners(kit.listeners, listenerDeps);
  kit.routes.push({ path: '/oncall/:file', method: 'GET', handler: calendarHandler({ clock, rotas, file, publicUrl: env.publicUrl, linkSecret: kit.linkSecret, profiles: kit.profilesNow }) });
  return feature;
}
