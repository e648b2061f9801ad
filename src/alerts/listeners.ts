/**
 * The alert group's buttons: Resolve and Declare incident (on its page DM and its message), Escalate now (on the
 * page DM). Declare incident opens the declare form, filled in from the alert.
 */
import { UserError } from '../core/errors.ts';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { ids } from './ids.ts';
import { GroupIdSchema } from './schemas.ts';

export interface AlertListenerDeps {
  resolve(groupId: number, userId: string): Promise<string>;
  escalate(groupId: number, userId: string): Promise<string>;
  declare(groupId: number, triggerId: string): Promise<void>;
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
  listeners.action(ids.declareButton, async ({ ack, body, action }) => {
    await ack();
    const groupId = GroupIdSchema.safeParse('value' in action ? action.value : undefined);
    if (!groupId.success) throw new UserError('This button is not an alert Klaxon knows.');
    await deps.declare(groupId.data, (body as { trigger_id: string }).trigger_id);
  });
}
