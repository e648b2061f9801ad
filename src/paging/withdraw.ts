/**
 * What happens to pages when their subject changes around them. Withdrawing the pages of a resolved incident or
 * alert group: every escalation still running (or exhausted, still waiting for someone) is cancelled with its
 * next step, its waiting pages are withdrawn, and the sync job edits each page DM and channel line to say so.
 * Call inside the resolving transaction.
 */
import { incidentRef } from '../core/incident-ref.ts';
import { addTimelineEvent } from '../timeline/index.ts';
import { scheduleSync, type EscalateDeps } from './escalate.ts';
import { bumpEscalationRevision, cancelEscalation, cancelPages, escalationsOf, settleSteps } from './store.ts';
import { incidentSubject, type PageSubject } from './subject.ts';

export async function withdrawPages(deps: Pick<EscalateDeps, 'db' | 'scheduler'>, subject: PageSubject, at: number): Promise<number> {
  const { db } = deps;
  let withdrawn = 0;
  for (const escalation of await escalationsOf(db, subject)) {
    if (!(await cancelEscalation(db, escalation.id))) continue;
    withdrawn += 1;
    if (escalation.nextJobKey) await deps.scheduler.cancel(db, escalation.nextJobKey);
    await cancelPages(db, escalation.id);
    await settleSteps(db, escalation.id, 'cancelled');
    await scheduleSync(deps, escalation.id, at);
  }
  const { incidentId } = subject;
  if (withdrawn && incidentId !== null) {
    await addTimelineEvent(db, { incidentId, kind: 'pages_withdrawn', at, text: `${withdrawn} unanswered ${withdrawn === 1 ? 'escalation was' : 'escalations were'} withdrawn`, data: { escalations: withdrawn }, key: `withdrawn:${incidentRef(incidentId)}:${at}`, recordedAt: at });
  }
  return withdrawn;
}

/**
 * The incident channel exists now: every escalation's messages are brought up to date with it (the page DMs
 * link to it, the paged people are invited, each step's line and any "nobody has acknowledged" alert are
 * posted in it), however late the channel came. Call inside the transaction that records the channel.
 */
export async function showPagesInChannel(deps: Pick<EscalateDeps, 'db' | 'scheduler'>, incidentId: number, at: number): Promise<void> {
  await refreshPages(deps, incidentSubject(incidentId), at);
}

/** Something the subject's pages show changed outside paging (an alert declared as an incident): they are edited. */
export async function refreshPages(deps: Pick<EscalateDeps, 'db' | 'scheduler'>, subject: PageSubject, at: number): Promise<void> {
  for (const escalation of await escalationsOf(deps.db, subject)) {
    await bumpEscalationRevision(deps.db, escalation.id);
    await scheduleSync(deps, escalation.id, at);
  }
}
