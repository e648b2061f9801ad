/**
 * `/incident alerts`: the open alert groups, newest first, one block each, for the person who asked. Titles are
 * the monitoring tool's text: escaped and cut. Each links to the channel its message is in, once posted. Pure.
 */
import type { KnownBlock } from '@slack/types';
import { context, section } from '../core/blockkit.ts';
import { alertRef } from '../core/alert-ref.ts';
import { incidentRef } from '../core/incident-ref.ts';
import { channelLink, date, escape, mention, truncate } from '../core/mrkdwn.ts';
import { STATUS_LINE } from './blocks.ts';
import type { OpenAlert } from './open-alerts.ts';

/** An ephemeral message holds 50 blocks: the heading, one per group, and the line saying how many more there are. */
const GROUPS_SHOWN = 45;
const TITLE_MAX = 200;

export function openAlertsAnswer(groups: readonly OpenAlert[]): { text: string; blocks: KnownBlock[] } {
  if (groups.length === 0) {
    const none = 'No open alerts: nothing from monitoring is firing or waiting to be resolved.';
    return { text: none, blocks: [section(`:white_check_mark: ${none}`)] };
  }
  const firing = groups.filter((g) => g.status === 'firing').length;
  const heading = `${groups.length} open alert${groups.length === 1 ? '' : 's'} (${firing} firing, ${groups.length - firing} acknowledged), newest first`;
  const blocks: KnownBlock[] = [section(`*${heading}*`), ...groups.slice(0, GROUPS_SHOWN).map(openAlertBlock)];
  const more = groups.length - GROUPS_SHOWN;
  if (more > 0) blocks.push(context([`…and ${more} older. \`npx klaxon alerts\` lists them all.`]));
  return { text: `${heading}: ${groups.map((g) => alertRef(g.id)).join(', ')}`, blocks };
}

function openAlertBlock(g: OpenAlert): KnownBlock {
  const counts = `${g.alerts} alert${g.alerts === 1 ? '' : 's'}${g.firing < g.alerts ? `, ${g.firing} firing` : ''}${g.folded > 0 ? `, ${g.folded} more folded in from an alert storm` : ''}`;
  const facts = [g.serviceName === null ? 'no service' : escape(g.serviceName), `${g.urgency === 'high' ? 'High' : 'Low'} urgency`, counts, `firing since ${date(g.firingSince)}`];
  const state = [
    ...(g.acknowledgedBy !== null && g.acknowledgedAt !== null ? [`Acknowledged by ${mention(g.acknowledgedBy)} ${date(g.acknowledgedAt)}`] : []),
    ...(g.incidentId !== null ? [`Declared as ${incidentRef(g.incidentId)}`] : []),
    ...(g.channelId !== null && g.channelTs !== null ? [`Posted in ${channelLink(g.channelId)}`] : []),
  ];
  const lines = [`${STATUS_LINE[g.status]} *${alertRef(g.id)}: ${escape(truncate(g.title, TITLE_MAX))}*`, facts.join(' · '), ...(state.length ? [state.join(' · ')] : [])];
  return section(lines.join('\n'));
}
