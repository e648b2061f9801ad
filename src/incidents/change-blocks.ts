/**
 * Pure Block Kit for running an incident: the small modals behind the summary's buttons, and the messages
 * people must read (status updates, the resolution, reminders, a role's DM). No queries, no clock.
 */
import type { Button, KnownBlock, ModalView } from '@slack/types';
import { actions, button, context, fitMrkdwn, input, LIMITS, modal, option, section } from '../core/blockkit.ts';
import { formatDuration } from '../core/duration.ts';
import { channelLink, escape, mention } from '../core/mrkdwn.ts';
import { ids } from './ids.ts';
import { incidentRef } from '../core/incident-ref.ts';
import type { Incident } from './incident.ts';
import { impactWindow, ROLE_INFO, type Role } from './lifecycle.ts';
import { SEVERITIES, SEVERITY_INFO } from './severity.ts';
import { STATUS_EMOJI, STATUS_LABEL, STATUSES } from './status.ts';

export const UPDATE_MAX = 3000;
export const NOTE_MAX = 3000;
export const RESOLUTION_MAX = 500;

const f = ids.fields;
const el = ids.inputElement;

/** What every incident modal carries through its round trip. */
export function incidentMetadata(incidentId: number): string {
  return JSON.stringify({ incidentId });
}

function noteInput(label: string) {
  return input(f.note, label, { type: 'plain_text_input', action_id: el, multiline: true, max_length: NOTE_MAX }, { optional: true, hint: 'Recorded in the timeline with the change.' });
}

export function statusModal(incident: Incident): ModalView {
  const options = STATUSES.filter((s) => s !== 'resolved').map((s) => option(STATUS_LABEL[s], s));
  const initial = options.find((o) => o.value === incident.status);
  return modal({
    callbackId: ids.statusModal,
    title: `Status of ${incidentRef(incident.id)}`,
    submit: 'Change',
    privateMetadata: incidentMetadata(incident.id),
    blocks: [
      input(f.status, 'Status', { type: 'static_select', action_id: el, options, ...(initial ? { initial_option: initial } : {}) }, { hint: 'To resolve the incident, use Resolve: it asks for a resolution summary.' }),
      noteInput('Note (optional)'),
    ],
  });
}

export function severityModal(incident: Incident): ModalView {
  const options = SEVERITIES.map((s) => option(SEVERITY_INFO[s].label, s, SEVERITY_INFO[s].description));
  const initial = options[SEVERITIES.indexOf(incident.severity)];
  return modal({
    callbackId: ids.severityModal,
    title: `Severity of ${incidentRef(incident.id)}`,
    submit: 'Change',
    privateMetadata: incidentMetadata(incident.id),
    blocks: [input(f.severity, 'Severity', { type: 'static_select', action_id: el, options, ...(initial ? { initial_option: initial } : {}) }), noteInput('Why (optional)')],
  });
}

export function updateModal(incident: Incident, announced: boolean, prefill = ''): ModalView {
  const where = announced ? 'in the incident channel and the incidents channel' : 'in the incident channel';
  return modal({
    callbackId: ids.updateModal,
    title: 'Post a status update',
    submit: 'Post',
    privateMetadata: incidentMetadata(incident.id),
    blocks: [
      input(
        f.update,
        'Update',
        { type: 'plain_text_input', action_id: el, multiline: true, max_length: UPDATE_MAX, ...(prefill ? { initial_value: prefill.slice(0, UPDATE_MAX) } : {}) },
        { hint: `Posted ${where}: what is known, what is being done, when the next update comes.` },
      ),
    ],
  });
}

export function resolveModal(incident: Incident, prefill = ''): ModalView {
  return modal({
    callbackId: ids.resolveModal,
    title: `Resolve ${incidentRef(incident.id)}`,
    submit: 'Resolve',
    privateMetadata: incidentMetadata(incident.id),
    blocks: [
      input(
        f.resolution,
        'Resolution',
        { type: 'plain_text_input', action_id: el, max_length: RESOLUTION_MAX, placeholder: { type: 'plain_text', text: 'Rolled back release 4.2; error rate back to normal' }, ...(prefill ? { initial_value: prefill.slice(0, RESOLUTION_MAX) } : {}) },
        { hint: 'One line: what fixed it. Pages and update reminders stop.' },
      ),
    ],
  });
}

export function impactModal(incident: Incident): ModalView {
  const picker = (at: number | null) => ({ type: 'datetimepicker' as const, action_id: el, ...(at !== null ? { initial_date_time: Math.floor(at / 1000) } : {}) });
  return modal({
    callbackId: ids.impactModal,
    title: 'Impact times',
    submit: 'Save',
    privateMetadata: incidentMetadata(incident.id),
    blocks: [
      context([`Reports measure ${incidentRef(incident.id)} from when impact started to when it ended. Left empty, they use the declaration and resolution times.`]),
      input(f.impactStarted, 'Impact started', picker(incident.impactStartedAt), { optional: true, hint: 'Often before the incident was declared: when the first alert fired or customers were first affected.' }),
      input(f.impactEnded, 'Impact ended', picker(incident.impactEndedAt), { optional: true }),
    ],
  });
}

/** A status update as posted in the incident channel and INCIDENTS_CHANNEL. */
export function statusUpdateBlocks(incident: Incident, update: { text: string; by: string }, inAnnouncements: boolean): KnownBlock[] {
  const sev = SEVERITY_INFO[incident.severity];
  return [
    section(`:loudspeaker: *Update on ${incidentRef(incident.id)}${inAnnouncements ? `: ${escape(incident.title)}` : ''}*\n${fitMrkdwn(escape(update.text), LIMITS.sectionText - 250)}`),
    context([
      `${STATUS_EMOJI[incident.status]} ${STATUS_LABEL[incident.status]}`,
      `${sev.emoji} ${sev.label}`,
      `From ${mention(update.by)}`,
      ...(inAnnouncements && incident.channelId ? [`Follow in ${channelLink(incident.channelId)}`] : []),
      ...(incident.isDrill ? [':test_tube: Drill'] : []),
    ]),
  ];
}

export function statusUpdateText(incident: Incident, text: string): string {
  return `${incident.isDrill ? '[DRILL] ' : ''}Update on ${incidentRef(incident.id)}: ${escape(text)}`;
}

/** The resolution as posted in the channel (with the post-mortem offer) and in INCIDENTS_CHANNEL. */
export function resolvedBlocks(incident: Incident, by: string, now: number, inAnnouncements: boolean): KnownBlock[] {
  const window = impactWindow(incident, now);
  const lines = [
    `:white_check_mark: *${incidentRef(incident.id)} resolved* by ${mention(by)}${inAnnouncements ? `: ${escape(incident.title)}` : ''}`,
    `*Resolution:* ${escape(incident.resolution ?? '')}`,
    `*Duration:* ${formatDuration(window.to - window.from)}`,
  ];
  const blocks: KnownBlock[] = [section(fitMrkdwn(lines.join('\n'), LIMITS.sectionText))];
  if (inAnnouncements) {
    if (incident.channelId) blocks.push(context([`Details in ${channelLink(incident.channelId)}`]));
    return blocks;
  }
  blocks.push(
    context(['Pages and update reminders have stopped. Next: write the blameless post-mortem while memories are fresh; then `/incident close` archives this channel.']),
    actions(ids.resolvedActions, [button('Write the post-mortem', ids.postmortemButton, String(incident.id), 'primary'), button('Reopen', ids.reopenButton, String(incident.id))]),
  );
  return blocks;
}

export function resolvedText(incident: Incident): string {
  return `${incidentRef(incident.id)} resolved: ${escape(incident.resolution ?? '')}`;
}

export function reopenedText(incident: Incident, by: string): string {
  return `:arrows_counterclockwise: ${mention(by)} reopened ${incidentRef(incident.id)}: back to ${STATUS_LABEL[incident.status].toLowerCase()}. Pages already withdrawn stay withdrawn; \`/incident page\` brings people back.`;
}

export function reminderBlocks(incident: Incident, quietFor: string): KnownBlock[] {
  return [
    section(`:alarm_clock: ${mention(incident.leadId)}, no status update for ${incidentRef(incident.id)} in ${quietFor}. Stakeholders are waiting: what is known, what is being done, when is the next update?`),
    actions(ids.reminderActions, [button('Post update', ids.updateButton, String(incident.id), 'primary')]),
  ];
}

export function reminderText(incident: Incident, quietFor: string): string {
  return `${incidentRef(incident.id)}: no status update in ${quietFor}`;
}

/** The DM to someone given a role: what it means and where to go. */
export function roleDmText(incident: Incident, role: Role, by: string): string {
  const info = ROLE_INFO[role];
  return [
    `${mention(by)} made you *${info.label}* for *${incidentRef(incident.id)}*: ${escape(incident.title)}${incident.channelId ? ` in ${channelLink(incident.channelId)}` : ''}.`,
    info.duties,
  ].join('\n');
}

export function closingText(incident: Incident, by: string): string {
  return `:file_cabinet: ${mention(by)} closed ${incidentRef(incident.id)}. This channel is archived now; its timeline stays in Klaxon (\`/incident timeline ${incidentRef(incident.id)}\`).`;
}

/** The confirmation `/incident close` answers with. */
export function closeConfirmBlocks(incident: Incident): KnownBlock[] {
  return [
    section(`Close *${incidentRef(incident.id)}* and archive ${incident.channelId ? channelLink(incident.channelId) : 'its channel'}? Do it once the post-mortem is written: the channel becomes read-only.`),
    actions(ids.closeActions, [closeButton(incident.id, 'Archive the channel')]),
  ];
}

/** The button that closes the incident, behind Slack's own confirmation dialog. */
export function closeButton(incidentId: number, label: string): Button {
  return {
    ...button(label, ids.closeButton, String(incidentId), 'danger'),
    confirm: {
      title: { type: 'plain_text', text: `Close ${incidentRef(incidentId)}?` },
      text: { type: 'mrkdwn', text: 'The channel is archived; the timeline and post-mortem stay in Klaxon.' },
      confirm: { type: 'plain_text', text: 'Archive' },
      deny: { type: 'plain_text', text: 'Not yet' },
      style: 'danger',
    },
  };
}
