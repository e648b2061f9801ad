/**
 * Withdrawing the pages of a resolved incident: every escalation still running (or exhausted, still waiting
 * for someone) is cancelled with its next step, its waiting pages are withdrawn, and the sync job edits each
 * page DM and channel line to say so. Call inside the resolving transaction.
 */
import { addTimelineEvent, incidentRef } from '../incidents/index.ts';
import { scheduleSync, type EscalateDeps } from './escalate.ts';
import { cancelEscalation, cancelPages, escalationsOf, settleSteps } from './store.ts';

export function withdrawPages(deps: Pick<EscalateDeps, 'db' | 'scheduler'>, incidentId: number, at: number): number {
  const { db } = deps;
  let withdrawn = 0;
  for (const escalation of escalationsOf(db, incidentId)) {
    if (!cancelEscalation(db, escalation.id)) continue;
    withdrawn += 1;
    if (escalation.nextJobKey) deps.scheduler.cancel(db, escalation.nextJobKey);
    cancelPages(db, escalation.id);
    settleSteps(db, escalation.id, 'cancelled');
    scheduleSync(deps, escalation.id, at);
  }
  if (withdrawn) {
    addTimelineEvent(db, { incidentId, kind: 'pages_withdrawn', at, text: `${withdrawn} unanswered ${withdrawn === 1 ? 'escalation was' : 'escalations were'} withdrawn`, data: { escalations: withdrawn }, key: `withdrawn:${incidentRef(incidentId)}:${at}`, recordedAt: at });
  }
  return withdrawn;
}
