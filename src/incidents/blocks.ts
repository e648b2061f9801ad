/** Pure Block Kit builders for incidents: domain objects in, blocks out. No queries, no clock, no Slack calls. */
import type { KnownBlock, ModalView } from '@slack/types';
import { actions, button, context, fields, fitMrkdwn, input, LIMITS, modal, option, section } from '../core/blockkit.ts';
import type { ServiceConfig } from '../core/config.ts';
import { channelLink, date, escape, mention, truncate } from '../core/mrkdwn.ts';
import { ids } from './ids.ts';
import { incidentRef } from '../core/incident-ref.ts';
import { SUMMARY_MAX, TITLE_MAX, type Incident } from './incident.ts';
import { DEFAULT_SEVERITY, SEVERITIES, SEVERITY_INFO, type Severity } from './severity.ts';
import { STATUS_EMOJI, STATUS_LABEL } from './status.ts';
import { impactWindow, type Role } from './lifecycle.ts';
import { formatDuration } from '../core/duration.ts';
import { closeButton } from './change-blocks.ts';
import { serviceNameOrNull } from '../core/service-names.ts';

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
    input(
      f.options,
      'Options',
      { type: 'checkboxes', action_id: el, options: [option('Private incident', 'private', 'Private channel, no announcement'), option('This is a drill', 'drill', 'Practice: runs every flow, left out of metrics')] },
      { optional: true },
    ),
  ];
  return modal({ callbackId: ids.declareModal, title: 'Declare an incident', submit: 'Declare', blocks, privateMetadata });
}

export function serviceName(services: ServiceConfig[], serviceId: string | null): string {
  return serviceNameOrNull(services, serviceId) ?? 'none';
}

/** One-line text for notifications and fallbacks: `INC-7 (SEV2): Checkout returns 502`. */
export function incidentHeadline(incident: Incident): string {
  return `${incidentRef(incident.id)} (${SEVERITY_INFO[incident.severity].label.split(' ')[0]}): ${incident.title}`;
}

/** What the pinned summary shows beyond the incident row: the other roles and the latest status update. */
export interface SummaryView {
  incident: Incident;
  roles: Partial<Record<Role, string>>;
  lastUpdate?: { text: string; at: number; by: string | null };
}

const DRILL_MARK = ':test_tube: *Drill*: practice only, left out of metrics.';

/** How long it has lasted: a live "… ago" while open (Slack renders it for each reader), fixed once resolved. */
function durationText(incident: Incident): string {
  const window = impactWindow(incident, incident.resolvedAt ?? incident.declaredAt);
  const since = incident.impactStartedAt !== null ? 'Impact since' : 'Since';
  if (window.ongoing) return `${since} ${date(window.from, '{date_short_pretty} {time} ({ago})')}`;
  return `${formatDuration(window.to - window.from)}${incident.impactStartedAt !== null || incident.impactEndedAt !== null ? ' of impact' : ''}`;
}

/** The pinned summary: rebuilt from state and edited in place (its ts is stored on the incident). */
export function incidentSummaryBlocks(view: SummaryView, services: ServiceConfig[]): KnownBlock[] {
  const { incident, roles, lastUpdate } = view;
  const sev = SEVERITY_INFO[incident.severity];
  const id = String(incident.id);
  const blocks: KnownBlock[] = [
    section(`${sev.emoji} *${incidentRef(incident.id)}: ${escape(incident.title)}*`),
    fields([
      `*Status*\n${STATUS_EMOJI[incident.status]} ${STATUS_LABEL[incident.status]}${incident.closedAt !== null ? ' (closed)' : ''}`,
      `*Severity*\n${sev.emoji} ${sev.label}`,
      `*Service*\n${escape(serviceName(services, incident.serviceId))}`,
      `*Duration*\n${durationText(incident)}`,
      `*Lead*\n${mention(incident.leadId)}`,
      `*Comms*\n${roles.comms ? mention(roles.comms) : '_nobody yet_'}`,
      `*Scribe*\n${roles.scribe ? mention(roles.scribe) : '_nobody yet_'}`,
      `*Declared*\n${date(incident.declaredAt)} by ${mention(incident.declaredBy)}`,
    ]),
  ];
  if (incident.summary) blocks.push(section(`*Summary*\n${fitMrkdwn(escape(incident.summary), LIMITS.sectionText - 12)}`));
  if (incident.status === 'resolved' && incident.resolution) blocks.push(section(`*Resolution*\n${fitMrkdwn(escape(incident.resolution), LIMITS.sectionText - 15)}`));
  if (lastUpdate) blocks.push(section(`*Last update* (${date(lastUpdate.at, '{time}')}${lastUpdate.by ? `, ${mention(lastUpdate.by)}` : ''})\n${fitMrkdwn(escape(lastUpdate.text), LIMITS.sectionText - 80)}`));
  const marks = [...(incident.isDrill ? [DRILL_MARK] : []), ...(incident.isPrivate ? [':lock: Private incident: only this channel’s members can see it.'] : [])];
  if (marks.length) blocks.push(context(marks));
  if (incident.closedAt !== null) return blocks;
  blocks.push(
    actions(
      ids.summaryActions,
      incident.status === 'resolved'
        ? [button('Reopen', ids.reopenButton, id), closeButton(incident.id, 'Close channel')]
        : [
            button('Post update', ids.updateButton, id, 'primary'),
            button('Status', ids.statusButton, id),
            button('Severity', ids.severityButton, id),
            button('Add note', ids.noteButton, id),
            button('Impact times', ids.impactButton, id),
            button('Resolve', ids.resolveButton, id),
          ],
    ),
  );
  return blocks;
}

export function incidentSummaryText(incident: Incident): string {
  return escape(`${incident.isDrill ? '[DRILL] ' : ''}${incidentHeadline(incident)} | ${STATUS_LABEL[incident.status]}`);
}

export function announcementBlocks(incident: Incident, services: ServiceConfig[]): KnownBlock[] {
  const sev = SEVERITY_INFO[incident.severity];
  const headline = incident.status === 'resolved' ? `:white_check_mark: *${incidentRef(incident.id)} resolved*` : `:rotating_light: *${incidentRef(incident.id)} declared*`;
  return [
    section(`${incident.isDrill ? ':test_tube: *DRILL* ' : ''}${headline}: ${escape(incident.title)}`),
    context([
      `${sev.emoji} ${sev.label}`,
      `${STATUS_EMOJI[incident.status]} ${STATUS_LABEL[incident.status]}`,
      `Service: ${escape(serviceName(services, incident.serviceId))}`,
      `Lead: ${mention(incident.leadId)}`,
      `Join ${channelLink(incident.channelId!)}`,
    ]),
  ];
}

export function announcementText(incident: Incident): string {
  return `${incident.isDrill ? '[DRILL] ' : ''}${escape(incidentHeadline(incident))} | ${STATUS_LABEL[incident.status]}: join ${channelLink(incident.channelId!)}`;
}

/** Topic and purpose: plain, at most 250 characters, with the user's text escaped. */
export function channelTopic(incident: Incident): string {
  const sev = SEVERITY_INFO[incident.severity].label.split(' ')[0];
  return fitMrkdwn(`${incident.isDrill ? 'DRILL | ' : ''}${sev} | ${STATUS_LABEL[incident.status]} | Lead: ${mention(incident.leadId)} | ${escape(incident.title)}`, LIMITS.channelTopic);
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
