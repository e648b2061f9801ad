/**
 * `/incident` sub-commands that later releases add. Until a feature registers the real one, the router answers
 * "not available yet" and `help` lists them as coming. Remove an entry when its feature lands.
 */
import type { App } from '@slack/bolt';
import type { PlannedSubCommand } from '../core/subcommand.ts';

export const PLANNED_COMMANDS: PlannedSubCommand[] = [
  { name: 'note', usage: 'note <text>', help: 'Add an entry to the timeline' },
  { name: 'timeline', usage: 'timeline', help: 'Show the timeline' },
  { name: 'postmortem', usage: 'postmortem', help: 'Open the post-mortem form' },
  { name: 'problems', usage: 'problems [mine|open|all]', help: 'Follow-up problem tickets' },
];

/** Shortcuts in manifest.yml whose feature has not landed yet. Remove an entry when its feature lands. */
const PLANNED_SHORTCUTS = [{ callbackId: 'timeline.add_entry', what: 'Adding messages to the incident timeline' }];

/** Answers the planned shortcuts with "not available yet". */
export function registerPlannedShortcuts(app: App): void {
  for (const shortcut of PLANNED_SHORTCUTS) {
    app.shortcut(shortcut.callbackId, async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', text: `${shortcut.what} is not available yet: it arrives in a later release of Klaxon.` });
    });
  }
}
