/**
 * Running an incident from Slack: the `status`, `severity`, `update`, `lead`, `role`, `resolve`, `reopen` and
 * `close` sub-commands, the summary message's buttons and the small modals behind them. Each handler parses,
 * calls one use case and answers once; a refusal (UserError) comes back to the person as a field error in a
 * modal, or as an ephemeral answer.
 */
import type { ModalView } from '@slack/types';
import type { z } from 'zod';
import type { Kit } from '../core/kit.ts';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { UserError } from '../core/errors.ts';
import { handleSubmission } from '../core/modal-submission.ts';
import { escape, mention, parseMention, typedText } from '../core/mrkdwn.ts';
import type { CommandResult, SubCommand } from '../core/subcommand.ts';
import { closeConfirmBlocks, impactModal, resolveModal, severityModal, statusModal, updateModal } from './change-blocks.ts';
import type { IncidentChanges } from './changes.ts';
import { ids } from './ids.ts';
import { incidentRef } from '../core/incident-ref.ts';
import type { Incident } from './incident.ts';
import { closeRefusal, isRole, parseStatus, ROLE_INFO, ROLES } from './lifecycle.ts';
import {
  ImpactModalStateSchema,
  IncidentIdValueSchema,
  IncidentMetadataSchema,
  ResolveModalStateSchema,
  SeverityModalStateSchema,
  StatusModalStateSchema,
  UpdateModalStateSchema,
} from './schemas.ts';
import { isSeverity, SEVERITY_INFO } from './severity.ts';
import { STATUS_LABEL } from './status.ts';

export interface LifecycleListenerDeps extends Pick<Kit, 'openModal'> {
  changes: IncidentChanges;
  incident(id: number): Promise<Incident | undefined>;
  /** Whether status updates also go to INCIDENTS_CHANNEL (for public incidents). */
  announces: boolean;
}

const f = ids.fields;
const el = ids.inputElement;

function words(text: string): { first: string; rest: string } {
  const match = /^(\S*)\s*([\s\S]*)$/.exec(text.trim());
  return { first: match?.[1] ?? '', rest: match?.[2]?.trim() ?? '' };
}

export function lifecycleSubcommands(deps: LifecycleListenerDeps): SubCommand[] {
  const incidentOf = async (id: number | undefined): Promise<Incident> => (await deps.incident(id!))!;
  return [
    {
      name: 'status',
      usage: 'status <investigating|identified|monitoring|resolved> [note]',
      help: 'Move the incident through its lifecycle (with no status, opens a form)',
      needsIncident: true,
      async run(ctx): Promise<CommandResult> {
        const incident = await incidentOf(ctx.incidentId);
        const { first, rest } = words(ctx.text);
        if (!first) return { modal: statusModal(incident) };
        const to = parseStatus(first);
        if (!to) throw new UserError(`\`${escape(typedText(first))}\` is not a status. Use one of: investigating, identified, monitoring, resolved.`);
        const note = typedText(rest);
        if (to === 'resolved') return note ? resolved(await deps.changes.resolve(incident.id, note, ctx.userId)) : { modal: resolveModal(incident) };
        const changed = await deps.changes.changeStatus(incident.id, to, ctx.userId, note);
        return { text: `${incidentRef(changed.id)} is now *${STATUS_LABEL[changed.status].toLowerCase()}*. The summary and topic show it.` };
      },
    },
    {
      name: 'severity',
      aliases: ['sev'],
      usage: 'severity <sev1-4> [why]',
      help: 'Change the severity (with none, opens a form)',
      needsIncident: true,
      async run(ctx): Promise<CommandResult> {
        const incident = await incidentOf(ctx.incidentId);
        const { first, rest } = words(ctx.text);
        if (!first) return { modal: severityModal(incident) };
        const to = first.toLowerCase();
        if (!isSeverity(to)) throw new UserError(`\`${escape(typedText(first))}\` is not a severity. Use sev1, sev2, sev3 or sev4.`);
        const changed = await deps.changes.changeSeverity(incident.id, to, ctx.userId, typedText(rest));
        return { text: `${incidentRef(changed.id)} is now *${SEVERITY_INFO[changed.severity].label}*.` };
      },
    },
    {
      name: 'update',
      usage: 'update <text>',
      help: 'Post a status update in the channel and for stakeholders (with no text, opens a form)',
      needsIncident: true,
      async run(ctx): Promise<CommandResult> {
        const incident = await incidentOf(ctx.incidentId);
        const text = typedText(ctx.text);
        if (!text.trim()) return { modal: updateModal(incident, deps.announces && !incident.isPrivate) };
        await deps.changes.postUpdate(incident.id, text, ctx.userId);
        return { text: `Your update for ${incidentRef(incident.id)} is being posted.` };
      },
    },
    {
      name: 'lead',
      asksSlack: true,
      usage: 'lead <@person>',
      help: 'Hand the incident lead to someone',
      needsIncident: true,
      run: async (ctx) => assign(deps, await incidentOf(ctx.incidentId), 'lead', ctx.text, ctx.userId),
    },
    {
      name: 'role',
      asksSlack: true,
      usage: `role <${ROLES.join('|')}> <@person>`,
      help: 'Give someone a role: lead (incident commander), comms or scribe',
      needsIncident: true,
      async run(ctx) {
        const { first, rest } = words(ctx.text);
        const role = first.toLowerCase();
        if (!isRole(role)) throw new UserError(`Roles are ${ROLES.join(', ')}: \`/incident role comms @person\`.`);
        return assign(deps, await incidentOf(ctx.incidentId), role, rest, ctx.userId);
      },
    },
    {
      name: 'resolve',
      usage: 'resolve [what fixed it]',
      help: 'Resolve the incident: stops pages and reminders and offers the post-mortem (with no text, opens a form)',
      needsIncident: true,
      async run(ctx): Promise<CommandResult> {
        const incident = await incidentOf(ctx.incidentId);
        const text = typedText(ctx.text);
        if (!text.trim()) return { modal: resolveModal(incident) };
        return resolved(await deps.changes.resolve(incident.id, text, ctx.userId));
      },
    },
    {
      name: 'reopen',
      usage: 'reopen',
      help: 'Reopen a resolved incident',
      needsIncident: true,
      async run(ctx) {
        const incident = await deps.changes.reopen(ctx.incidentId!, ctx.userId);
        return { text: `${incidentRef(incident.id)} is open again (investigating); update reminders start again.` };
      },
    },
    {
      name: 'close',
      usage: 'close',
      help: 'Archive the incident channel once the post-mortem is written (asks first)',
      needsIncident: true,
      async run(ctx) {
        const incident = await incidentOf(ctx.incidentId);
        const refusal = closeRefusal(incident);
        if (refusal) throw new UserError(refusal);
        return { text: `Close ${incidentRef(incident.id)}?`, blocks: closeConfirmBlocks(incident) };
      },
    },
  ];
}

function resolved(incident: Incident): CommandResult {
  return { text: `${incidentRef(incident.id)} is resolved. Pages and reminders have stopped; the channel hears it and is offered the post-mortem.` };
}

async function assign(deps: LifecycleListenerDeps, incident: Incident, role: 'lead' | 'comms' | 'scribe', text: string, by: string): Promise<CommandResult> {
  const userId = parseMention(words(text).first);
  if (!userId) throw new UserError(`Say who, as an @mention: \`/incident ${role === 'lead' ? 'lead' : `role ${role}`} @person\`.`);
  await deps.changes.assignRole(incident.id, role, userId, by);
  return { text: `${mention(userId)} is now ${ROLE_INFO[role].label.toLowerCase()} of ${incidentRef(incident.id)}; Klaxon invites them to the channel and tells them what the role means.` };
}

/** The buttons on the summary (and on reminders and the resolution message). */
const MODAL_BUTTONS: { actionId: string; modal: (incident: Incident, deps: LifecycleListenerDeps) => ModalView }[] = [
  { actionId: ids.updateButton, modal: (incident, deps) => updateModal(incident, deps.announces && !incident.isPrivate) },
  { actionId: ids.statusButton, modal: (incident) => statusModal(incident) },
  { actionId: ids.severityButton, modal: (incident) => severityModal(incident) },
  { actionId: ids.impactButton, modal: (incident) => impactModal(incident) },
  { actionId: ids.resolveButton, modal: (incident) => resolveModal(incident) },
];

export function registerLifecycleListeners(listeners: SlackListeners, deps: LifecycleListenerDeps): void {
  const clicked = async (value: unknown): Promise<Incident> => {
    const id = IncidentIdValueSchema.safeParse(value);
    const incident = id.success ? await deps.incident(id.data) : undefined;
    if (!incident) throw new UserError('Klaxon does not know that incident.');
    return incident;
  };
  for (const button of MODAL_BUTTONS) {
    listeners.action(button.actionId, async ({ ack, action, body }) => {
      await ack();
      const incident = await clicked('value' in action ? action.value : undefined);
      await deps.openModal(body.trigger_id, button.modal(incident, deps));
    });
  }
  listeners.action(ids.reopenButton, async ({ ack, action, body, respond }) => {
    await ack();
    const incident = await deps.changes.reopen((await clicked('value' in action ? action.value : undefined)).id, body.user.id);
    await respond({ response_type: 'ephemeral', replace_original: false, text: `${incidentRef(incident.id)} is open again.` });
  });
  listeners.action(ids.closeButton, async ({ ack, action, body, respond }) => {
    await ack();
    const incident = await deps.changes.close((await clicked('value' in action ? action.value : undefined)).id, body.user.id);
    await respond({ response_type: 'ephemeral', replace_original: true, text: `${incidentRef(incident.id)} is closed; its channel is being archived.` });
  });

  submit(listeners, ids.statusModal, StatusModalStateSchema, f.status, async (state, incidentId, userId) => {
    const to = parseStatus(state[f.status][el].selected_option?.value ?? '');
    if (!to) throw new UserError('Pick a status.');
    await deps.changes.changeStatus(incidentId, to, userId, state[f.note][el].value ?? '');
  });
  submit(listeners, ids.severityModal, SeverityModalStateSchema, f.severity, async (state, incidentId, userId) => {
    const to = state[f.severity][el].selected_option?.value ?? '';
    if (!isSeverity(to)) throw new UserError('Pick a severity.');
    await deps.changes.changeSeverity(incidentId, to, userId, state[f.note][el].value ?? '');
  });
  submit(listeners, ids.updateModal, UpdateModalStateSchema, f.update, async (state, incidentId, userId) => {
    await deps.changes.postUpdate(incidentId, state[f.update][el].value ?? '', userId);
  });
  submit(listeners, ids.resolveModal, ResolveModalStateSchema, f.resolution, async (state, incidentId, userId) => {
    await deps.changes.resolve(incidentId, state[f.resolution][el].value ?? '', userId);
  });
  submit(listeners, ids.impactModal, ImpactModalStateSchema, f.impactStarted, async (state, incidentId, userId) => {
    const seconds = (value: number | null | undefined) => (value === null || value === undefined ? null : value * 1000);
    await deps.changes.setImpact(incidentId, seconds(state[f.impactStarted][el].selected_date_time), seconds(state[f.impactEnded][el].selected_date_time), userId);
  });
}

/** A form about one incident (named in its private_metadata): runs the change, refusals shown on the form. */
function submit<T>(listeners: SlackListeners, callbackId: string, schema: z.ZodType<T>, errorBlock: string, run: (state: T, incidentId: number, userId: string) => Promise<void>): void {
  listeners.view(callbackId, async ({ ack, body, view }) => {
    await handleSubmission(ack, view, { metadata: IncidentMetadataSchema, state: schema, errorBlock }, (state, incident) => run(state, incident.incidentId, body.user.id));
  });
}
