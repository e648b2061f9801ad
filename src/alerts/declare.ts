/**
 * An incident declared from an alert ("Declare incident" on its page or message): the declare form opens filled
 * in from the alert, and the incident takes the alert over. The group links the incident; the incident's
 * timeline starts with the alert's firing (at the source's time); the alert's unanswered pages are withdrawn,
 * for the incident pages its service like every declaration, unless someone already acknowledged the alert (they
 * are on it). Later alerts of the group join the incident's timeline instead of paging again (receive.ts).
 */
import type { ModalView } from '@slack/types';
import { alertRef } from '../core/alert-ref.ts';
import type { ServiceConfig } from '../core/config.ts';
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { declareModal, incidentRef, type Severity } from '../incidents/index.ts';
import { alertSubject, refreshPages, withdrawPages, type EscalateDeps } from '../paging/index.ts';
import { addTimelineEvent } from '../timeline/index.ts';
import { alertsOf, getAlertGroup, linkAlertGroupIncident, type AlertGroupRow, type AlertRow } from './store.ts';
import { scheduleAlertMessage } from './surfaces.ts';

/** Severities as monitoring tools name them, mapped to an incident's; anything else is sev2 at high urgency, sev3 at low. */
const SEVERITY_OF_LABEL: Record<string, Severity> = {
  critical: 'sev1', page: 'sev1', emergency: 'sev1', p1: 'sev1', sev1: 'sev1',
  error: 'sev2', high: 'sev2', major: 'sev2', p2: 'sev2', sev2: 'sev2',
  warning: 'sev3', warn: 'sev3', minor: 'sev3', p3: 'sev3', sev3: 'sev3',
  info: 'sev4', informational: 'sev4', low: 'sev4', p4: 'sev4', p5: 'sev4', sev4: 'sev4',
};

export function severityOfAlert(group: Pick<AlertGroupRow, 'urgency'>, first: Pick<AlertRow, 'labels'> | undefined): Severity {
  const label = first?.labels.severity?.trim().toLowerCase();
  return (label && SEVERITY_OF_LABEL[label]) || (group.urgency === 'high' ? 'sev2' : 'sev3');
}

/** The declare form, filled in from the alert; refused when the alert is already an incident. */
export async function declareFromAlertModal(deps: Pick<Kit, 'db'> & { services: ServiceConfig[] }, groupId: number): Promise<ModalView> {
  const group = await getAlertGroup(deps.db, groupId);
  if (!group) throw new UserError('Klaxon does not know this alert.');
  if (group.incidentId !== null) throw new UserError(`${alertRef(groupId)} is already ${incidentRef(group.incidentId)}: its channel is where the work goes on.`);
  const alerts = await alertsOf(deps.db, groupId);
  const first = alerts[0];
  const summary = [first?.description, `Declared from ${alertRef(groupId)} (${alerts.length} alert${alerts.length === 1 ? '' : 's'}).`].filter(Boolean).join('\n');
  return declareModal(deps.services, { title: group.title, severity: severityOfAlert(group, first), ...(group.serviceId ? { serviceId: group.serviceId } : {}), summary }, JSON.stringify({ alertGroupId: groupId }));
}

/**
 * The incident takes the alert over (a flow, inside the declaring transaction). Returns whether someone had
 * acknowledged the alert, in which case the incident pages nobody more.
 */
export async function incidentDeclaredFromAlert(deps: Pick<Kit, 'db' | 'scheduler'> & { paging: EscalateDeps }, groupId: number, incidentId: number, at: number): Promise<boolean> {
  const group = await getAlertGroup(deps.db, groupId);
  if (!group || group.incidentId !== null) return false;
  await linkAlertGroupIncident(deps.db, groupId, incidentId, at);
  const alerts = await alertsOf(deps.db, groupId);
  for (const alert of alerts) await alertOnTimeline(deps.db, incidentId, groupId, alert, 'alert_fired', alert.startsAt, at);
  if (group.acknowledgedBy === null) await withdrawPages(deps.paging, alertSubject(groupId), at);
  else await refreshPages(deps.paging, alertSubject(groupId), at);
  await scheduleAlertMessage(deps, groupId, at);
  return group.acknowledgedBy !== null;
}

/** An alert of a group declared as an incident, on the incident's timeline (its words are the monitoring tool's). */
export async function alertOnTimeline(db: Kit['db'], incidentId: number, groupId: number, alert: Pick<AlertRow, 'fingerprint' | 'summary' | 'labels'>, kind: 'alert_fired' | 'alert_resolved', at: number, recordedAt: number): Promise<void> {
  await addTimelineEvent(db, {
    incidentId,
    kind,
    at,
    text: alert.summary,
    data: { alertGroupId: groupId, fingerprint: alert.fingerprint, labels: alert.labels },
    key: `${kind}:${alertRef(groupId)}:${alert.fingerprint}:${at}`,
    recordedAt,
  });
}
