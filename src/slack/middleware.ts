/**
 * Cross-cutting Bolt middleware. A UserError thrown by an action or shortcut handler after its ack becomes an
 * ephemeral answer to the person who clicked, and so does a Slack failure (then also logged); anything else is
 * logged by Bolt's error handler. Events Slack delivers again are dropped.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { UserError } from '../core/errors.ts';
import { SlackCallError } from '../core/slack-gateway.ts';
import { slackTroubleText } from '../core/slack-trouble.ts';

export const userErrorsAsReplies: Middleware<AnyMiddlewareArgs> = async (args) => {
  try {
    await args.next();
  } catch (error) {
    const respond = 'respond' in args ? args.respond : undefined;
    if (error instanceof UserError && typeof respond === 'function') {
      await respond({ response_type: 'ephemeral', replace_original: false, text: error.message });
      return;
    }
    // Slack failing (a 429, no answer) is said as such, with when to try again, and still logged.
    if (error instanceof SlackCallError && typeof respond === 'function') {
      await respond({ response_type: 'ephemeral', replace_original: false, text: slackTroubleText(error) });
    }
    throw error;
  }
};

/**
 * Drops a Slack event seen before (same event_id: Slack retried it), so that a retry never has a second effect.
 * `firstDelivery` records the id and answers whether it is new.
 */
export function dropRepeatedEvents(firstDelivery: (eventId: string) => Promise<boolean>, onRepeat: (eventId: string) => void): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as { type?: unknown; event_id?: unknown };
    if (body.type === 'event_callback' && typeof body.event_id === 'string' && !(await firstDelivery(body.event_id))) {
      onRepeat(body.event_id);
      return;
    }
    await args.next();
  };
}

