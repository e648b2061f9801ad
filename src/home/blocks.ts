/** The Home tab, built from what the viewer may see: open incidents, their own shifts, a declare button. Pure. */
import type { HomeView, KnownBlock } from '@slack/types';
import { actions, button, context, fitMrkdwn, section } from '../core/blockkit.ts';
import { channelLink, date, escape, mention } from '../core/mrkdwn.ts';
import { incidentRef, SEVERITY_INFO, STATUS_EMOJI, STATUS_LABEL, type Incident } from '../incidents/model.ts';
import { ids } from './ids.ts';

/** A Home tab holds 100 blocks: the incident list stops well before, saying how many more there are. */
export const HOME_INCIDENTS_MAX = 30;

export interface Shift {
  scheduleId: string;
  start: number;
  end: number;
}

export interface HomeContent {
  viewerId: string;
  /** Open incidents the viewer may see, newest first. */
  incidents: Incident[];
  /** How many open incidents there are beyond those listed. */
  moreIncidents: number;
  /** The viewer's shifts from now on: the first may be in progress. */
  shifts: Shift[];
  /** The viewer's open problem tickets, soonest due first. */
  problems: { ref: string; title: string; dueDate: string; overdueDays: number }[];
  now: number;
}

function incidentLine(incident: Incident): string {
  const sev = SEVERITY_INFO[incident.severity];
  const name = incident.channelId ? `${channelLink(incident.channelId)} *${incidentRef(incident.id)}*` : `*${incidentRef(incident.id)}*`;
  const marks = `${incident.isDrill ? ' :test_tube: _drill_' : ''}${incident.isPrivate ? ' :lock:' : ''}`;
  return fitMrkdwn(
    `${sev.emoji} ${name}: ${escape(incident.title)}${marks}\n${sev.label.split(' ')[0]} · ${STATUS_EMOJI[incident.status]} ${STATUS_LABEL[incident.status]} · Lead ${mention(incident.leadId)} · opened ${date(incident.declaredAt, '{ago}')}`,
    3000,
  );
}

function shiftLine(shift: Shift, now: number): string {
  const until = date(shift.end, '{date_short_pretty} {time}');
  if (shift.start <= now) return `:large_green_circle: *On call now* for \`${escape(shift.scheduleId)}\` until ${until}`;
  return `:calendar: Next: \`${escape(shift.scheduleId)}\` from ${date(shift.start, '{date_short_pretty} {time}')} to ${until}`;
}

export function homeView(content: HomeContent): HomeView {
  const blocks: KnownBlock[] = [
    section(`*Klaxon* · incident response and on-call`),
    actions(ids.actions, [button('Declare an incident', ids.declareButton, undefined, 'danger')]),
    { type: 'divider' },
    section(`*Open incidents* (${content.incidents.length + content.moreIncidents})`),
  ];
  if (content.incidents.length === 0) blocks.push(context([':white_check_mark: No open incidents.']));
  for (const incident of content.incidents) blocks.push(section(incidentLine(incident)));
  if (content.moreIncidents > 0) blocks.push(context([`…and ${content.moreIncidents} more: \`/incident\` in their channels.`]));
  blocks.push({ type: 'divider' }, section('*Your on-call shifts*'));
  const shifts = content.shifts.slice(0, 5);
  if (shifts.length === 0) blocks.push(context(['You have no on-call shift in the next two weeks.']));
  for (const shift of shifts) blocks.push(section(shiftLine(shift, content.now)));
  blocks.push({ type: 'divider' }, section('*Your problem tickets*'));
  if (content.problems.length === 0) blocks.push(context(['No open follow-up problem tickets are yours.']));
  for (const p of content.problems.slice(0, 10)) {
    blocks.push(section(`:clipboard: *${p.ref}*: ${escape(p.title)} · ${p.overdueDays > 0 ? `*overdue by ${p.overdueDays} ${p.overdueDays === 1 ? 'day' : 'days'}*` : `due ${p.dueDate}`}`));
  }
  if (content.problems.length > 10) blocks.push(context([`…and ${content.problems.length - 10} more: \`/incident problems mine\`.`]));
  blocks.push(context([`Updated ${date(content.now, '{date_short_pretty} {time}')} · \`/incident help\` lists every command`]));
  return { type: 'home', blocks };
}
