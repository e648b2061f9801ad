/**
 * The incidents feature's Slack surface for declaring: the `declare` sub-command and the declare modal's
 * submission (running the incident is in lifecycle-listeners.ts). Each handler parses, calls one use case and answers once.
 */
import type { SlackListeners } from '../core/slack-listeners.ts';
import type { ServiceConfig } from '../core/config.ts';
import { handleSubmission } from '../core/modal-submission.ts';
import { typedText } from '../core/mrkdwn.ts';
import type { SubCommand } from '../core/subcommand.ts';
import { declareModal, declaringReply } from './blocks.ts';
import { parseDeclareArgs } from './declare-args.ts';
import { ids } from './ids.ts';
import { declareInputFromModal, DeclareModalMetadataSchema, DeclareModalStateSchema, type DeclareOrigin, type ReplyTo } from './schemas.ts';
import { DEFAULT_SEVERITY } from './severity.ts';
import type { Incident } from './incident.ts';

export interface IncidentListenerDeps {
  services: ServiceConfig[];
  declare(raw: Record<string, unknown>, declaredBy: string, origin: DeclareOrigin): Promise<Incident>;
}

export function incidentSubcommands(deps: IncidentListenerDeps): SubCommand[] {
  return [
    {
      name: 'declare',
      aliases: ['new'],
      usage: 'declare [sev1-4] [service] [title…]',
      help: `Declare an incident (severity defaults to ${DEFAULT_SEVERITY}); with no title, opens a form`,
      async run(ctx) {
        const args = parseDeclareArgs(typedText(ctx.text), deps.services.map((s) => s.id));
        const replyTo: ReplyTo = { responseUrl: ctx.responseUrl };
        if (!args.title) return { modal: declareModal(deps.services, args, JSON.stringify(replyTo)) };
        const incident = await deps.declare({ title: args.title, severity: args.severity ?? DEFAULT_SEVERITY, serviceId: args.serviceId ?? null, summary: '', isPrivate: false }, ctx.userId, replyTo);
        return { text: declaringReply(incident) };
      },
    },
  ];
}

/** Which modal block shows a validation message about each input field. */
const FIELD_BLOCK: Record<string, string> = {
  title: ids.fields.title,
  severity: ids.fields.severity,
  serviceId: ids.fields.service,
  summary: ids.fields.summary,
  isPrivate: ids.fields.options,
  isDrill: ids.fields.options,
};

export function registerIncidentListeners(listeners: SlackListeners, deps: IncidentListenerDeps): void {
  listeners.view(ids.declareModal, async ({ ack, body, view }) => {
    // Without a readable reply address the declarer is answered by DM.
    const form = { metadata: DeclareModalMetadataSchema.catch({}), state: DeclareModalStateSchema, errorBlock: ids.fields.title, blocks: FIELD_BLOCK };
    await handleSubmission(ack, view, form, async (state, origin) => {
      await deps.declare(declareInputFromModal(state), body.user.id, origin);
    });
  });
}

