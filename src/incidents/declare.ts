/**
 * Declaring an incident: one transaction records the incident, its lead, the first timeline entry and the job
 * that sets it up in Slack. Nothing touches Slack here, so the declaration is durable before the first Slack call and
 * a crash or a Slack failure later is finished by the job instead of leaving half an incident.
 */
import { audit } from '../core/audit.ts';
import type { ServiceConfig } from '../core/config.ts';
import { transaction } from '../core/db.ts';
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { escape } from '../core/mrkdwn.ts';
import { scheduleReminder } from './changes.ts';
import { jobKinds } from './ids.ts';
import type { ReminderIntervals } from './lifecycle.ts';
import { incidentRef } from '../core/incident-ref.ts';
import { DeclareInputSchema, type DeclareOrigin } from './schemas.ts';
import type { DeclaredIncident } from '../core/kit.ts';
import type { Incident } from './incident.ts';
import { assignRole, getIncident, insertIncident, type AddTimelineEvent } from './store.ts';

export interface DeclareDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler'> {
  services: ServiceConfig[];
  reminderIntervals: ReminderIntervals;
  /** Records the `declared` entry (the timeline feature's writer). */
  addTimelineEvent: AddTimelineEvent;
  /** Runs inside the declaring transaction, so what it records commits with the incident (paging the service). */
  onDeclared?: (incident: DeclaredIncident, at: number) => Promise<void>;
}

/** Validates raw input (from the command or the modal); a problem is a UserError naming the field. */
function validateDeclareInput(raw: Record<string, unknown>, services: ServiceConfig[]) {
  const parsed = DeclareInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(issue.message, String(issue.path[0] ?? ''));
  }
  const input = parsed.data;
  if (input.serviceId !== null && !services.some((s) => s.id === input.serviceId)) {
    throw new UserError(`Unknown service "${escape(input.serviceId)}". Known services: ${services.map((s) => s.id).join(', ') || 'none (klaxon.yml lists no services)'}.`, 'serviceId');
  }
  return input;
}

/** `origin`: where to answer the declarer, and the alert group it was declared from, if any. */
export async function declareIncident(deps: DeclareDeps, raw: Record<string, unknown>, declaredBy: string, origin: DeclareOrigin): Promise<Incident> {
  const { alertGroupId, ...replyTo } = origin;
  const input = validateDeclareInput(raw, deps.services);
  const at = deps.clock.now();
  const { db } = deps;
  // Statements made through `db` in this callback's async context belong to the transaction.
  const id = await transaction(db, async () => {
    const incidentId = await insertIncident(db, { ...input, declaredBy, declaredAt: at });
    const ref = incidentRef(incidentId);
    await assignRole(db, incidentId, 'lead', declaredBy, declaredBy, at);
    await deps.addTimelineEvent(db, {
      incidentId,
      kind: 'declared',
      at,
      actorId: declaredBy,
      text: input.title,
      data: { severity: input.severity, serviceId: input.serviceId, isPrivate: input.isPrivate, isDrill: input.isDrill },
      key: `declared:${ref}`,
      recordedAt: at,
    });
    await audit(db, { at, actorId: declaredBy, action: 'incident.declare', subject: ref, details: { title: input.title, severity: input.severity, serviceId: input.serviceId, isPrivate: input.isPrivate, isDrill: input.isDrill } });
    await deps.scheduler.schedule(db, { kind: jobKinds.provision, key: `provision:${ref}`, dueAt: at, payload: { incidentId, replyTo } });
    await scheduleReminder(deps, (await getIncident(db, incidentId))!);
    await deps.onDeclared?.({ id: incidentId, serviceId: input.serviceId, declaredBy, ...(alertGroupId ? { alertGroupId } : {}) }, at);
    return incidentId;
  });
  return (await getIncident(deps.db, id))!;
}
