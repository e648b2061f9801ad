/** The alert group's buttons: Resolve (on its page DM and its message) and Escalate now (on the page DM). */
import { UserError } from '../core/errors.ts';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { ids } from './ids.ts';
import { GroupIdSchema } from './schemas.ts';

export interface AlertListenerDeps {
  resolve(groupId: number, userId: string): Promise<string>;
  escalate(groupId: number, userId: string): Promise<string>;
}

export function registerAlertListeners(listeners: SlackListeners, deps: AlertListenerDeps): void {
  for (const [actionId, act] of [
    [ids.resolveButton, deps.resolve],
    [ids.escalateButton, deps.escalate],
  ] as const) {
    listeners.action(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const groupId = GroupIdSchema.safeParse('value' in action ? action.value : undefined);
      if (!groupId.success) throw new UserError('This button is not an alert Klaxon knows.');
      await respond({ response_type: 'ephemeral', replace_original: false, text: await act(groupId.data, body.user.id) });
    });
  }
}
