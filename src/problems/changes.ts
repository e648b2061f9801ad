/**
 * Problem tickets: created from a saved post-mortem, worked through from Slack (actions done, a new owner, a
 * new due date), resolved, and told when a new incident looks like theirs. Each change is one transaction
 * that records it, the webhook event and what must be said (a DM, a channel message) as jobs.
 */
import { audit } from '../core/audit.ts';
import { transaction, type Db } from '../core/db.ts';
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { mention } from '../core/mrkdwn.ts';
import { getIncident, incidentRef, type Severity } from '../incidents/index.ts';
import { jobKinds, problemRef } from './ids.ts';
import { nextReminder, priorityFor, problemDescription, problemDue, problemTitle, resolveRefusal } from './rules.ts';
import { actionsOfProblem, getAction, getProblem, insertAction, insertProblem, openProblemsOfIncidents, recordRecurrence, resolveProblemRow, setActionDone, setDue, setOwner, touchProblem, type ProblemRow } from './store.ts';
import { enqueueEvent, type WebhookTarget } from './webhook.ts';

export interface ProblemDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler'> {
  /** The organisation's zone (klaxon.yml): due dates are days in it. */
  timeZone: string;
  webhook?: WebhookTarget;
  /** Runs inside every changing transaction (the App Home refresh). */
  onChanged?: (at: number) => Promise<void>;
}

export type TellWhat = 'created' | 'reassigned' | 'recurred';

/** Schedules a message about the ticket (inside the caller's transaction); `key` makes it once only. */
async function tell(deps: ProblemDeps, problemId: number, what: TellWhat, key: string, extra: { incidentId?: number; by?: string } = {}): Promise<void> {
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.tell, key: `prb-tell:${problemRef(problemId)}:${key}`, dueAt: deps.clock.now(), payload: { problemId, what, ...extra } });
}

/** The owner's next due-date reminder (inside the caller's transaction). */
export async function scheduleProblemReminder(deps: ProblemDeps, problem: ProblemRow, after: number): Promise<void> {
  if (problem.status !== 'open') return;
  const at = nextReminder(problem.dueDate, deps.timeZone, after);
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.remind, key: `prb-remind:${problemRef(problem.id)}:${at}`, dueAt: at, payload: { problemId: problem.id, at } });
}

async function titleOf(db: Db, incidentId: number): Promise<string> {
  return (await getIncident(db, incidentId))?.title ?? '';
}

export interface NewProblem {
  incidentId: number;
  severity: Severity;
  incidentTitle: string;
  whys: string[];
  rootCause: string;
  actions: { what: string; ownerId: string; due: string }[];
  createdBy: string;
}

/** Creates PRB-n with its checklist; call inside the caller's transaction. The first action's owner owns it. */
export async function createProblem(deps: ProblemDeps, input: NewProblem, at: number): Promise<number> {
  const ref = incidentRef(input.incidentId);
  const owner = input.actions[0]!.ownerId;
  const id = await insertProblem(deps.db, {
    incidentId: input.incidentId,
    title: problemTitle(input.rootCause),
    description: problemDescription(ref, input.incidentTitle, input.whys, input.rootCause),
    ownerId: owner,
    priority: priorityFor(input.severity),
    dueDate: problemDue(input.actions.map((a) => a.due)),
    createdBy: input.createdBy,
    at,
  });
  for (const [position, a] of input.actions.entries()) await insertAction(deps.db, { problemId: id, position, what: a.what, ownerId: a.ownerId, dueDate: a.due });
  await audit(deps.db, { at, actorId: input.createdBy, action: 'problem.create', subject: problemRef(id), details: { incident: ref, owner, actions: input.actions.length } });
  await scheduleProblemReminder(deps, (await getProblem(deps.db, id))!, at);
  await enqueueEvent(deps, 'problem.created', id, input.incidentTitle);
  await tell(deps, id, 'created', 'created');
  await deps.onChanged?.(at);
  return id;
}

async function changeProblem(deps: ProblemDeps, problemId: number, act: { action: string; by: string }, change: (problem: ProblemRow, at: number) => Promise<Record<string, unknown> | void>): Promise<ProblemRow> {
  const { db } = deps;
  const at = deps.clock.now();
  await transaction(db, async () => {
    const problem = await getProblem(db, problemId);
    if (!problem) throw new UserError(`There is no ${problemRef(problemId)}.`);
    const details = await change(problem, at);
    await audit(db, { at, actorId: act.by, action: act.action, subject: problemRef(problemId), ...(details ? { details } : {}) });
    await deps.onChanged?.(at);
  });
  return (await getProblem(db, problemId))!;
}

export async function markActionDone(deps: ProblemDeps, actionId: number, by: string): Promise<ProblemRow> {
  const action = await getAction(deps.db, actionId);
  if (!action) throw new UserError('Klaxon does not know that action.');
  return changeProblem(deps, action.problemId, { action: 'problem.action_done', by }, async (problem, at) => {
    if (problem.status !== 'open') throw new UserError(`${problemRef(problem.id)} is resolved.`);
    if (!(await setActionDone(deps.db, actionId, by, at))) throw new UserError(`That action of ${problemRef(problem.id)} is already done.`);
    await touchProblem(deps.db, problem.id, at);
    await enqueueEvent(deps, 'problem.updated', problem.id, await titleOf(deps.db, problem.incidentId), { change: { action_done: action.what, by } });
    return { action: action.what };
  });
}

export async function reassignProblem(deps: ProblemDeps, problemId: number, ownerId: string, by: string): Promise<ProblemRow> {
  return changeProblem(deps, problemId, { action: 'problem.reassign', by }, async (problem, at) => {
    if (problem.status !== 'open') throw new UserError(`${problemRef(problem.id)} is resolved.`);
    if (problem.ownerId === ownerId) throw new UserError(`${mention(ownerId)} already owns ${problemRef(problem.id)}.`);
    await setOwner(deps.db, problem.id, ownerId, at);
    await enqueueEvent(deps, 'problem.updated', problem.id, await titleOf(deps.db, problem.incidentId), { change: { owner: ownerId, by } });
    await tell(deps, problem.id, 'reassigned', `owner:${problem.revision + 1}`, { by });
    return { from: problem.ownerId, to: ownerId };
  });
}

export async function changeProblemDue(deps: ProblemDeps, problemId: number, dueDate: string, by: string): Promise<ProblemRow> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) throw new UserError('Pick a due date.');
  return changeProblem(deps, problemId, { action: 'problem.due', by }, async (problem, at) => {
    if (problem.status !== 'open') throw new UserError(`${problemRef(problem.id)} is resolved.`);
    if (problem.dueDate === dueDate) throw new UserError(`${problemRef(problem.id)} is already due on ${dueDate}.`);
    await setDue(deps.db, problem.id, dueDate, at);
    await scheduleProblemReminder(deps, (await getProblem(deps.db, problem.id))!, at);
    await enqueueEvent(deps, 'problem.updated', problem.id, await titleOf(deps.db, problem.incidentId), { change: { due_date: dueDate, by } });
    return { from: problem.dueDate, to: dueDate };
  });
}

/** Resolves the ticket: every action done, or a reason given for those that are not ("won't do"). */
export async function resolveProblem(deps: ProblemDeps, problemId: number, reason: string, by: string): Promise<ProblemRow> {
  return changeProblem(deps, problemId, { action: 'problem.resolve', by }, async (problem, at) => {
    const open = (await actionsOfProblem(deps.db, problem.id)).filter((a) => a.status === 'open').length;
    const refusal = resolveRefusal(problem, open, reason);
    if (refusal) throw new UserError(refusal);
    await resolveProblemRow(deps.db, problem.id, reason.trim() || null, by, at);
    await enqueueEvent(deps, 'problem.resolved', problem.id, await titleOf(deps.db, problem.incidentId), { change: { by } });
    return reason.trim() ? { reason: reason.trim() } : undefined;
  });
}

/**
 * A new incident looks like past ones: each of their tickets still open records the recurrence and the new
 * incident's channel is told. Call inside the transaction that records the similar incidents.
 */
export async function noteRecurrences(deps: ProblemDeps, incidentId: number, similarIds: number[], at: number): Promise<void> {
  for (const problem of await openProblemsOfIncidents(deps.db, similarIds)) {
    if (!(await recordRecurrence(deps.db, problem.id, incidentId, at))) continue;
    await touchProblem(deps.db, problem.id, at);
    await enqueueEvent(deps, 'problem.recurred', problem.id, await titleOf(deps.db, problem.incidentId), { recurrence: { incident: incidentRef(incidentId) } });
    await tell(deps, problem.id, 'recurred', `recurred:${incidentRef(incidentId)}`, { incidentId });
  }
}
