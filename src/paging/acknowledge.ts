/**
 * Acknowledging a page: one transaction marks the escalation acknowledged, the page acknowledged and everyone
 * else's page answered, cancels the next step and records the time to acknowledge; the sync job then edits
 * every message about it. A second acknowledgement, or one for a page that is no longer current, changes
 * nothing and says why.
 */
import { transaction, type Db } from '../core/db.ts';
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { date, mention } from '../core/mrkdwn.ts';
import { incidentRef, recordAcknowledgement } from '../incidents/index.ts';
import { addTimelineEvent } from '../timeline/index.ts';
import { formatDuration } from '../core/duration.ts';
import { scheduleSync } from './escalate.ts';
import { subjectRef } from './subject.ts';
import { acknowledgeEscalation, acknowledgePage as markPageAcknowledged, answerPages, getEscalation, getPage, openPagesFor, pagesOfUserForIncident, settleSteps } from './store.ts';

export type AcknowledgeDeps = Pick<Kit, 'db' | 'clock' | 'scheduler' | 'flows'>;

/** `ref`: what the page was for, INC-42 or ALERT-12. */
export type AckOutcome =
  | { kind: 'acknowledged'; ref: string; afterMs: number }
  | { kind: 'already'; ref: string; by: string; at: number }
  | { kind: 'withdrawn'; ref: string };

/** The Acknowledge button: `pageId` from the button, `userId` who clicked. */
export async function acknowledgePage(deps: AcknowledgeDeps, pageId: number, userId: string): Promise<AckOutcome> {
  const { db } = deps;
  const at = deps.clock.now();
  return transaction(db, async (): Promise<AckOutcome> => {
    const page = await getPage(db, pageId);
    if (!page) throw new UserError('Klaxon does not know this page.');
    if (page.userId !== userId) throw new UserError(`This page is addressed to ${mention(page.userId)}. To take the incident, run \`/incident ack\` in its channel if you were paged too.`);
    const escalation = (await getEscalation(db, page.escalationId))!;
    const ref = subjectRef(page);
    if (escalation.status === 'acknowledged') return { kind: 'already', ref, by: escalation.acknowledgedBy!, at: escalation.acknowledgedAt! };
    if (escalation.status === 'cancelled' || page.status !== 'pending') return { kind: 'withdrawn', ref };
    await acknowledgeEscalation(db, escalation.id, userId, at);
    await markPageAcknowledged(db, page.id, at);
    await answerPages(db, escalation.id);
    await settleSteps(db, escalation.id, 'acknowledged');
    if (escalation.nextJobKey) await deps.scheduler.cancel(db, escalation.nextJobKey);
    if (page.incidentId !== null) {
      await recordAcknowledgement(db, page.incidentId, userId, at);
      await addTimelineEvent(db, {
        incidentId: page.incidentId,
        kind: 'acknowledged',
        at,
        actorId: userId,
        text: `${mention(userId)} acknowledged after ${formatDuration(at - page.pagedAt)}`,
        data: { escalationId: escalation.id, pageId: page.id, afterMs: at - page.pagedAt, sinceEscalationMs: at - escalation.startedAt },
        key: `acknowledged:${ref}:E${escalation.id}`,
        recordedAt: at,
      });
    } else if (page.alertGroupId !== null) {
      await deps.flows.alertAcknowledged(page.alertGroupId, userId, at);
    }
    await scheduleSync(deps, escalation.id, at);
    return { kind: 'acknowledged', ref, afterMs: at - page.pagedAt };
  });
}

/**
 * `/incident ack`: acknowledges every page addressed to this person, for one incident when one is given (the
 * channel's, or INC-n), else for the only incident paging them.
 */
export async function acknowledgeMine(deps: AcknowledgeDeps, userId: string, incidentId: number | undefined): Promise<AckOutcome[]> {
  const open = (await openPagesFor(deps.db, userId)).filter((page) => incidentId === undefined || page.incidentId === incidentId);
  if (open.length === 0) {
    if (incidentId !== undefined) {
      const answered = await alreadyAcknowledged(deps.db, userId, incidentId);
      if (answered) return [answered];
      throw new UserError(`No page for ${incidentRef(incidentId)} is addressed to you, so there is nothing to acknowledge.`);
    }
    throw new UserError('No page is waiting for your acknowledgement.');
  }
  const subjects = new Set(open.map((page) => subjectRef(page)));
  if (subjects.size > 1) {
    throw new UserError(`You are paged for ${[...subjects].join(', ')}. Run \`/incident ack\` in the incident's channel, give the incident (\`/incident ack INC-42\`), or use the Acknowledge button of each page.`);
  }
  const oneEachEscalation = [...new Map(open.map((page) => [page.escalationId, page])).values()];
  const outcomes: AckOutcome[] = [];
  for (const page of oneEachEscalation) outcomes.push(await acknowledgePage(deps, page.id, userId));
  return outcomes;
}

/** When this person was paged for the incident and it was acknowledged since: who did, and when. */
async function alreadyAcknowledged(db: Db, userId: string, incidentId: number): Promise<AckOutcome | undefined> {
  for (const page of await pagesOfUserForIncident(db, userId, incidentId)) {
    const escalation = await getEscalation(db, page.escalationId);
    if (escalation?.status === 'acknowledged') return { kind: 'already', ref: incidentRef(incidentId), by: escalation.acknowledgedBy!, at: escalation.acknowledgedAt! };
  }
  return undefined;
}

/** What an acknowledgement answers the person who made it. */
export function ackReply(outcome: AckOutcome, userId: string): string {
  const { ref } = outcome;
  switch (outcome.kind) {
    case 'acknowledged':
      return `:white_check_mark: You acknowledged ${ref} (after ${formatDuration(outcome.afterMs)}). The escalation has stopped and the channel knows you are on it.`;
    case 'already':
      return outcome.by === userId
        ? `You already acknowledged ${ref}. Nothing more to do.`
        : `${ref} was already acknowledged by ${mention(outcome.by)} ${date(outcome.at, '{date_short_pretty} {time}')}. Nothing was changed.`;
    case 'withdrawn':
      return `This page for ${ref} is no longer current, so nothing was changed.`;
  }
}
