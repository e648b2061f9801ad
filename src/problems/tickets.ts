/**
 * What Slack shows of tickets and what it posts about them: the `/incident problems` answer, and the jobs that
 * DM the owner (a new ticket, a new owner, the due date then weekly) and tell a new incident's channel that it
 * looks like one whose problem is still open.
 */
import type { KnownBlock } from '@slack/types';
import { transaction, type Db } from '../core/db.ts';
import { DeferError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { SlackCallError } from '../core/slack-gateway.ts';
import { getIncident } from '../incidents/index.ts';
import { ownerDmText, problemListBlocks, reassignedDmText, recurrenceText, reminderDmText, type TicketView } from './blocks.ts';
import { scheduleProblemReminder, type ProblemDeps, type TellWhat } from './changes.ts';
import { problemRef } from './ids.ts';
import { daysOverdue, isReminderCurrent } from './rules.ts';
import { actionsOfProblem, getProblem, listProblems, recurrencesOf, type ProblemRow } from './store.ts';

export type TicketDeps = ProblemDeps & Pick<Kit, 'outbox' | 'logger'>;

export async function ticketView(db: Db, problem: ProblemRow, timeZone: string, now: number): Promise<TicketView> {
  return {
    id: problem.id,
    incidentId: problem.incidentId,
    title: problem.title,
    ownerId: problem.ownerId,
    priority: problem.priority,
    dueDate: problem.dueDate,
    status: problem.status,
    resolution: problem.resolution,
    overdueDays: problem.status === 'open' ? daysOverdue(problem.dueDate, timeZone, now) : 0,
    recurrences: (await recurrencesOf(db, problem.id)).length,
    actions: (await actionsOfProblem(db, problem.id)).map((a) => ({ id: a.id, what: a.what, ownerId: a.ownerId, dueDate: a.dueDate, status: a.status })),
  };
}

/** `/incident problems [mine|open|all]`. Private incidents' tickets are listed only to people who own part of them. */
export async function problemsAnswer(deps: ProblemDeps, which: 'mine' | 'open' | 'all', userId: string): Promise<{ text: string; blocks: KnownBlock[] }> {
  const now = deps.clock.now();
  const visible: TicketView[] = [];
  for (const p of await listProblems(deps.db, which, userId, 100)) {
    const isPrivate = (await getIncident(deps.db, p.incidentId))?.isPrivate;
    if (isPrivate && p.ownerId !== userId && !(await actionsOfProblem(deps.db, p.id)).some((a) => a.ownerId === userId)) continue;
    visible.push(await ticketView(deps.db, p, deps.timeZone, now));
  }
  return problemListBlocks(visible, which);
}

/** The tell job: one message about a ticket, posted once. */
export async function tellAboutProblem(deps: TicketDeps, payload: { problemId: number; what: TellWhat; incidentId?: number; by?: string }, key: string): Promise<void> {
  const { problemId, what, incidentId } = payload;
  const problem = await getProblem(deps.db, problemId);
  if (!problem) return;
  const view = await ticketView(deps.db, problem, deps.timeZone, deps.clock.now());
  const incident = await getIncident(deps.db, problem.incidentId);
  if (what === 'created') {
    await dm(deps, key, problem.ownerId, ownerDmText(view, incident?.title ?? ''));
  } else if (what === 'reassigned') {
    await dm(deps, key, problem.ownerId, reassignedDmText(view, payload.by ?? problem.createdBy));
  } else if (incidentId !== undefined) {
    const recurred = await getIncident(deps.db, incidentId);
    if (!recurred?.channelId) {
      if (recurred?.provisioning === 'pending') throw new DeferError('the incident has no channel yet', 1000);
      return;
    }
    await deps.outbox.send(key, 'chat.postMessage', { channel: recurred.channelId, text: recurrenceText(view) });
  }
}

/** The reminder job: the owner's DM on the due date and weekly after, while the ticket is open and the date stands. */
export async function remindOwner(deps: TicketDeps, problemId: number, at: number): Promise<void> {
  const problem = await getProblem(deps.db, problemId);
  if (!problem || problem.status !== 'open' || !isReminderCurrent(problem.dueDate, deps.timeZone, at)) return;
  await dm(deps, `prb-remind:${problemRef(problem.id)}:${at}`, problem.ownerId, reminderDmText(await ticketView(deps.db, problem, deps.timeZone, at)));
  await transaction(deps.db, () => scheduleProblemReminder(deps, problem, at + 1));
}

async function dm(deps: TicketDeps, key: string, userId: string, text: string): Promise<void> {
  try {
    await deps.outbox.send(key, 'chat.postMessage', { channel: userId, text });
  } catch (error) {
    if (!(error instanceof SlackCallError) || error.retryable) throw error;
    deps.logger.warn('a problem ticket DM was not delivered', { userId, code: error.code });
  }
}

/** The person's open tickets for their Home tab, soonest due first. */
export async function openTicketsOf(deps: ProblemDeps, userId: string): Promise<{ ref: string; title: string; dueDate: string; overdueDays: number }[]> {
  const now = deps.clock.now();
  return (await listProblems(deps.db, 'mine', userId, 50)).map((p) => ({ ref: problemRef(p.id), title: p.title, dueDate: p.dueDate, overdueDays: daysOverdue(p.dueDate, deps.timeZone, now) }));
}
