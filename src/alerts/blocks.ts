/**
 * What an alert group looks like in Slack: its part of a page DM (what fired, its labels and links) and its
 * message in the service's alert channel, rebuilt from its state and edited in place. Labels, annotations and
 * summaries are the monitoring tool's text, which anyone who can write an alert rule controls: they are escaped,
 * shown as code (so that Slack links nothing in them), and cut to fit. Pure.
 */
import type { Button, KnownBlock } from '@slack/types';
import { actions, button, context, fields, section } from '../core/blockkit.ts';
import { alertRef } from '../core/alert-ref.ts';
import { incidentRef } from '../core/incident-ref.ts';
import { date, escape, link, mention, truncate } from '../core/mrkdwn.ts';
import { ids } from './ids.ts';
import type { AlertGroupRow, AlertRow } from './store.ts';

/** Labels most worth a responder's first look, in this order; the rest follow by name. */
const FIRST_LABELS = ['alertname', 'severity', 'service', 'job', 'instance', 'namespace', 'cluster', 'team'];
const SHOWN_LABELS = 12;
const LABEL_VALUE_MAX = 80;

/** Monitoring's text as inline code: escaped, one line, no backtick to end the code early. */
export function asCode(text: string, max: number): string {
  const line = truncate(text.replace(/\s+/g, ' ').trim(), max).replaceAll('`', 'ʹ');
  return line ? `\`${escape(line)}\`` : '';
}

function labelLine(labels: Record<string, string>): string {
  const names = Object.keys(labels).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const shown = names.slice(0, SHOWN_LABELS).map((name) => asCode(`${name}=${labels[name]}`, LABEL_VALUE_MAX));
  const more = names.length - SHOWN_LABELS;
  return shown.join(' ') + (more > 0 ? ` and ${more} more` : '');
}

function rank(name: string): number {
  const at = FIRST_LABELS.indexOf(name);
  return at === -1 ? FIRST_LABELS.length : at;
}

function links(alert: AlertRow): string[] {
  const out: string[] = [];
  if (alert.sourceUrl) out.push(link(alert.sourceUrl, 'Source'));
  if (alert.runbookUrl) out.push(link(alert.runbookUrl, 'Runbook'));
  if (alert.dashboardUrl) out.push(link(alert.dashboardUrl, 'Dashboard'));
  return out;
}

/** What fired: the first alert's description, labels and links, and how many alerts the group holds. */
export function alertDetails(group: AlertGroupRow, alerts: AlertRow[]): KnownBlock[] {
  const first = alerts[0];
  if (!first) return [];
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const blocks: KnownBlock[] = [];
  if (first.description) blocks.push(section(escape(truncate(first.description, 600))));
  blocks.push(section(`*Labels* ${labelLine(first.labels)}`));
  const counts = [`${alerts.length} alert${alerts.length === 1 ? '' : 's'}, ${firing} firing`];
  if (group.folded > 0) counts.push(`${group.folded} more folded in from an alert storm`);
  blocks.push(context([...links(first), counts.join('; '), `Firing since ${date(group.firingSince)}`]));
  return blocks;
}

/** How each status is shown: its emoji and word. */
export const STATUS_LINE: Record<AlertGroupRow['status'], string> = { firing: ':red_circle: Firing', acknowledged: ':large_orange_circle: Acknowledged', resolved: ':large_green_circle: Resolved' };

/** The fallback text of the alert channel message. */
export function alertMessageText(group: AlertGroupRow): string {
  return `${STATUS_LINE[group.status].replace(/^:\w+: /, '')}: ${alertRef(group.id)} ${escape(truncate(group.title, 150))}`;
}

export function alertMessageBlocks(group: AlertGroupRow, alerts: AlertRow[], serviceName: string | null): KnownBlock[] {
  const state: string[] = [];
  if (group.acknowledgedBy && group.acknowledgedAt !== null) state.push(`Acknowledged by ${mention(group.acknowledgedBy)} ${date(group.acknowledgedAt)}`);
  if (group.status === 'resolved' && group.resolvedAt !== null) state.push(group.resolvedBy ? `Resolved by ${mention(group.resolvedBy)} ${date(group.resolvedAt)}` : `Resolved at its source ${date(group.resolvedAt)}`);
  return [
    section(`${STATUS_LINE[group.status]} *${alertRef(group.id)}: ${escape(truncate(group.title, 250))}*`),
    fields([`*Service*\n${serviceName ? escape(serviceName) : 'none'}`, `*Urgency*\n${group.urgency === 'high' ? 'High' : 'Low'}`]),
    ...alertDetails(group, alerts),
    ...(state.length ? [context(state)] : []),
    ...(group.incidentId !== null ? [context([`Declared as ${incidentRef(group.incidentId)}`])] : []),
    ...(group.status === 'resolved' ? [] : [actions(ids.messageActions, [...declareButton(group), button('Resolve', ids.resolveButton, String(group.id))])]),
  ];
}

/**
 * Beside a page's Acknowledge: page the next level now (while it fires unacknowledged), declare an incident from
 * it (until one is), resolve it (a false alarm, or fixed). Once acknowledged, the last two stay.
 */
export function alertPageButtons(group: AlertGroupRow): Button[] {
  if (group.status === 'resolved') return [];
  return [...(group.status === 'firing' ? [button('Escalate now', ids.escalateButton, String(group.id))] : []), ...declareButton(group), button('Resolve', ids.resolveButton, String(group.id))];
}

function declareButton(group: AlertGroupRow): Button[] {
  return group.incidentId === null ? [button('Declare incident', ids.declareButton, String(group.id))] : [];
}
