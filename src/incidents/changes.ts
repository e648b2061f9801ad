/**
 * Running an incident: status, severity, impact times, roles, status updates, resolve, reopen and close. Each
 * is one transaction that checks the lifecycle rules (a refusal is a UserError and changes nothing), records
 * the change with a timeline entry, and schedules what follows: the refresh of the summary, topic and
 * announcement, the messages people must read (the tell job), and the next update reminder.
 */
import { audit } from '../core/audit.ts';
import { transaction } from '../core/db.ts';
import { refuseTooLong, UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { mention } from '../core/mrkdwn.ts';
import type { RequirePerson } from '../core/user-profiles.ts';
import { NOTE_MAX, RESOLUTION_MAX, UPDATE_MAX } from './change-blocks.ts';
import { ids, jobKinds } from './ids.ts';
import { incidentRef } from '../core/incident-ref.ts';
import type { Incident } from './incident.ts';
import { closeRefusal, impactRefusal, leadOrAdminRefusal, nextReminderAt, reopenRefusal, ROLE_INFO, severityChangeRefusal, statusChangeRefusal, type ReminderIntervals, type Role } from './lifecycle.ts';
import { SEVERITY_INFO, type Severity } from './severity.ts';
import { STATUS_LABEL, type Status } from './status.ts';
import { assignRole as saveRole, getIncident, rolesOf, setClosed, setImpact, setLastUpdate, setSeverity, setStatus, bumpRevision, type AddTimelineEvent, type NewTimelineEvent } from './store.ts';
import { scheduleRefresh } from './surfaces.ts';

export interface ChangeDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler'> {
  reminderIntervals: ReminderIntervals;
  /** klaxon.yml `admins`: may resolve, reopen, close, change the severity and choose the lead of every incident. */
  admins: readonly string[];
  /** Checks with Slack that someone given a role is a person it knows and can reach. */
  requirePerson: RequirePerson;
  /** Records each change's entry (the timeline feature's writer). */
  addTimelineEvent: AddTimelineEvent;
  /** Runs inside the resolving transaction: running escalations are cancelled with it. */
  onResolved?: (incidentId: number, at: number) => Promise<void>;
  /** Runs inside every changing transaction (the App Home refresh). */
  onChanged?: (incidentId: number, at: number) => Promise<void>;
}

type Entry = Omit<NewTimelineEvent, 'incidentId' | 'at' | 'recordedAt' | 'key'>;

/** The audit log's name for each kind of change (status updates are communication, not acts on the record). */
const AUDITED: Record<string, string> = {
  status_changed: 'incident.status',
  severity_changed: 'incident.severity',
  impact_changed: 'incident.impact',
  resolved: 'incident.resolve',
  reopened: 'incident.reopen',
  closed: 'incident.close',
  role_assigned: 'incident.role',
};

/** Kinds of entries whose messages people must read: the tell job posts them. */
const TOLD = new Set(['update', 'resolved', 'reopened', 'role_assigned', 'closed']);

/**
 * The shape every change shares: read the incident, let `change` check and write (throwing a UserError refuses
 * it), record its timeline entry, and schedule the refresh, the tell job and the next reminder.
 */
async function changeIncident(deps: ChangeDeps, incidentId: number, change: (incident: Incident, at: number) => Promise<Entry>): Promise<Incident> {
  const { db } = deps;
  const at = deps.clock.now();
  await transaction(db, async () => {
    const incident = await getIncident(db, incidentId);
    if (!incident) throw new UserError(`There is no ${incidentRef(incidentId)}.`);
    const entry = await change(incident, at);
    const eventId = await deps.addTimelineEvent(db, { ...entry, incidentId, at, recordedAt: at, key: `${entry.kind}:${incidentRef(incidentId)}:r${incident.revision}` });
    const action = AUDITED[entry.kind];
    if (action && entry.actorId) await audit(db, { at, actorId: entry.actorId, action, subject: incidentRef(incidentId), details: { ...(entry.data ?? {}), ...(entry.text ? { text: entry.text } : {}) } });
    if (eventId !== undefined && TOLD.has(entry.kind)) await deps.scheduler.schedule(db, { kind: jobKinds.tell, key: `tell:${eventId}`, dueAt: at, payload: { eventId } });
    await scheduleRefresh(deps, incidentId, at);
    await scheduleReminder(deps, (await getIncident(db, incidentId))!);
    await deps.onChanged?.(incidentId, at);
  });
  return (await getIncident(db, incidentId))!;
}

/** Schedules the next update reminder, if the incident is open (inside the caller's transaction). */
export async function scheduleReminder(deps: Pick<ChangeDeps, 'db' | 'scheduler' | 'reminderIntervals'>, incident: Incident): Promise<void> {
  const dueAt = nextReminderAt(incident, deps.reminderIntervals);
  if (dueAt === undefined) return;
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.remind, key: `remind:${incidentRef(incident.id)}:${dueAt}`, dueAt, payload: { incidentId: incident.id } });
}

function refuse(reason: string | undefined): void {
  if (reason) throw new UserError(reason);
}

export async function changeStatus(deps: ChangeDeps, incidentId: number, to: Status, by: string, note: string): Promise<Incident> {
  if (to === 'resolved') throw new UserError('Resolving asks for a resolution summary: use `/incident resolve <what fixed it>` or the Resolve button.');
  refuseTooLong('note', note, NOTE_MAX, ids.fields.note);
  return changeIncident(deps, incidentId, async (incident, at) => {
    refuse(statusChangeRefusal(incident, to));
    await setStatus(deps.db, incidentId, { status: to, resolvedAt: null, resolution: null }, at);
    return { kind: 'status_changed', actorId: by, text: note || null, data: { from: incident.status, to, label: `${STATUS_LABEL[incident.status]} → ${STATUS_LABEL[to]}` } };
  });
}

export async function changeSeverity(deps: ChangeDeps, incidentId: number, to: Severity, by: string, note: string): Promise<Incident> {
  refuseTooLong('note', note, NOTE_MAX, ids.fields.note);
  return changeIncident(deps, incidentId, async (incident, at) => {
    refuse(severityChangeRefusal(incident, to) ?? leadOrAdminRefusal(incident, by, deps.admins, 'change its severity'));
    await setSeverity(deps.db, incidentId, to, at);
    return { kind: 'severity_changed', actorId: by, text: note || null, data: { from: incident.severity, to, label: `${SEVERITY_INFO[incident.severity].label} → ${SEVERITY_INFO[to].label}` } };
  });
}

export async function setImpactTimes(deps: ChangeDeps, incidentId: number, startedAt: number | null, endedAt: number | null, by: string): Promise<Incident> {
  return changeIncident(deps, incidentId, async (incident, at) => {
    if (incident.closedAt !== null) throw new UserError(`${incidentRef(incidentId)} is closed: its impact times can no longer change.`);
    const refusal = impactRefusal(startedAt, endedAt, incident.declaredAt, at);
    if (refusal) throw new UserError(refusal.message, refusal.field);
    if (startedAt === incident.impactStartedAt && endedAt === incident.impactEndedAt) throw new UserError('Those are already the impact times.');
    await setImpact(deps.db, incidentId, startedAt, endedAt, at);
    return { kind: 'impact_changed', actorId: by, text: null, data: { startedAt, endedAt, before: { startedAt: incident.impactStartedAt, endedAt: incident.impactEndedAt } } };
  });
}

export async function resolveIncident(deps: ChangeDeps, incidentId: number, resolution: string, by: string): Promise<Incident> {
  const text = resolution.trim();
  if (!text) throw new UserError('Say in one line what resolved it: `/incident resolve Rolled back release 4.2`.');
  refuseTooLong('resolution', text, RESOLUTION_MAX, ids.fields.resolution);
  return changeIncident(deps, incidentId, async (incident, at) => {
    refuse(statusChangeRefusal(incident, 'resolved') ?? leadOrAdminRefusal(incident, by, deps.admins, 'resolve it'));
    await setStatus(deps.db, incidentId, { status: 'resolved', resolvedAt: at, resolution: text }, at);
    await deps.onResolved?.(incidentId, at);
    return { kind: 'resolved', actorId: by, text, data: { from: incident.status } };
  });
}

export async function reopenIncident(deps: ChangeDeps, incidentId: number, by: string): Promise<Incident> {
  return changeIncident(deps, incidentId, async (incident, at) => {
    refuse(reopenRefusal(incident) ?? leadOrAdminRefusal(incident, by, deps.admins, 'reopen it'));
    await setStatus(deps.db, incidentId, { status: 'investigating', resolvedAt: null, resolution: null }, at);
    return { kind: 'reopened', actorId: by, text: null, data: { resolvedAt: incident.resolvedAt, resolution: incident.resolution } };
  });
}

export async function closeIncident(deps: ChangeDeps, incidentId: number, by: string): Promise<Incident> {
  return changeIncident(deps, incidentId, async (incident, at) => {
    refuse(closeRefusal(incident) ?? leadOrAdminRefusal(incident, by, deps.admins, 'close it'));
    await setClosed(deps.db, incidentId, at);
    return { kind: 'closed', actorId: by, text: null, data: {} };
  });
}

/**
 * Gives a role. Choosing the lead is for the lead (handing over) and the admins, as resolving is; comms and
 * scribe are for anyone. The person must be one Slack knows and can reach: that is asked of Slack after the
 * refusals that need no Slack, and before the transaction, which checks those again.
 */
export async function assignIncidentRole(deps: ChangeDeps, incidentId: number, role: Role, userId: string, by: string): Promise<Incident> {
  const before = await getIncident(deps.db, incidentId);
  if (before) refuse(await roleRefusal(deps, before, role, userId, by));
  await deps.requirePerson(userId, `be ${ROLE_INFO[role].label.toLowerCase()} of ${incidentRef(incidentId)}`);
  return changeIncident(deps, incidentId, async (incident, at) => {
    refuse(await roleRefusal(deps, incident, role, userId, by));
    const current = await currentHolder(deps, incident, role);
    await saveRole(deps.db, incidentId, role, userId, by, at);
    await bumpRevision(deps.db, incidentId, at);
    return { kind: 'role_assigned', actorId: by, text: null, data: { role, userId, previous: current ?? null } };
  });
}

async function currentHolder(deps: Pick<ChangeDeps, 'db'>, incident: Incident, role: Role): Promise<string | undefined> {
  return role === 'lead' ? incident.leadId : (await rolesOf(deps.db, incident.id)).find((r) => r.role === role)?.userId;
}

async function roleRefusal(deps: ChangeDeps, incident: Incident, role: Role, userId: string, by: string): Promise<string | undefined> {
  const ref = incidentRef(incident.id);
  if (incident.closedAt !== null) return `${ref} is closed.`;
  if ((await currentHolder(deps, incident, role)) === userId) return `${mention(userId)} is already ${ROLE_INFO[role].label.toLowerCase()} of ${ref}.`;
  return role === 'lead' ? leadOrAdminRefusal(incident, by, deps.admins, 'choose its lead') : undefined;
}

export async function postStatusUpdate(deps: ChangeDeps, incidentId: number, text: string, by: string): Promise<Incident> {
  const update = text.trim();
  if (!update) throw new UserError('Write the update after the command: `/incident update Rolled back; error rate falling`.');
  refuseTooLong('update', update, UPDATE_MAX, ids.fields.update);
  return changeIncident(deps, incidentId, async (incident, at) => {
    if (incident.closedAt !== null) throw new UserError(`${incidentRef(incidentId)} is closed.`);
    await setLastUpdate(deps.db, incidentId, at);
    return { kind: 'update', actorId: by, text: update, data: { status: incident.status, severity: incident.severity } };
  });
}

/** The changes bound to their dependencies, as the Slack listeners call them. */
export interface IncidentChanges {
  changeStatus(incidentId: number, to: Status, by: string, note: string): Promise<Incident>;
  changeSeverity(incidentId: number, to: Severity, by: string, note: string): Promise<Incident>;
  setImpact(incidentId: number, startedAt: number | null, endedAt: number | null, by: string): Promise<Incident>;
  resolve(incidentId: number, resolution: string, by: string): Promise<Incident>;
  reopen(incidentId: number, by: string): Promise<Incident>;
  close(incidentId: number, by: string): Promise<Incident>;
  assignRole(incidentId: number, role: Role, userId: string, by: string): Promise<Incident>;
  postUpdate(incidentId: number, text: string, by: string): Promise<Incident>;
}

export function incidentChanges(deps: ChangeDeps): IncidentChanges {
  return {
    changeStatus: (id, to, by, note) => changeStatus(deps, id, to, by, note),
    changeSeverity: (id, to, by, note) => changeSeverity(deps, id, to, by, note),
    setImpact: (id, startedAt, endedAt, by) => setImpactTimes(deps, id, startedAt, endedAt, by),
    resolve: (id, resolution, by) => resolveIncident(deps, id, resolution, by),
    reopen: (id, by) => reopenIncident(deps, id, by),
    close: (id, by) => closeIncident(deps, id, by),
    assignRole: (id, role, userId, by) => assignIncidentRole(deps, id, role, userId, by),
    postUpdate: (id, text, by) => postStatusUpdate(deps, id, text, by),
  };
}
