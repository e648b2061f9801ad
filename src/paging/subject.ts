/**
 * What an escalation pages about: an incident someone declared, or an alert group monitoring sent. Exactly one of
 * the two ids is set, on the escalation and on each of its pages. The incident's timeline records what paging
 * does; an alert group keeps its own history (the alerts feature).
 */
import { alertRef } from '../core/alert-ref.ts';
import { incidentRef } from '../core/incident-ref.ts';

export type PageSubject = { incidentId: number; alertGroupId: null } | { incidentId: null; alertGroupId: number };

export const incidentSubject = (incidentId: number): PageSubject => ({ incidentId, alertGroupId: null });
export const alertSubject = (alertGroupId: number): PageSubject => ({ incidentId: null, alertGroupId });

/** The subject of an escalation or page row. */
export function subjectOf(row: { incidentId: number | null; alertGroupId: number | null }): PageSubject {
  if (row.incidentId !== null) return incidentSubject(row.incidentId);
  if (row.alertGroupId !== null) return alertSubject(row.alertGroupId);
  throw new Error('an escalation without a subject');
}

/** INC-42 or ALERT-12: in job and message keys, and in what people read. */
export function subjectRef(row: { incidentId: number | null; alertGroupId: number | null }): string {
  const subject = subjectOf(row);
  return subject.incidentId !== null ? incidentRef(subject.incidentId) : alertRef(subject.alertGroupId);
}
