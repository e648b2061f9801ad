/** The JSON bodies the simulator's page posts, checked before anything reaches the app. */
import { z } from 'zod';

const UserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a user id such as U01ALICE');
const ChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'a channel id such as C0GENERAL');
const Ts = z.string().regex(/^\d+\.\d+$/, 'a message ts such as 1700000000.000100');

export const CommandBody = z.object({
  user: UserId,
  channel: ChannelId,
  // Slack refuses messages over 40,000 characters.
  text: z.string().trim().min(1, 'type a message or a slash command').max(40_000),
});

export const ClickBody = z.object({
  user: UserId,
  channel: ChannelId,
  ts: Ts,
  actionId: z.string().min(1).max(255),
  /** The button's value, or the option, user id or date chosen. */
  value: z.string().max(2000).optional(),
  ephemeral: z.boolean().optional(),
});

export const ShortcutBody = z.object({
  user: UserId,
  channel: ChannelId,
  ts: Ts,
  callbackId: z.string().min(1).max(255),
});

export const SubmitBody = z.object({
  user: UserId,
  /** The modal the page shows; refused when the person's open modal is another one by now. */
  viewId: z.string().min(1).max(64).optional(),
  answers: z.record(z.string(), z.union([z.string().max(40_000), z.array(z.string().max(2000)).max(100), z.null()])),
});

export const CloseBody = z.object({ user: UserId });

/** One line for a 400 answer: the first problem, with where it is. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the body is not valid';
  const where = issue.path.length ? issue.path.join('.') : 'body';
  return `${where}: ${issue.message}`;
}
