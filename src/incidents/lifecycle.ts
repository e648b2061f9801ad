/**
 * The incident lifecycle as pure rules: which status changes are allowed (and the answer when one is not),
 * the roles people take, the impact window reports measure, and when the lead is next reminded to post an
 * update. No I/O; times come in as arguments.
 */
import { formatDuration, MINUTE, parseDuration } from '../core/duration.ts';
import { ids } from './ids.ts';
import { incidentRef } from '../core/incident-ref.ts';
import type { Severity } from './severity.ts';
import { STATUS_LABEL, STATUSES, type Status } from './status.ts';

/** What a status may become through `/incident status` (reopening a resolved incident is its own command). */
const NEXT: Record<Status, readonly Status[]> = {
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: [],
};

export interface LifecycleState {
  id: number;
  status: Status;
  closedAt: number | null;
}

/** Why the incident cannot move to `to`, or undefined when it can. */
export function statusChangeRefusal(incident: LifecycleState, to: Status): string | undefined {
  const ref = incidentRef(incident.id);
  if (incident.closedAt !== null) return `${ref} is closed: its status can no longer change.`;
  if (incident.status === to) return `${ref} is already ${STATUS_LABEL[to].toLowerCase()}.`;
  if (incident.status === 'resolved') return `${ref} is resolved. Reopen it first: \`/incident reopen\`.`;
  if (!NEXT[incident.status].includes(to)) return `${ref} cannot go from ${STATUS_LABEL[incident.status].toLowerCase()} to ${STATUS_LABEL[to].toLowerCase()}.`;
  return undefined;
}

export function reopenRefusal(incident: LifecycleState): string | undefined {
  const ref = incidentRef(incident.id);
  if (incident.closedAt !== null) return `${ref} is closed and its channel archived: declare a new incident instead.`;
  if (incident.status !== 'resolved') return `${ref} is not resolved (it is ${STATUS_LABEL[incident.status].toLowerCase()}), so there is nothing to reopen.`;
  return undefined;
}

export function closeRefusal(incident: LifecycleState): string | undefined {
  const ref = incidentRef(incident.id);
  if (incident.closedAt !== null) return `${ref} is already closed.`;
  if (incident.status !== 'resolved') return `${ref} is still ${STATUS_LABEL[incident.status].toLowerCase()}: resolve it before closing it (\`/incident resolve\`).`;
  return undefined;
}

/** Whether a change of severity is allowed (at every status, until the incident is closed). */
export function severityChangeRefusal(incident: LifecycleState & { severity: Severity }, to: Severity): string | undefined {
  const ref = incidentRef(incident.id);
  if (incident.closedAt !== null) return `${ref} is closed: its severity can no longer change.`;
  if (incident.severity === to) return `${ref} is already ${to.toUpperCase()}.`;
  return undefined;
}

/**
 * Resolving, reopening, closing, changing the severity and choosing the lead are for the incident's lead and
 * Klaxon's admins (klaxon.yml `admins`): otherwise anyone could make themselves lead and then resolve. Every
 * incident has a lead (its declarer until someone is chosen). Undefined when `userId` may; the refusal otherwise.
 */
export function leadOrAdminRefusal(incident: { id: number; leadId: string }, userId: string, admins: readonly string[], what: string): string | undefined {
  if (userId === incident.leadId || admins.includes(userId)) return undefined;
  return `Only ${incidentRef(incident.id)}'s lead (<@${incident.leadId}>) or a Klaxon admin can ${what}. The lead can hand over with \`/incident lead @person\`.`;
}

/** Reads a status as people type it: the name, or its first letters (`ident`), case-insensitive. */
export function parseStatus(text: string): Status | undefined {
  const word = text.trim().toLowerCase();
  if (word.length < 3) return undefined;
  return STATUSES.find((s) => s.startsWith(word));
}

// ------------------------------------------------------------------------------------------------------- roles

export const ROLES = ['lead', 'comms', 'scribe'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_INFO: Record<Role, { label: string; duties: string }> = {
  lead: {
    label: 'Incident lead',
    duties: 'You coordinate the response: decide what happens next, keep the status and severity current, and post updates for stakeholders (Klaxon reminds you). Hand the role on with `/incident lead @person`.',
  },
  comms: {
    label: 'Communications',
    duties: 'You keep everyone outside the channel informed: post status updates with `/incident update <text>` and answer stakeholders, so that the responders can work undisturbed.',
  },
  scribe: {
    label: 'Scribe',
    duties: 'You keep the record: add what happens to the timeline with `/incident note <text>`, the "Add to incident timeline" message shortcut, or a :pushpin: reaction. The post-mortem is written from it.',
  },
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

// -------------------------------------------------------------------------------------------------- durations

export interface ImpactTimes {
  declaredAt: number;
  resolvedAt: number | null;
  impactStartedAt: number | null;
  impactEndedAt: number | null;
}

/** The stretch reports measure: when impact started and ended where the lead set them, else declared to resolved. */
export function impactWindow(incident: ImpactTimes, now: number): { from: number; to: number; ongoing: boolean } {
  const from = incident.impactStartedAt ?? incident.declaredAt;
  const end = incident.impactEndedAt ?? incident.resolvedAt;
  return { from, to: end ?? now, ongoing: end === null };
}

/** Why these impact times cannot be recorded, or undefined when they can. */
export function impactRefusal(startedAt: number | null, endedAt: number | null, declaredAt: number, now: number): { message: string; field: string } | undefined {
  const started = ids.fields.impactStarted;
  const ended = ids.fields.impactEnded;
  const earliest = declaredAt - IMPACT_LOOKBACK;
  if (startedAt !== null && startedAt > now) return { message: 'Impact cannot start in the future.', field: started };
  if (startedAt !== null && startedAt < earliest) return { message: `Impact can start at most ${IMPACT_LOOKBACK_DAYS} days before the declaration.`, field: started };
  if (endedAt !== null && endedAt > now) return { message: 'Impact cannot end in the future.', field: ended };
  if (endedAt !== null && endedAt < earliest) return { message: `Impact can end at most ${IMPACT_LOOKBACK_DAYS} days before the declaration.`, field: ended };
  if (startedAt !== null && endedAt !== null && endedAt <= startedAt) return { message: 'Impact must end after it started.', field: ended };
  return undefined;
}

/** How far before its declaration an incident's impact may start: a latent fault found months later fits, year 1 does not. */
const IMPACT_LOOKBACK_DAYS = 365;
export const IMPACT_LOOKBACK = IMPACT_LOOKBACK_DAYS * 24 * 60 * MINUTE;

// -------------------------------------------------------------------------------------------------- reminders

export type ReminderIntervals = Record<Severity, number>;

/** The intervals klaxon.yml's `update_reminders` sets (`sev1: 10m`), the defaults for the rest. */
export function reminderIntervalsFrom(configured: Partial<Record<Severity, string | undefined>>): ReminderIntervals {
  const intervals = { ...DEFAULT_REMINDER_INTERVALS };
  for (const severity of Object.keys(intervals) as Severity[]) {
    const ms = parseDuration(configured[severity] ?? '');
    if (ms !== undefined) intervals[severity] = ms;
  }
  return intervals;
}

/** How long the lead may go without posting an update before being reminded, by severity. */
export const DEFAULT_REMINDER_INTERVALS: ReminderIntervals = { sev1: 15 * MINUTE, sev2: 30 * MINUTE, sev3: 60 * MINUTE, sev4: 60 * MINUTE };

export interface ReminderState {
  status: Status;
  severity: Severity;
  declaredAt: number;
  lastUpdateAt: number | null;
  lastRemindedAt: number | null;
}

/**
 * When the lead is next reminded: one interval after the last update (or the declaration), and never sooner
 * than one interval after the last reminder. None once the incident is resolved.
 */
export function nextReminderAt(incident: ReminderState, intervals: ReminderIntervals): number | undefined {
  if (incident.status === 'resolved') return undefined;
  const interval = intervals[incident.severity];
  const quietSince = Math.max(incident.lastUpdateAt ?? incident.declaredAt, incident.lastRemindedAt ?? 0);
  return quietSince + interval;
}

/** The words of a reminder: how long the incident has gone without an update. */
export function quietFor(incident: ReminderState, at: number): string {
  return formatDuration(at - (incident.lastUpdateAt ?? incident.declaredAt));
}
