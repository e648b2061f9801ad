/**
 * Whether a parsed Slack payload has the shape Bolt's dispatch and Klaxon's listener table take for granted.
 * Bolt reads fields such as `body.ssl_check`, `event.channel.id`, `body.user.id`, `body.view` and iterates
 * `body.actions` without checking them, so a correctly signed body of another shape (JSON `null`, a number, a
 * view_submission without `view`) would crash the process or answer 500. Checked in the order Bolt dispatches:
 * `event`, then `command`, then options (`name`), actions, shortcuts and views. Only the fields read before a
 * listener's own parsing are checked; everything else passes through untouched.
 */
import { z } from 'zod';

const record = z.record(z.string(), z.unknown());
/** A Slack object that is referred to by its id (a user, a channel). */
const withId = z.looseObject({ id: z.string() });
const optionalObject = record.optional();

const eventCallback = z.looseObject({
  event: z.looseObject({
    type: z.string(),
    channel: z.union([z.string(), record]).optional(),
    user: z.union([z.string(), record]).optional(),
    item: optionalObject,
    subteam: optionalObject,
  }),
  event_id: z.string().optional(),
  authorizations: z.array(record).optional(),
});

const command = z.looseObject({
  command: z.string(),
  text: z.string().optional(),
  user_id: z.string(),
  channel_id: z.string(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
});

/** What every interaction (click, form, shortcut, options request) has: who, and where when anywhere. */
const interaction = z.looseObject({
  user: withId,
  channel: withId.nullish(),
  response_url: z.string().optional(),
  response_urls: z.array(record).optional(),
});

const action = interaction.extend({ actions: z.array(z.looseObject({ action_id: z.string() })).optional() });
const shortcut = interaction.extend({ callback_id: z.string(), message: optionalObject });
const view = interaction.extend({
  view: z.looseObject({ id: z.string().optional(), callback_id: z.string(), private_metadata: z.string().optional(), state: z.looseObject({ values: record }) }),
});

/** What is wrong with a payload's shape, in a few words for the log; undefined when Bolt may have it. */
export function payloadProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return `body: not an object (${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body})`;
  const problem = schemaFor(body as Record<string, unknown>)?.safeParse(body).error?.issues[0];
  return problem ? `${problem.path.join('.') || 'body'}: ${problem.message}` : undefined;
}

/** The schema for what Bolt will take the payload to be, in Bolt's order (helpers.ts getTypeAndConversation). */
function schemaFor(fields: Record<string, unknown>): z.ZodType | undefined {
  if (fields.event !== undefined) return eventCallback;
  if (fields.command !== undefined) return command;
  if (fields.name !== undefined || fields.type === 'block_suggestion') return interaction;
  if (fields.actions !== undefined || fields.type === 'dialog_submission') return action;
  if (fields.type === 'shortcut' || fields.type === 'message_action') return shortcut;
  if (fields.type === 'view_submission' || fields.type === 'view_closed') return view;
  return undefined;
}
