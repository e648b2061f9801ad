/**
 * The answer to `/incident oncall`: per service, each escalation level with who is on call now and who is next,
 * times in the asker's zone; the overrides coming up (those made in Slack with a Remove button); calendar links;
 * a button to cover a shift. Pure: the caller gathers the facts.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { actions, button, context, input, modal, option, section } from '../core/blockkit.ts';
import { escape, link, mention } from '../core/mrkdwn.ts';
import { formatInZone } from '../core/wall-clock.ts';
import { ids } from './ids.ts';

export interface TargetNow {
  target: string;
  /** For schedules: the stretch on call now (if anyone) and the next one. */
  now?: { userId: string; until: number };
  next?: { userId: string; from: number; until: number };
}

export interface ServiceOnCall {
  id: string;
  name: string;
  levels: { timeout: string; targets: TargetNow[] }[] | null;
}

export interface UpcomingOverride {
  scheduleId: string;
  userId: string;
  from: number;
  to: number;
  /** Set for overrides made in Slack (they can be removed there); file overrides live in klaxon.yml. */
  id?: number;
  createdBy?: string;
}

export interface OnCallAnswer {
  timeZone: string;
  services: ServiceOnCall[];
  overrides: UpcomingOverride[];
  calendars: { scheduleId: string; url: string }[];
}

const MAX_SERVICE_BLOCKS = 30;

export function onCallBlocks(answer: OnCallAnswer): KnownBlock[] {
  const when = (at: number) => formatInZone(at, answer.timeZone);
  const blocks: KnownBlock[] = [section(`*Who is on call* (times in your zone, ${escape(answer.timeZone)})`)];
  for (const service of answer.services.slice(0, MAX_SERVICE_BLOCKS)) {
    if (!service.levels) {
      blocks.push(section(`*${escape(service.name)}* (\`${service.id}\`): no escalation policy, so declaring for it pages nobody.`));
      continue;
    }
    const lines = service.levels.map((level, i) => `${i + 1}. ${level.targets.map((t) => targetLine(t, when)).join('; ')} _(then ${level.timeout})_`);
    blocks.push(section(`*${escape(service.name)}* (\`${service.id}\`)\n${lines.join('\n')}`));
  }
  if (answer.services.length > MAX_SERVICE_BLOCKS) blocks.push(context([`${answer.services.length - MAX_SERVICE_BLOCKS} more services: ask for one with \`/incident oncall <service>\`.`]));
  if (answer.services.length === 0) blocks.push(section('klaxon.yml lists no services yet.'));
  if (answer.overrides.length) {
    blocks.push(section(`*Overrides coming up*\n${answer.overrides.map((o) => overrideLine(o, when)).join('\n')}`));
    const removable = answer.overrides.filter((o) => o.id !== undefined).slice(0, 5);
    if (removable.length) blocks.push(actions(ids.removeOverrideActions, removable.map((o) => button(`Remove OVR-${o.id}`, ids.removeOverrideButton, String(o.id), 'danger'))));
  }
  const buttons = [button('Cover a shift…', ids.overrideButton)];
  blocks.push(actions(ids.oncallActions, buttons));
  if (answer.calendars.length) blocks.push(context([`:calendar: Subscribe: ${answer.calendars.map((c) => link(c.url, c.scheduleId)).join(' · ')}`]));
  return blocks;
}

function targetLine(target: TargetNow, when: (at: number) => string): string {
  if (target.target.startsWith('user:')) return mention(target.target.slice('user:'.length));
  const schedule = `\`${escape(target.target.slice('schedule:'.length))}\``;
  const now = target.now ? `${mention(target.now.userId)} until ${when(target.now.until)}` : '*nobody on call* :warning:';
  const next = target.next ? `, next ${mention(target.next.userId)} from ${when(target.next.from)}` : '';
  return `${schedule}: ${now}${next}`;
}

export function overrideLine(o: UpcomingOverride, when: (at: number) => string): string {
  const made = o.id !== undefined ? `OVR-${o.id}${o.createdBy ? `, made by ${mention(o.createdBy)}` : ''}` : 'in klaxon.yml';
  return `• ${mention(o.userId)} covers \`${escape(o.scheduleId)}\` from ${when(o.from)} to ${when(o.to)} (${made})`;
}

export function onCallText(answer: OnCallAnswer): string {
  return `Who is on call for ${answer.services.length} service${answer.services.length === 1 ? '' : 's'}`;
}

/** "Cover a shift": schedule, who covers, from and to (Slack's date-time pickers show the asker's own zone). */
export function overrideModal(scheduleIds: string[], prefill: { userId: string; from: number; to: number }): ModalView {
  const picker = (at: number) => ({ type: 'datetimepicker' as const, action_id: ids.inputElement, initial_date_time: Math.floor(at / 1000) });
  return modal({
    callbackId: ids.overrideModal,
    title: 'Cover a shift',
    submit: 'Cover it',
    blocks: [
      input(ids.fields.schedule, 'Schedule', { type: 'static_select', action_id: ids.inputElement, options: scheduleIds.slice(0, 100).map((id) => option(id, id)), ...(scheduleIds.length === 1 ? { initial_option: option(scheduleIds[0]!, scheduleIds[0]!) } : {}) }),
      input(ids.fields.user, 'Who covers', { type: 'users_select', action_id: ids.inputElement, initial_user: prefill.userId }),
      input(ids.fields.from, 'From', picker(prefill.from)),
      input(ids.fields.to, 'To', picker(prefill.to)),
    ],
  });
}
