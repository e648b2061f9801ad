/**
 * How each kind of timeline entry reads: as Slack mrkdwn (people's words escaped, Klaxon's own lines with
 * their mentions) and as plain text for exports. Pure.
 */
import { escape, link, mention, typedText } from '../core/mrkdwn.ts';
import { ROLE_INFO, type Role, type TimelineEvent } from '../incidents/model.ts';

export type Entry = Pick<TimelineEvent, 'id' | 'kind' | 'at' | 'actorId' | 'text' | 'data' | 'permalink'>;

/** Kinds whose text is Klaxon's own mrkdwn (with mentions); every other kind's text is what a person wrote. */
const KLAXON_WORDS = new Set(['paged', 'escalated', 'acknowledged', 'escalation_exhausted', 'pages_withdrawn']);

const LABEL: Record<string, string> = {
  declared: 'Declared',
  status_changed: 'Status',
  severity_changed: 'Severity',
  impact_changed: 'Impact times',
  role_assigned: 'Role',
  paged: 'Paged',
  escalated: 'Escalated',
  acknowledged: 'Acknowledged',
  escalation_exhausted: 'Nobody acknowledged',
  pages_withdrawn: 'Pages withdrawn',
  runbook_linked: 'Runbook',
  note: 'Note',
  message: 'Message',
  update: 'Status update',
  resolved: 'Resolved',
  reopened: 'Reopened',
  closed: 'Closed',
  postmortem_saved: 'Post-mortem saved',
  alert_fired: 'Alert firing',
  alert_resolved: 'Alert resolved',
};

const EMOJI: Record<string, string> = {
  declared: ':rotating_light:',
  status_changed: ':arrows_counterclockwise:',
  severity_changed: ':chart_with_upwards_trend:',
  impact_changed: ':stopwatch:',
  role_assigned: ':bust_in_silhouette:',
  paged: ':pager:',
  escalated: ':arrow_double_up:',
  acknowledged: ':white_check_mark:',
  escalation_exhausted: ':warning:',
  pages_withdrawn: ':no_entry_sign:',
  runbook_linked: ':book:',
  note: ':memo:',
  message: ':speech_balloon:',
  update: ':loudspeaker:',
  resolved: ':white_check_mark:',
  reopened: ':arrows_counterclockwise:',
  closed: ':file_cabinet:',
  postmortem_saved: ':page_facing_up:',
  alert_fired: ':red_circle:',
  alert_resolved: ':large_green_circle:',
};

export function entryLabel(kind: string): string {
  return LABEL[kind] ?? kind.replace(/_/g, ' ');
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const time = (value: unknown): string => (typeof value === 'number' ? new Date(value).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'not set');

/** The entry's words as plain text: what a person wrote as written, Klaxon's lines with `@U…` for mentions. */
export function entryPlain(entry: Entry): string {
  const data = entry.data ?? {};
  const note = entry.text ? `: ${entry.text}` : '';
  switch (entry.kind) {
    case 'status_changed':
    case 'severity_changed':
      return `${str(data.label)}${note}`;
    case 'impact_changed':
      return `impact started ${time(data.startedAt)}, ended ${time(data.endedAt)}`;
    case 'role_assigned': {
      const role = str(data.role) as Role;
      return `@${str(data.userId)} is ${ROLE_INFO[role]?.label.toLowerCase() ?? role}`;
    }
    case 'runbook_linked':
      return `${entry.text ?? ''}${data.url ? ` (${str(data.url)})` : ''}`;
    case 'reopened':
      return 'reopened';
    case 'closed':
      return 'closed; channel archived';
    case 'postmortem_saved':
      return `version ${typeof data.revision === 'number' ? data.revision : '?'}`;
    case 'message':
      return typedText(entry.text ?? '');
    default:
      return KLAXON_WORDS.has(entry.kind) ? typedText(entry.text ?? '') : (entry.text ?? '');
  }
}

/** The entry as one line of Slack mrkdwn, safe to post: people's words are escaped and never mention or link. */
export function entryMrkdwn(entry: Entry): string {
  const data = entry.data ?? {};
  const emoji = EMOJI[entry.kind] ?? ':small_blue_diamond:';
  const label = `*${entryLabel(entry.kind)}*`;
  switch (entry.kind) {
    case 'role_assigned': {
      const role = str(data.role) as Role;
      const userId = str(data.userId);
      return `${emoji} ${label}: ${/^[UW][A-Z0-9]+$/.test(userId) ? mention(userId) : escape(userId)} is ${ROLE_INFO[role]?.label.toLowerCase() ?? escape(role)}`;
    }
    case 'runbook_linked':
      return `${emoji} ${label}: ${typeof data.url === 'string' && /^https?:\/\//.test(data.url) ? link(data.url, entry.text ?? '') : escape(entry.text ?? '')}`;
    case 'message':
      return `${emoji} ${escape(entryPlain(entry))}${entry.permalink ? ` ${link(entry.permalink, '(message)')}` : ''}`;
    default:
      if (KLAXON_WORDS.has(entry.kind)) return `${emoji} ${entry.text ?? label}`;
      return `${emoji} ${label}: ${escape(entryPlain(entry))}`;
  }
}
