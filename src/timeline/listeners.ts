/**
 * The timeline's Slack surface: `/incident note` and `/incident timeline`, the summary's "Add note" button and
 * its modal, the "Add to incident timeline" message shortcut, :pushpin: reactions, and the message events that
 * carry edits and deletions of captured messages. Each handler parses (zod), calls one use case, answers once.
 */
import { z } from 'zod';
import type { Kit } from '../core/kit.ts';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { UserError } from '../core/errors.ts';
import { handleSubmission } from '../core/modal-submission.ts';
import { typedText } from '../core/mrkdwn.ts';
import type { SubCommand } from '../core/subcommand.ts';
import { incidentIds, incidentRef, type Incident } from '../incidents/index.ts';
import { noteModal, type TimelinePage } from './blocks.ts';
import type { CapturedMessage, CaptureOutcome } from './capture.ts';
import { ids } from './ids.ts';

export interface TimelineListenerDeps extends Pick<Kit, 'openModal'> {
  incidentIdByChannel(channelId: string): Promise<number | undefined>;
  incident(id: number): Promise<Incident | undefined>;
  addNote(incidentId: number, text: string, by: string): Promise<void>;
  capture(message: CapturedMessage, by: string, via: 'pin' | 'shortcut'): Promise<CaptureOutcome>;
  releasePin(channelId: string, ts: string, by: string): Promise<void>;
  reflectEdit(channelId: string, ts: string, text: string): Promise<void>;
  reflectDeletion(channelId: string, ts: string): Promise<void>;
  page(incidentId: number, userId: string, page: number): Promise<TimelinePage>;
}

const Ts = z.string().regex(/^\d{1,12}\.\d{1,9}$/);
const ChannelId = z.string().regex(/^[CGD][A-Z0-9]+$/);
const UserId = z.string().regex(/^[UW][A-Z0-9]+$/);

const ShortcutSchema = z.object({
  user: z.object({ id: UserId }),
  channel: z.object({ id: ChannelId }),
  message: z.object({ ts: Ts, user: UserId.optional(), text: z.string().default('') }),
});
const ReactionSchema = z.object({ user: UserId, reaction: z.string(), item_user: UserId.optional(), item: z.object({ type: z.literal('message'), channel: ChannelId, ts: Ts }) });
const MessageChangedSchema = z.object({ subtype: z.literal('message_changed'), channel: ChannelId, message: z.object({ ts: Ts, text: z.string().default('') }) });
const MessageDeletedSchema = z.object({ subtype: z.literal('message_deleted'), channel: ChannelId, deleted_ts: Ts });
const NoteModalSchema = z.object({ [ids.fields.note]: z.object({ [ids.inputElement]: z.object({ value: z.string().nullish() }) }) });
const MetadataSchema = z.object({ incidentId: z.number().int().positive() });
const PageValueSchema = z.string().regex(/^\d+:\d+$/);

const CAPTURED: Record<CaptureOutcome, (ref: string) => string> = {
  added: (ref) => `Added to the timeline of ${ref}, at the message’s own time.`,
  already: (ref) => `That message is already in the timeline of ${ref}.`,
  deleted: () => 'That message was deleted in Slack, so it is not in the timeline.',
};

export function timelineSubcommands(deps: TimelineListenerDeps): SubCommand[] {
  return [
    {
      name: 'note',
      usage: 'note <text>',
      help: 'Add an entry to the timeline (also: the "Add to incident timeline" message shortcut, or a :pushpin: reaction)',
      needsIncident: true,
      async run(ctx) {
        const text = typedText(ctx.text);
        if (!text.trim()) return { modal: noteModal({ id: ctx.incidentId! }) };
        await deps.addNote(ctx.incidentId!, text, ctx.userId);
        return { text: `Added to the timeline of ${incidentRef(ctx.incidentId!)}.` };
      },
    },
    {
      name: 'timeline',
      asksSlack: true,
      usage: 'timeline',
      help: 'Show the timeline, in your time zone',
      needsIncident: true,
      async run(ctx) {
        const page = await deps.page(ctx.incidentId!, ctx.userId, 1);
        return { text: page.text, blocks: page.blocks };
      },
    },
  ];
}

export function registerTimelineListeners(listeners: SlackListeners, deps: TimelineListenerDeps): void {
  listeners.action(incidentIds.noteButton, async ({ ack, action, body }) => {
    await ack();
    const id = z.coerce.number().int().positive().safeParse('value' in action ? action.value : undefined);
    if (!id.success || !(await deps.incident(id.data))) throw new UserError('Klaxon does not know that incident.');
    await deps.openModal(body.trigger_id, noteModal({ id: id.data }));
  });

  listeners.view(ids.noteModal, async ({ ack, body, view }) => {
    await handleSubmission(ack, view, { metadata: MetadataSchema, state: NoteModalSchema, errorBlock: ids.fields.note }, (state, { incidentId }) =>
      deps.addNote(incidentId, state[ids.fields.note][ids.inputElement].value ?? '', body.user.id),
    );
  });

  listeners.shortcut(ids.addEntryShortcut, async ({ ack, shortcut, respond }) => {
    await ack();
    const parsed = ShortcutSchema.safeParse(shortcut);
    if (!parsed.success) throw new UserError('Klaxon could not read that message. Try again, or add a note with `/incident note`.');
    const { user, channel, message } = parsed.data;
    const incidentId = await deps.incidentIdByChannel(channel.id);
    if (incidentId === undefined) throw new UserError('This message is not in an incident channel: only messages in an incident’s channel can go into its timeline.');
    const outcome = await deps.capture({ incidentId, channelId: channel.id, ts: message.ts, text: message.text, ...(message.user ? { authorId: message.user } : {}) }, user.id, 'shortcut');
    await respond({ response_type: 'ephemeral', replace_original: false, text: CAPTURED[outcome](incidentRef(incidentId)) });
  });

  listeners.event('reaction_added', async ({ event }) => {
    const reaction = ReactionSchema.safeParse(event);
    if (!reaction.success || reaction.data.reaction !== ids.pinReaction) return;
    const { item, user, item_user: author } = reaction.data;
    const incidentId = await deps.incidentIdByChannel(item.channel);
    if (incidentId === undefined) return;
    await deps.capture({ incidentId, channelId: item.channel, ts: item.ts, ...(author ? { authorId: author } : {}) }, user, 'pin');
  });

  listeners.event('reaction_removed', async ({ event }) => {
    const reaction = ReactionSchema.safeParse(event);
    if (!reaction.success || reaction.data.reaction !== ids.pinReaction) return;
    await deps.releasePin(reaction.data.item.channel, reaction.data.item.ts, reaction.data.user);
  });

  listeners.event('message', async ({ event }) => {
    const changed = MessageChangedSchema.safeParse(event);
    if (changed.success) return deps.reflectEdit(changed.data.channel, changed.data.message.ts, changed.data.message.text);
    const deleted = MessageDeletedSchema.safeParse(event);
    if (deleted.success) await deps.reflectDeletion(deleted.data.channel, deleted.data.deleted_ts);
  });

  listeners.action(ids.pageButton, async ({ ack, action, body, respond }) => {
    await ack();
    const value = PageValueSchema.safeParse('value' in action ? action.value : undefined);
    if (!value.success) throw new UserError('Klaxon could not read that button.');
    const [incidentId, page] = value.data.split(':').map(Number) as [number, number];
    const shown = await deps.page(incidentId, body.user.id, page);
    await respond({ response_type: 'ephemeral', replace_original: true, text: shown.text, blocks: shown.blocks });
  });
}
