/**
 * `/incident` sub-commands that later releases add. Until a feature registers the real one, the router answers
 * "not available yet" and `help` lists them as coming. Remove an entry when its feature lands.
 */
import type { App } from '@slack/bolt';
import type { PlannedSubCommand } from '../core/subcommand.ts';

export const PLANNED_COMMANDS: PlannedSubCommand[] = [
  { name: 'postmortem', usage: 'postmortem', help: 'Open the post-mortem form' },
  { name: 'problems', usage: 'problems [mine|open|all]', help: 'Follow-up problem tickets' },
];

/** Buttons Klaxon already shows whose feature has not landed yet. Remove an entry when its feature lands. */
const PLANNED_ACTIONS = [{ actionId: 'postmortem.open', what: 'The post-mortem form' }];

/** Answers the planned buttons with "not available yet". */
export function registerPlannedActions(app: App): void {
  for (const planned of PLANNED_ACTIONS) {
    app.action({ action_id: planned.actionId, type: 'block_actions' }, async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, text: `${planned.what} is not available yet: it arrives in a later release of Klaxon.` });
    });
  }
}
