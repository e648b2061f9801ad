/**
 * Cross-cutting Bolt middleware. A UserError thrown by an action or shortcut handler after its ack becomes an
 * ephemeral answer to the person who clicked; anything else is logged by Bolt's error handler. Events Slack
 * delivers again are dropped.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { UserError } from '../core/errors.ts';

export const userErrorsAsReplies: Middleware<AnyMiddlewareArgs> = async (args) => {
  try {
    await args.next();
  } catch (error) {
    const respond = 'respond' in args ? args.respond : undefined;
    if (error instanceof UserError && typeof respond === 'function') {
      await respond({ response_type: 'ephemeral', replace_original: false, text: error.message });
      return;
    }
    throw error;
  }
};

/**
 * Drops a Slack event seen before (same event_id: Slack retried it), so that a retry never has a second effect.
 * `firstDelivery` records the id and answers whether it is new.
 */
export function dropRepeatedEvents(firstDelivery: (eventId: string) => boolean, onRepeat: (eventId: string) => void): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as { type?: unknown; event_id?: unknown };
    if (body.type === 'event_callback' && typeof body.event_id === 'string' && !firstDelivery(body.event_id)) {
      onRepeat(body.event_id);
      return;
    }
    await args.next();
  };
}

/**
 * One effect per gesture: a button clicked twice (the same control on the same message within `windowMs`) and a
 * modal submitted twice (the same view with the same values) reach the listeners once. The repeat gets the
 * first one's answer: nothing for a click, the same `response_action` (field errors) for a submission.
 */
export function answerRepeatsOnce(windowMs: number, now: () => number): Middleware<AnyMiddlewareArgs> {
  const seen = new Map<string, { at: number; answer: Promise<unknown> }>();
  return async (args) => {
    const key = gestureKey(args.body);
    if (key === undefined || !('ack' in args) || typeof args.ack !== 'function') return args.next();
    const at = now();
    for (const [k, v] of seen) if (at - v.at > windowMs) seen.delete(k);
    const ack = args.ack as (response?: unknown) => Promise<void>;
    const earlier = seen.get(key);
    if (earlier) {
      await ack(await earlier.answer);
      return;
    }
    let answered: (response: unknown) => void = () => {};
    seen.set(key, { at, answer: new Promise((resolve) => (answered = resolve)) });
    (args as { ack: (response?: unknown) => Promise<void> }).ack = async (response?: unknown) => {
      answered(response);
      await ack(response);
    };
    try {
      await args.next();
    } finally {
      answered(undefined);
    }
  };
}

/** What identifies a repeated gesture; undefined for everything else. */
function gestureKey(body: unknown): string | undefined {
  const b = body as { type?: string; user?: { id?: string }; view?: { id?: string; state?: unknown }; actions?: { action_id?: string; block_id?: string; value?: string; selected_option?: unknown; selected_user?: string; selected_date?: string }[]; container?: { message_ts?: string; view_id?: string } };
  if (b.type === 'view_submission' && b.view?.id) return `view:${b.user?.id}:${b.view.id}:${JSON.stringify(b.view.state ?? null)}`;
  const action = b.actions?.[0];
  if (b.type === 'block_actions' && action) {
    const chosen = action.value ?? action.selected_user ?? action.selected_date ?? JSON.stringify(action.selected_option ?? null);
    return `action:${b.user?.id}:${b.container?.message_ts ?? b.container?.view_id ?? ''}:${action.block_id}:${action.action_id}:${chosen}`;
  }
  return undefined;
}

/**
 * A payload no listener answered (a button or form Klaxon no longer knows, a shortcut it does not have) is
 * acknowledged at once with a log line, instead of leaving Slack waiting out its three seconds.
 */
export function acknowledgeUnhandled(onUnhandled: (what: string) => void): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    if (!('ack' in args) || typeof args.ack !== 'function') return args.next();
    const ack = args.ack as (response?: unknown) => Promise<void>;
    let acked = false;
    (args as { ack: (response?: unknown) => Promise<void> }).ack = async (response?: unknown) => {
      acked = true;
      await ack(response);
    };
    await args.next();
    if (acked) return;
    const body = args.body as { type?: string; callback_id?: string; view?: { callback_id?: string }; actions?: { action_id?: string }[] };
    onUnhandled(`${body.type ?? 'unknown'} ${body.actions?.[0]?.action_id ?? body.view?.callback_id ?? body.callback_id ?? ''}`.trim());
    await ack();
  };
}
