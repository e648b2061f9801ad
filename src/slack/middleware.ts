/**
 * Cross-cutting Bolt middleware. A UserError thrown by an action or shortcut handler after its ack becomes an
 * ephemeral answer to the person who clicked; anything else is logged by Bolt's error handler.
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
