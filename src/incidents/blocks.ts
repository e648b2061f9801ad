/** Pure Block Kit builders for incidents: domain objects in, blocks out. No queries, no clock, no Slack calls. */
import type { KnownBlock, ModalView } from '@slack/types';
import { actions, button, context, fields, fitMrkdwn, input, LIMITS, modal, option, section } from '../core/blockkit.ts';
import type { ServiceConfig } from '../core/config.ts';
import { channelLink, date, escape, mention, truncate } from '../core/mrkdwn.ts';
import { ids } from './ids.ts';
import { incidentRef } from './incident-ref.ts';
import { SUMMARY_MAX, TITLE_MAX, type Incident } from './incident.ts';
import { DEFAULT_SEVERITY, SEVERITIES, SEVERITY_INFO, type Severity } from './severity.ts';
import { STATUS_LABEL } from './status.ts';

export interface DeclarePrefill {
  title?: string;
  severity?: Severity;
  serviceId?: string;
  summary?: string;
}

export function declareModal(services: ServiceConfig[], prefill: DeclarePrefill, privateMetadata: string): ModalView {
  const f = ids.fields;
  const el = ids.inputElement;
  const severityOptions = SEVERITIES.map((sev) => option(SEVERITY_INFO[sev].label, sev, SEVERITY_INFO[sev].description));
  const serviceOptions = services.slice(0, 100).map((s) => option(s.name, s.id, s.id));
  const initialSeverity = severityOptions[SEVERITIES.indexOf(prefill.severity ?? DEFAULT_SEVERITY)];
  const initialService = serviceOptions.find((o) => o.value === prefill.serviceId);
  const blocks: KnownBlock[] = [
    input(f.title, 'Title', {
      type: 'plain_text_input',
      action_id: el,
      max_length: TITLE_MAX,
      placeholder: { type: 'plain_text', text: 'What is broken, as customers see it' },
      ...(prefill.title ? { initial_value: truncate(prefill.title, TITLE_MAX) } : {}),
    }),
    input(f.severity, 'Severity', { type: 'static_select', action_id: el, options: severityOptions, ...(initialSeverity ? { initial_option: initialSeverity } : {}) }),
    ...(serviceOptions.length
      ? [input(f.service, 'Service', { type: 'static_select', action_id: el, options: serviceOptions, placeholder: { type: 'plain_text', text: 'Pick the affected service' }, ...(initialService ? { initial_option: initialService } : {}) }, { optional: true })]
      : [context(['No services are configured in klaxon.yml, so this incident will have none.'])]),
    input(
      f.summary,
      'Summary',
      { type: 'plain_text_input', action_id: el, multiline: true, max_length: SUMMARY_MAX, ...(prefill.summary ? { initial_value: prefill.summary } : {}) },
      { optional: true, hint: 'What you know so far: symptoms, alerts, first suspicions.' },
    ),
    input(f.private, 'Visibility', { type: 'checkboxes', action_id: el, options: [option('Private incident', 'private', 'Private channel, no announcement')] }, { optional: true }),
  ];
  return modal({ callbackId: ids.declareModal, title: 'Declare an incident', submit: 'Declare', blocks, privateMetadata });
}

export function serviceName(services: ServiceConfig[], serviceId: string | null): string {
  if (serviceId === null) return 'none';
  return services.find((s) => s.id === serviceId)?.name ?? serviceId;
}

/** One-line text for notifications and fallbacks: `INC-7 (SEV2): Checkout returns 502`. */
export function incidentHeadline(incident: Incident): string {
  return `${incidentRef(incident.id)} (${SEVERITY_INFO[incident.severity].label.split(' ')[0]}): ${incident.title}`;
}

/** The pinned summary: kept current by editing it in place (its ts is stored on the incident). */
export function incidentSummaryBlocks(incident: Incident, services: ServiceConfig[]): KnownBlock[] {
  const sev = SEVERITY_INFO[incident.severity];
  const blocks: KnownBlock[] = [
    section(`${sev.emoji} *${incidentRef(incident.id)}: ${escape(incident.title)}*`),
    fields([
      `*Severity*\n${sev.emoji} ${sev.label}`,
      `*Status*\n${STATUS_LABEL[incident.status]}`,
      `*Service*\n${escape(serviceName(services, incident.serviceId))}`,
      `*Lead*\n${mention(incident.leadId)}`,
      `*Declared by*\n${mention(incident.declaredBy)}`,
      `*Declared*\n${date(incident.declaredAt)}`,
    ]),
  ];
  if (incident.summary) blocks.push(section(`*Summary*\n${fitMrkdwn(escape(incident.summary), LIMITS.sectionText - 12)}`));
  if (incident.isPrivate) blocks.push(context([':lock: Private incident: only this channel’s members can see it.']));
  blocks.push(
    actions(ids.summaryActions, [
      button('Update status', ids.statusButton, String(incident.id)),
      button('Change severity', ids.severityButton, String(incident.id)),
      button('Add note', ids.noteButton, String(incident.id)),
      button('Resolve', ids.resolveButton, String(incident.id), 'primary'),
    ]),
  );
  return blocks;
}

export function incidentSummaryText(incident: Incident): string {
  return escape(`${incidentHeadline(incident)} | ${STATUS_LABEL[incident.status]}`);
}

export function announcementBlocks(incident: Incident, services: ServiceConfig[]): KnownBlock[] {
  const sev = SEVERITY_INFO[incident.severity];
  return [
    section(`:rotating_light: *${incidentRef(incident.id)} declared*: ${escape(incident.title)}`),
    context([
      `${sev.emoji} ${sev.label}`,
      `Service: ${escape(serviceName(services, incident.serviceId))}`,
      `Lead: ${mention(incident.leadId)}`,
      `Join ${channelLink(incident.channelId!)}`,
    ]),
  ];
}

export function announcementText(incident: Incident): string {
  return `${escape(incidentHeadline(incident))}: join ${channelLink(incident.channelId!)}`;
}

/** Topic and purpose: plain, at most 250 characters, with the user's text escaped. */
export function channelTopic(incident: Incident): string {
  const sev = SEVERITY_INFO[incident.severity].label.split(' ')[0];
  return fitMrkdwn(`${sev} | ${STATUS_LABEL[incident.status]} | Lead: ${mention(incident.leadId)} | ${escape(incident.title)}`, LIMITS.channelTopic);
}

export function channelPurpose(incident: Incident): string {
  return fitMrkdwn(`${incidentRef(incident.id)}: ${escape(incident.title)}. Declared by ${mention(incident.declaredBy)}; managed by Klaxon (/incident help).`, LIMITS.channelTopic);
}

/** The declarer's first answer, while the channel is being made. */
export function declaringReply(incident: Incident): string {
  return `:rotating_light: *${incidentRef(incident.id)}* declared: ${escape(incident.title)}. Setting up its channel…`;
}

export function declaredReply(incident: Incident, warnings: string[]): string {
  const lines = [`:white_check_mark: *${incidentRef(incident.id)}* is open in ${channelLink(incident.channelId!)}. You are the incident lead until someone else takes it.`];
  return [...lines, ...warnings.map((w) => `:warning: ${w}`)].join('\n');
}

export function provisioningFailedReply(incident: Incident, problem: string): string {
  return [
    `:x: *${incidentRef(incident.id)}* (${escape(incident.title)}) is recorded, but Klaxon could not finish setting it up in Slack: ${escape(problem)}.`,
    incident.channelId ? `Its channel is ${channelLink(incident.channelId)}.` : 'It has no channel yet.',
    'Nothing you typed is lost. Klaxon tries again when it next starts; whoever runs it will find the details in its log.',
  ].join('\n');
}
