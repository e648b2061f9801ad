/**
 * What a page looks like on every surface: the DM to the person paged, the step's line in the incident channel,
 * and the "nobody has acknowledged" alert. Each is rebuilt from the escalation's state and edited in place, so
 * every surface shows the same acknowledgement. Pure: the caller gathers the facts.
 */
import type { Button, KnownBlock } from '@slack/types';
import { actions, button, context, fields, section } from '../core/blockkit.ts';
import { channelLink, date, escape, mention } from '../core/mrkdwn.ts';
import { describePosition } from './escalation.ts';
import { formatDuration } from '../core/duration.ts';
import { ids } from './ids.ts';

/** What a page is for, as the page shows it: an incident, or an alert group from monitoring. */
export interface PagedSubject {
  /** INC-42 or ALERT-12. */
  ref: string;
  title: string;
  /** `SEV2 Major` */
  severityLabel: string;
  serviceName: string | null;
  /** The incident channel (null while it is being created); an alert group has none. */
  channelId: string | null;
  /**
   * An alert group's own part of its page DM: what fired (labels, links) and what can be done beside
   * acknowledging; and when Klaxon received it (for klaxon_alert_to_page_seconds).
   */
  alert?: { details: KnownBlock[]; buttons: Button[]; openedAt: number };
}

export interface EscalationFacts {
  status: 'active' | 'acknowledged' | 'exhausted' | 'cancelled';
  /** `Payments API` for a policy, or null for a direct page. */
  label: string | null;
  startedBy: string;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  /** The step paging now and when the next one fires, while active. */
  current: { level: number; loop: number } | null;
  nextAt: number | null;
  nextPosition: { level: number; loop: number } | null;
}

export interface StepFacts {
  level: number;
  loop: number;
  targets: string[];
  status: 'paging' | 'acknowledged' | 'escalated' | 'exhausted' | 'empty' | 'cancelled';
  startedAt: number;
  timeoutAt: number | null;
  people: { userId: string; pagedAt: number; acknowledgedAt: number | null; deliveryError: string | null }[];
}

const TIME = '{date_short_pretty} {time}';

function where(escalation: EscalationFacts, step: { level: number; loop: number }): string {
  return escalation.label === null ? 'direct page' : `${escape(escalation.label)}, ${describePosition(step)}`;
}

/** The DM text for notifications and fallbacks. */
export function pageDmText(incident: PagedSubject): string {
  return `You are paged for ${incident.ref} (${incident.severityLabel.split(' ')[0]}): ${escape(incident.title)}`;
}

export function pageDmBlocks(subject: PagedSubject, escalation: EscalationFacts, step: StepFacts, page: { id: number; userId: string; status: string; pagedAt: number; acknowledgedAt: number | null }): KnownBlock[] {
  const blocks: KnownBlock[] = [
    section(`:rotating_light: *You are paged for ${subject.ref}: ${escape(subject.title)}*`),
    fields([
      `*Severity*\n${subject.severityLabel}`,
      `*Service*\n${subject.serviceName ? escape(subject.serviceName) : 'none'}`,
      `*Why you*\n${escalation.label === null ? `paged by ${mention(escalation.startedBy)}` : where(escalation, step)}`,
      ...(subject.alert ? [] : [`*Channel*\n${subject.channelId ? channelLink(subject.channelId) : '_being created_'}`]),
    ]),
    ...(subject.alert?.details ?? []),
  ];
  const waiting = escalation.status === 'active' || escalation.status === 'exhausted';
  if (waiting && page.status === 'pending') {
    blocks.push(section(pageStateWhileWaiting(escalation, step, subject.alert ? 'alert' : 'incident')));
    blocks.push(actions(ids.pageActions, [button('Acknowledge', ids.ackButton, String(page.id), 'primary'), ...(subject.alert?.buttons ?? [])]));
  } else {
    blocks.push(section(pageStateSettled(escalation, page)));
    // An alert's own buttons outlive its page: whoever acknowledged it may still declare an incident or resolve it.
    if (subject.alert?.buttons.length) blocks.push(actions(ids.pageActions, subject.alert.buttons));
  }
  blocks.push(context([`Paged ${date(page.pagedAt, TIME)}`]));
  return blocks;
}

function pageStateWhileWaiting(escalation: EscalationFacts, step: StepFacts, noun: 'incident' | 'alert'): string {
  if (escalation.status === 'exhausted') return `:warning: *Nobody has acknowledged yet.* This ${noun} needs someone now: please acknowledge if you can take it.`;
  const isCurrent = escalation.current !== null && escalation.current.level === step.level && escalation.current.loop === step.loop;
  if (!isCurrent && escalation.current) return `:arrow_double_up: Not acknowledged in time: escalated to ${describePosition(escalation.current)}. You can still acknowledge.`;
  if (escalation.nextAt !== null && escalation.nextPosition) return `Please acknowledge. If nobody does, it escalates to ${describePosition(escalation.nextPosition)} ${date(escalation.nextAt, '{time}')}.`;
  if (escalation.nextAt !== null) return `Please acknowledge. If nobody does by ${date(escalation.nextAt, '{time}')}, the channel is alerted.`;
  return 'Please acknowledge.';
}

function pageStateSettled(escalation: EscalationFacts, page: { userId: string; pagedAt: number; acknowledgedAt: number | null; status: string }): string {
  if (page.status === 'acknowledged' && page.acknowledgedAt !== null) {
    return `:white_check_mark: You acknowledged ${date(page.acknowledgedAt, TIME)} (after ${formatDuration(page.acknowledgedAt - page.pagedAt)}).`;
  }
  if (escalation.acknowledgedBy && escalation.acknowledgedAt !== null) {
    return `:white_check_mark: ${mention(escalation.acknowledgedBy)} acknowledged ${date(escalation.acknowledgedAt, TIME)}. Nothing more is needed from you.`;
  }
  return ':no_entry_sign: This page was withdrawn.';
}

/** The step's line in the incident channel, e.g. "Paged @alice (Payments API, level 1)". */
export function stepLineText(escalation: EscalationFacts, step: StepFacts): string {
  const targets = step.targets.map(describeTarget).join(', ');
  if (step.status === 'empty') {
    const next = escalation.current && (escalation.current.level !== step.level || escalation.current.loop !== step.loop) ? `escalated at once to ${describePosition(escalation.current)}` : 'moved on at once';
    return `:warning: ${escalation.label === null ? 'The page' : `${escape(escalation.label)}, ${describePosition(step)}`}: ${targets} has nobody on call, so it ${next}.`;
  }
  const people = step.people.map((p) => mention(p.userId)).join(', ');
  const lines = [`:pager: Paged ${people} (${where(escalation, step)}) ${date(step.startedAt, '{time}')}`];
  const acked = step.people.find((p) => p.acknowledgedAt !== null);
  const acknowledgedLater = escalation.status === 'acknowledged' && escalation.acknowledgedBy ? ` ${mention(escalation.acknowledgedBy)} acknowledged ${date(escalation.acknowledgedAt ?? step.startedAt, '{time}')}.` : '';
  if (acked && acked.acknowledgedAt !== null) lines.push(`:white_check_mark: ${mention(acked.userId)} acknowledged after ${formatDuration(acked.acknowledgedAt - acked.pagedAt)}.`);
  else if (step.status === 'escalated') lines.push(`:arrow_double_up: No acknowledgement in ${formatDuration((step.timeoutAt ?? step.startedAt) - step.startedAt)}: escalated.${acknowledgedLater}`);
  else if (acknowledgedLater) lines.push(`:white_check_mark:${acknowledgedLater}`);
  else if (step.status === 'exhausted' || escalation.status === 'exhausted') lines.push(':warning: Nobody has acknowledged.');
  else if (step.status === 'cancelled') lines.push(':no_entry_sign: Withdrawn.');
  else if (step.timeoutAt !== null) lines.push(`Waiting for an acknowledgement; escalates ${date(step.timeoutAt, '{time}')}.`);
  for (const p of step.people) if (p.deliveryError) lines.push(`:x: Could not DM ${mention(p.userId)}: Slack said \`${escape(p.deliveryError)}\`.`);
  return lines.join('\n');
}

export function stepLineBlocks(escalation: EscalationFacts, step: StepFacts): KnownBlock[] {
  return [section(stepLineText(escalation, step))];
}

/** The loud alert when an escalation is exhausted, edited once someone acknowledges. */
export function exhaustedAlertText(incident: PagedSubject, escalation: EscalationFacts, inIncidentChannel: boolean): string {
  const what = `${incident.ref}${inIncidentChannel ? '' : ` (${escape(incident.title)})`}`;
  const whose = escalation.label === null ? 'the direct page' : `the ${escape(escalation.label)} escalation`;
  if (escalation.status === 'acknowledged' && escalation.acknowledgedBy) {
    return `:white_check_mark: ${what} had nobody acknowledging ${whose}; ${mention(escalation.acknowledgedBy)} has acknowledged since ${date(escalation.acknowledgedAt ?? 0, '{time}')}.`;
  }
  if (escalation.status === 'cancelled') return `:no_entry_sign: ${what} had nobody acknowledging ${whose}; the incident was resolved and the pages withdrawn.`;
  const channel = !inIncidentChannel && incident.channelId ? ` Join ${channelLink(incident.channelId)}.` : '';
  return `<!here> :rotating_light: *Nobody has acknowledged ${what}.* Every level of ${whose} was paged and nobody answered.${channel} Page someone with \`/incident page @person\`.`;
}

export function describeTarget(target: string): string {
  if (target.startsWith('user:')) return mention(target.slice('user:'.length));
  return `schedule \`${escape(target.slice('schedule:'.length))}\``;
}
