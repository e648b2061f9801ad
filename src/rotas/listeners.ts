/**
 * The rotas feature's Slack surface: `/incident oncall` (who is on call, cover a shift, remove an override), its
 * buttons and the override modal. Each handler parses, calls one use case and answers once.
 */
import type { KnownBlock } from '@slack/types';
import type { Kit } from '../core/kit.ts';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { z } from 'zod';
import { UserError } from '../core/errors.ts';
import { handleSubmission } from '../core/modal-submission.ts';
import { escape, typedText } from '../core/mrkdwn.ts';
import type { SubCommand } from '../core/subcommand.ts';
import { ids } from './ids.ts';
import { overrideModal } from './oncall-blocks.ts';
import { OverrideIdSchema, OverrideModalStateSchema } from './schemas.ts';

export interface OnCallListenerDeps extends Pick<Kit, 'openModal'> {
  scheduleIds: string[];
  answer(userId: string, serviceArg: string): Promise<{ text: string; blocks: KnownBlock[] }>;
  coverShift(userId: string, text: string): Promise<string>;
  coverShiftFromModal(userId: string, args: { scheduleId: string; userId: string; from: number; to: number }): Promise<string>;
  removeOverride(userId: string, overrideId: number): Promise<string>;
  /** A DM from Klaxon to the person (the answer to a modal, which has nowhere else to go). */
  tell(userId: string, text: string): Promise<void>;
  now(): number;
}

export function onCallSubcommands(deps: OnCallListenerDeps): SubCommand[] {
  return [
    {
      name: 'oncall',
      asksSlack: true,
      aliases: ['who'],
      usage: 'oncall [service] | oncall override [schedule] <@person> <from> <to> | oncall override remove OVR-n',
      help: 'Who is on call now and next; cover someone’s shift (times in your Slack time zone)',
      async run(ctx) {
        const [first = '', ...rest] = ctx.text.split(/\s+/).filter(Boolean);
        if (first.toLowerCase() !== 'override') return deps.answer(ctx.userId, ctx.text);
        if (/^(?:remove|delete|rm)$/i.test(rest[0] ?? '')) return { text: await deps.removeOverride(ctx.userId, overrideIdOf(rest.slice(1))) };
        return { text: await deps.coverShift(ctx.userId, rest.join(' ')) };
      },
    },
  ];
}

/** The override `override remove` names (`OVR-12` or `12`), or a refusal saying how to name one. */
function overrideIdOf(words: string[]): number {
  const id = /^(?:OVR-)?([1-9]\d{0,9})$/i.exec(words.join(' '))?.[1];
  if (id !== undefined) return Number(id);
  const typed = words.length ? `\`${escape(typedText(words.join(' ')))}\` is not an override: name` : 'Name';
  throw new UserError(`${typed} the one to remove by its number, as in \`/incident oncall override remove OVR-12\`; \`/incident oncall\` lists them.`);
}

export function registerOnCallListeners(listeners: SlackListeners, deps: OnCallListenerDeps): void {
  listeners.action(ids.overrideButton, async ({ ack, body }) => {
    await ack();
    const now = deps.now();
    const nextHour = Math.ceil(now / 3_600_000) * 3_600_000;
    const triggerId = 'trigger_id' in body ? body.trigger_id : undefined;
    if (!triggerId) return;
    await deps.openModal(triggerId, overrideModal(deps.scheduleIds, { userId: body.user.id, from: nextHour, to: nextHour + 24 * 3_600_000 }));
  });

  listeners.action(ids.removeOverrideButton, async ({ ack, body, action, respond }) => {
    await ack();
    const overrideId = OverrideIdSchema.safeParse('value' in action ? action.value : undefined);
    if (!overrideId.success) throw new UserError('This button does not name an override Klaxon knows.');
    await respond({ response_type: 'ephemeral', replace_original: false, text: await deps.removeOverride(body.user.id, overrideId.data) });
  });

  listeners.view(ids.overrideModal, async ({ ack, body, view }) => {
    const reading = { metadata: z.unknown(), state: OverrideModalStateSchema, errorBlock: ids.fields.from };
    const text = await handleSubmission(ack, view, reading, (values) => deps.coverShiftFromModal(body.user.id, filledIn(values)));
    if (text !== undefined) await deps.tell(body.user.id, text);
  });
}

/** The form's choices, or "Please fill this in." on the first one left empty. */
function filledIn(values: z.infer<typeof OverrideModalStateSchema>): { scheduleId: string; userId: string; from: number; to: number } {
  const scheduleId = values.schedule.value.selected_option?.value;
  const userId = values.user.value.selected_user;
  const from = values.from.value.selected_date_time;
  const to = values.to.value.selected_date_time;
  const missing = !scheduleId ? ids.fields.schedule : !userId ? ids.fields.user : from === null ? ids.fields.from : to === null ? ids.fields.to : undefined;
  if (missing || !scheduleId || !userId || from === null || to === null) throw new UserError('Please fill this in.', missing);
  return { scheduleId, userId, from: from * 1000, to: to * 1000 };
}
