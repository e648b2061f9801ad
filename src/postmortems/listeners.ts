/**
 * The post-mortem in Slack: `/incident postmortem` and the "Write the post-mortem" button open the form,
 * prefilled with the saved draft; saving keeps it, and what is missing comes back as field errors with
 * everything typed still in the form.
 */
import { z } from 'zod';
import type { Kit } from '../core/kit.ts';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { UserError } from '../core/errors.ts';
import { handleSubmission } from '../core/modal-submission.ts';
import type { SubCommand } from '../core/subcommand.ts';
import type { Incident } from '../incidents/index.ts';
import { postmortemModal, type LastEdit } from './blocks.ts';
import { formFromState, type PostmortemForm } from './form.ts';
import { fields, ids } from './ids.ts';
import type { SaveOutcome } from './save.ts';

export interface PostmortemListenerDeps extends Pick<Kit, 'openModal'> {
  incident(id: number): Promise<Incident | undefined>;
  /** The saved form (or a new one) and who saved it last. */
  draft(incidentId: number): Promise<{ form: PostmortemForm; lastEdit: LastEdit | undefined }>;
  save(incidentId: number, form: PostmortemForm, by: string): Promise<SaveOutcome>;
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
      async run(ctx) {
        const incident = (await deps.incident(ctx.incidentId!))!;
        const { form, lastEdit } = await deps.draft(incident.id);
        return { modal: postmortemModal(incident, form, lastEdit) };
      },
    },
  ];
}

/** The form's state as a PostmortemForm; a state that is not one fails like a schema. */
const PostmortemState = z.unknown().transform((values, ctx) => {
  const form = formFromState(values);
  if (form) return form;
  ctx.issues.push({ code: 'custom', message: 'not a post-mortem form', input: values });
  return z.NEVER;
});

export function registerPostmortemListeners(listeners: SlackListeners, deps: PostmortemListenerDeps): void {
  listeners.action(ids.openButton, async ({ ack, action, body }) => {
    await ack();
    const id = z.coerce.number().int().positive().safeParse('value' in action ? action.value : undefined);
    const incident = id.success ? await deps.incident(id.data) : undefined;
    if (!incident) throw new UserError('Klaxon does not know that incident.');
    const { form, lastEdit } = await deps.draft(incident.id);
    await deps.openModal(body.trigger_id, postmortemModal(incident, form, lastEdit));
  });

  listeners.view(ids.modal, async ({ ack, body, view }) => {
    const reading = { metadata: MetadataSchema, state: PostmortemState, errorBlock: fields.summary, unreadable: 'Klaxon could not read this form. Close it and open it again: your last saved draft is kept.' };
    await handleSubmission(ack, view, reading, async (form, { incidentId }) => {
      const outcome = await deps.save(incidentId, form, body.user.id);
      // A draft is saved with what is missing shown on the fields, the form still open.
      return outcome.state === 'draft' ? { fieldErrors: outcome.problems } : outcome;
    });
  });
}
