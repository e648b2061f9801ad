/**
 * The on-call feature's Slack surface: `/incident ack`, `/incident page`, `/incident oncall`, the Acknowledge
 * button on a page DM, and the override modal. Each handler parses, calls one use case and answers once.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { UserError } from '../core/errors.ts';
import { escape, mention, typedText } from '../core/mrkdwn.ts';
import type { SubCommand } from '../core/subcommand.ts';
import { incidentRefRefusal, parseIncidentRef } from '../incidents/index.ts';
import { ackReply, type AckOutcome } from './acknowledge.ts';
import { ids } from './ids.ts';
import { parsePageArgs } from './page-args.ts';
import { overrideModal } from './oncall-blocks.ts';
import { OverrideModalStateSchema, RowIdSchema } from './schemas.ts';

export interface OnCallListenerDeps {
  scheduleIds: string[];
  answer(userId: string, serviceArg: string): Promise<{ text: string; blocks: KnownBlock[] }>;
  coverShift(userId: string, text: string): Promise<string>;
  coverShiftFromModal(userId: string, args: { scheduleId: string; userId: string; from: number; to: number }): Promise<string>;
  removeOverride(userId: string, overrideId: number): Promise<string>;
  openModal(triggerId: string, view: ModalView): Promise<void>;
  /** A DM from Klaxon to the person (the answer to a modal, which has nowhere else to go). */
  tell(userId: string, text: string): Promise<void>;
  now(): number;
}

export interface PagingListenerDeps {
  serviceIds: string[];
  acknowledgePage(pageId: number, userId: string): AckOutcome;
  acknowledgeMine(userId: string, incidentId: number | undefined): AckOutcome[];
  /** Pages people and services into the incident; refuses (UserError) before changing anything. */
  page(incidentId: number, request: { userIds: string[]; serviceIds: string[] }, by: string): Promise<void>;
  incidentIdByChannel(channelId: string): number | undefined;
}

export function pagingSubcommands(deps: PagingListenerDeps): SubCommand[] {
  return [
    {
      name: 'ack',
      aliases: ['acknowledge'],
      usage: 'ack [INC-n]',
      help: 'Acknowledge the page addressed to you (stops the escalation)',
      run(ctx) {
        const first = ctx.text.split(/\s+/)[0] ?? '';
        const malformed = incidentRefRefusal(first);
        if (malformed) throw new UserError(malformed);
        const incidentId = parseIncidentRef(first) ?? deps.incidentIdByChannel(ctx.channelId);
        const outcomes = deps.acknowledgeMine(ctx.userId, incidentId);
        return { text: outcomes.map((o) => ackReply(o, ctx.userId)).join('\n') };
      },
    },
    {
      name: 'page',
      usage: 'page <@person or service> …',
      help: 'Page people, or a service’s escalation policy, into this incident',
      needsIncident: true,
      async run(ctx) {
        const args = parsePageArgs(ctx.text, deps.serviceIds);
        if (args.unknown.length) {
          throw new UserError(`I can page people (\`@name\`) or services (${deps.serviceIds.map((s) => `\`${s}\``).join(', ') || 'klaxon.yml lists none'}), not \`${escape(typedText(args.unknown.join(' ')))}\`.`);
        }
        if (!args.userIds.length && !args.serviceIds.length) throw new UserError('Say who to page: `/incident page @person` or `/incident page <service>`.');
        await deps.page(ctx.incidentId!, args, ctx.userId);
        const who = [...args.userIds.map(mention), ...args.serviceIds.map((s) => `the \`${s}\` escalation policy`)].join(', ');
        return { text: `:pager: Paging ${who}. The channel will show who acknowledges.` };
      },
    },
  ];
}

export function onCallSubcommands(deps: OnCallListenerDeps): SubCommand[] {
  return [
    {
      name: 'oncall',
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
    const overrideId = RowIdSchema.safeParse('value' in action ? action.value : undefined);
    if (!overrideId.success) throw new UserError('This button does not name an override Klaxon knows.');
    await respond({ response_type: 'ephemeral', replace_original: false, text: await deps.removeOverride(body.user.id, overrideId.data) });
  });

  listeners.view(ids.overrideModal, async ({ ack, body, view }) => {
    const state = OverrideModalStateSchema.safeParse(view.state.values);
    const values = state.success ? state.data : undefined;
    const missing = !values ? ids.fields.schedule : !values.schedule.value.selected_option ? ids.fields.schedule : !values.user.value.selected_user ? ids.fields.user : values.from.value.selected_date_time === null ? ids.fields.from : values.to.value.selected_date_time === null ? ids.fields.to : undefined;
    if (missing || !values) return await ack({ response_action: 'errors', errors: { [missing ?? ids.fields.schedule]: 'Please fill this in.' } });
    let text: string;
    try {
      text = await deps.coverShiftFromModal(body.user.id, {
        scheduleId: values.schedule.value.selected_option!.value,
        userId: values.user.value.selected_user!,
        from: values.from.value.selected_date_time! * 1000,
        to: values.to.value.selected_date_time! * 1000,
      });
    } catch (error) {
      if (error instanceof UserError) return await ack({ response_action: 'errors', errors: { [FIELD_BLOCK[error.field ?? ''] ?? ids.fields.from]: error.message } });
      throw error;
    }
    await ack();
    await deps.tell(body.user.id, text);
  });
}

const FIELD_BLOCK: Record<string, string> = { schedule: ids.fields.schedule, from: ids.fields.from, to: ids.fields.to };

export function registerPagingListeners(listeners: SlackListeners, deps: PagingListenerDeps): void {
  listeners.action(ids.ackButton, async ({ ack, body, action, respond }) => {
    await ack();
    const pageId = RowIdSchema.safeParse('value' in action ? action.value : undefined);
    if (!pageId.success) throw new UserError('This button is not a page Klaxon knows.');
    const outcome = deps.acknowledgePage(pageId.data, body.user.id);
    await respond({ response_type: 'ephemeral', replace_original: false, text: ackReply(outcome, body.user.id) });
  });
}
