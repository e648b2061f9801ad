/**
 * The post-mortem in Slack: `/incident postmortem` and the "Write the post-mortem" button open the form,
 * prefilled with the saved draft; saving keeps it, and what is missing comes back as field errors with
 * everything typed still in the form.
 */
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { UserError } from '../core/errors.ts';
import type { SubCommand } from '../core/subcommand.ts';
import type { Incident } from '../incidents/index.ts';
import { postmortemModal, type LastEdit } from './blocks.ts';
import { formFromState, type PostmortemForm } from './form.ts';
import { fields, ids } from './ids.ts';
import type { SaveOutcome } from './save.ts';

export interface PostmortemListenerDeps {
  incident(id: number): Incident | undefined;
  /** The saved form (or a new one) and who saved it last. */
  draft(incidentId: number): { form: PostmortemForm; lastEdit: LastEdit | undefined };
  save(incidentId: number, form: PostmortemForm, by: string): SaveOutcome;
  openModal(triggerId: string, view: ModalView): Promise<void>;
}

const MetadataSchema = z.object({ incidentId: z.number().int().positive() });

export function postmortemSubcommands(deps: PostmortemListenerDeps): SubCommand[] {
  return [
    {
      name: 'postmortem',
      aliases: ['pm'],
      usage: 'postmortem',
      help: 'Open the post-mortem form (five whys, follow-up actions, problem ticket); it keeps drafts',
      needsIncident: true,
      run(ctx) {
        const incident = deps.incident(ctx.incidentId!)!;
        const { form, lastEdit } = deps.draft(incident.id);
        return { modal: postmortemModal(incident, form, lastEdit) };
      },
    },
  ];
}

export function registerPostmortemListeners(listeners: SlackListeners, deps: PostmortemListenerDeps): void {
  listeners.action(ids.openButton, async ({ ack, action, body }) => {
    await ack();
    const id = z.coerce.number().int().positive().safeParse('value' in action ? action.value : undefined);
    const incident = id.success ? deps.incident(id.data) : undefined;
    if (!incident) throw new UserError('Klaxon does not know that incident.');
    const { form, lastEdit } = deps.draft(incident.id);
    await deps.openModal(body.trigger_id, postmortemModal(incident, form, lastEdit));
  });

  listeners.view(ids.modal, async ({ ack, body, view }) => {
    let metadata: unknown;
    try {
      metadata = JSON.parse(view.private_metadata || '{}');
    } catch {
      metadata = undefined;
    }
    const meta = MetadataSchema.safeParse(metadata);
    const form = formFromState(view.state.values);
    if (!meta.success || !form) return await ack({ response_action: 'errors', errors: { [fields.summary]: 'Klaxon could not read this form. Close it and open it again: your last saved draft is kept.' } });
    let outcome: SaveOutcome;
    try {
      outcome = deps.save(meta.data.incidentId, form, body.user.id);
    } catch (error) {
      if (error instanceof UserError) return await ack({ response_action: 'errors', errors: { [fields.summary]: error.message } });
      throw error;
    }
    if (outcome.state === 'draft') return await ack({ response_action: 'errors', errors: outcome.problems });
    await ack();
  });
}
