/**
 * The escalation engine. Each step is a scheduler job: claim, decide and write in one transaction (the step,
 * its pages, the timeline, the next job), then a separate job brings Slack up to date. A step that already
 * happened is never taken again (its position is unique), and an acknowledgement cancels the next job, so a
 * crash or a job that runs twice neither loses nor repeats a page.
 */
import type { KlaxonFile } from '../core/config.ts';
import { transaction, type Db } from '../core/db.ts';
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { mention } from '../core/mrkdwn.ts';
import type { RequirePerson } from '../core/user-profiles.ts';
import { addTimelineEvent } from '../timeline/index.ts';
import { describePosition, directPagePolicy, FIRST_POSITION, nextPosition, peopleToPage, policySnapshot, resolveTargets, type Position } from './escalation.ts';
import { formatDuration } from '../core/duration.ts';
import { jobKinds } from './ids.ts';
import { describeTarget } from './page-blocks.ts';
import type { Rotas } from '../rotas/index.ts';
import { exhaustEscalation, getEscalation, insertEscalation, insertPage, insertStep, latestEscalationForPolicy, moveEscalation, openPagesFor, pagesOf, settleSteps, stepsOf, type EscalationRow } from './store.ts';
import { serviceNameOrNull } from '../core/service-names.ts';
import { incidentRef } from '../core/incident-ref.ts';
import { incidentSubject, subjectOf, subjectRef, type PageSubject } from './subject.ts';

export interface EscalateDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler'> {
  rotas: Rotas;
  file: KlaxonFile;
}

/** How long a direct page (`/incident page @user`) waits before the channel hears nobody answered. */
export const DIRECT_PAGE_TIMEOUT_MS = 5 * 60_000;

type EscalationIds = { id: number; incidentId: number | null; alertGroupId: number | null };

export function escalateJobKey(escalation: EscalationIds, position: Position): string {
  return `escalate:${subjectRef(escalation)}:E${escalation.id}:L${position.level}:R${position.loop}`;
}

export function exhaustJobKey(escalation: EscalationIds): string {
  return `exhaust:${subjectRef(escalation)}:E${escalation.id}`;
}

/** Schedules the job that brings Slack up to date with the escalation as it is now (call inside the transaction). */
export async function scheduleSync(deps: Pick<EscalateDeps, 'db' | 'scheduler'>, escalationId: number, at: number): Promise<void> {
  const escalation = (await getEscalation(deps.db, escalationId))!;
  await deps.scheduler.schedule(deps.db, {
    kind: jobKinds.sync,
    key: `sync:${subjectRef(escalation)}:E${escalation.id}:r${escalation.revision}`,
    dueAt: at,
    payload: { escalationId, revision: escalation.revision },
  });
}


/**
 * Starts a service's escalation policy for an incident or an alert group; call inside the caller's transaction.
 * Returns the escalation id, or undefined when the service has no policy.
 */
export async function startServiceEscalation(deps: EscalateDeps, subject: PageSubject, serviceId: string, startedBy: string, at: number): Promise<number | undefined> {
  const service = deps.file.services.find((s) => s.id === serviceId);
  const policy = deps.file.escalation_policies.find((p) => p.id === service?.escalation_policy);
  if (!service || !policy) return undefined;
  return beginEscalation(deps, { ...subject, policyId: policy.id, serviceId, policy: policySnapshot(policy), startedBy, startedAt: at });
}

/**
 * `/incident page @user … <service> …`: services start their escalation policy, people get a one-level page
 * (the channel hears if nobody acknowledges in time). All or nothing: a refusal changes nothing. Each person is
 * first checked with Slack (someone it knows, active, not a bot), since a page they cannot get helps nobody.
 */
export async function pageIntoIncident(deps: EscalateDeps & { requirePerson: RequirePerson }, incident: { id: number; status: string }, request: { userIds: string[]; serviceIds: string[] }, by: string): Promise<void> {
  const ref = incidentRef(incident.id);
  if (incident.status === 'resolved') throw new UserError(`${ref} is resolved, so Klaxon pages nobody for it. Reopen it first if it needs people again.`);
  for (const userId of request.userIds) await deps.requirePerson(userId, 'be paged');
  const at = deps.clock.now();
  await transaction(deps.db, async () => {
    for (const serviceId of request.serviceIds) {
      const service = deps.file.services.find((s) => s.id === serviceId)!;
      if (!service.escalation_policy) throw new UserError(`${service.name} has no escalation policy in klaxon.yml, so there is nobody to page for it. Page a person instead: \`/incident page @person\`.`);
      const running = await latestEscalationForPolicy(deps.db, incident.id, service.escalation_policy);
      if (running && (running.status === 'active' || running.status === 'exhausted')) {
        throw new UserError(`${service.name} is already being paged for ${ref} (${describePosition(running)}) and nobody has acknowledged yet.`);
      }
      await startServiceEscalation(deps, incidentSubject(incident.id), serviceId, by, at);
    }
    if (request.userIds.length) {
      const waiting: string[] = [];
      for (const userId of request.userIds) if ((await openPagesFor(deps.db, userId)).some((page) => page.incidentId === incident.id)) waiting.push(userId);
      if (waiting.length) throw new UserError(`${waiting.map(mention).join(', ')} ${waiting.length > 1 ? 'have' : 'has'} already been paged for ${ref} and not acknowledged yet.`);
      await beginEscalation(deps, { ...incidentSubject(incident.id), policyId: null, serviceId: null, policy: directPagePolicy(request.userIds, DIRECT_PAGE_TIMEOUT_MS), startedBy: by, startedAt: at });
    }
  });
}

async function beginEscalation(deps: EscalateDeps, escalation: Parameters<typeof insertEscalation>[1]): Promise<number> {
  const id = await insertEscalation(deps.db, escalation);
  const key = escalateJobKey({ id, incidentId: escalation.incidentId, alertGroupId: escalation.alertGroupId }, FIRST_POSITION);
  await moveEscalation(deps.db, id, FIRST_POSITION, key);
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.escalate, key, dueAt: escalation.startedAt, payload: { escalationId: id, ...FIRST_POSITION } });
  return id;
}

/**
 * One step: pages the level's people as they are on call now, or, when nobody is, says so and moves on at once.
 * Schedules the next step (or exhaustion) at the level's timeout. Does nothing if the escalation was
 * acknowledged, or if this step was already taken.
 */
export async function takeEscalationStep(deps: EscalateDeps, escalationId: number, position: Position): Promise<void> {
  const { db } = deps;
  const at = deps.clock.now();
  await transaction(db, async () => {
    const escalation = await getEscalation(db, escalationId);
    if (!escalation || escalation.status !== 'active') return;
    const steps = await stepsOf(db, escalationId);
    if (steps.some((s) => s.level === position.level && s.loop === position.loop)) return;
    const level = escalation.policy.levels[position.level];
    if (!level) return;
    const label = serviceNameOrNull(deps.file.services, escalation.serviceId);
    const ref = subjectRef(escalation);
    const people = peopleToPage(resolveTargets(level.targets, at, await onCallAt(deps.rotas, level.targets, at)));
    const empty = people.length === 0;
    const previous = steps.at(-1);
    if (previous?.status === 'paging') {
      await onTimeline(db, escalation, {
        kind: 'escalated',
        at,
        text: `No acknowledgement within ${formatDuration(at - previous.startedAt)} at ${describePosition(previous)}: escalating to ${describePosition(position)}`,
        data: { escalationId, from: { level: previous.level, loop: previous.loop }, to: position },
        key: `escalated:${ref}:E${escalationId}:L${position.level}:R${position.loop}`,
        recordedAt: at,
      });
    }
    await settleSteps(db, escalationId, 'escalated');
    const stepId = (await insertStep(db, { escalationId, ...position, targets: level.targets, status: empty ? 'empty' : 'paging', startedAt: at, timeoutAt: empty ? null : at + level.timeoutMs }))!;
    for (const { userId, via } of people) {
      await insertPage(db, { ...subjectOf(escalation), escalationId, stepId, userId, via, pagedAt: at });
      await onTimeline(db, escalation, {
        kind: 'paged',
        at,
        actorId: escalation.policyId === null ? escalation.startedBy : null,
        text: `Paged ${mention(userId)} (${label === null ? 'direct page' : `${label}, ${describePosition(position)}`})`,
        data: { escalationId, userId, via, ...position },
        key: `paged:${ref}:E${escalationId}:L${position.level}:R${position.loop}:${userId}`,
        recordedAt: at,
      });
    }
    if (empty) {
      await onTimeline(db, escalation, {
        kind: 'escalated',
        at,
        text: `${label ?? 'The page'}, ${describePosition(position)}: ${level.targets.map(describeTarget).join(', ')} has nobody on call; moving on at once`,
        data: { escalationId, empty: true, ...position },
        key: `empty:${ref}:E${escalationId}:L${position.level}:R${position.loop}`,
        recordedAt: at,
      });
    }
    const dueAt = empty ? at : at + level.timeoutMs;
    const next = nextPosition(escalation.policy, position);
    const nextKey = next ? escalateJobKey(escalation, next) : exhaustJobKey(escalation);
    await deps.scheduler.schedule(db, next ? { kind: jobKinds.escalate, key: nextKey, dueAt, payload: { escalationId, ...next } } : { kind: jobKinds.exhaust, key: nextKey, dueAt, payload: { escalationId } });
    await moveEscalation(db, escalationId, position, nextKey);
    await scheduleSync(deps, escalationId, at);
  });
}

/**
 * "Escalate now", by someone it paged: the next level is paged at once rather than at the current one's timeout,
 * in one transaction with cancelling that timeout (the step is taken as the timeout would take it). Refused, with
 * what to do instead, when the escalation is no longer paging or is at its last level.
 */
export async function escalateNow(deps: EscalateDeps, escalationId: number, userId: string): Promise<Position> {
  const { db } = deps;
  return transaction(db, async () => {
    const escalation = await getEscalation(db, escalationId);
    if (!escalation || escalation.status !== 'active') throw new UserError('This page is no longer waiting for anyone, so there is nothing to escalate.');
    if (!(await pagesOf(db, escalationId)).some((page) => page.userId === userId)) throw new UserError('Only the people it paged can escalate it.');
    const next = nextPosition(escalation.policy, { level: escalation.level, loop: escalation.loop });
    if (!next) throw new UserError(`This is the last level of the ${serviceNameOrNull(deps.file.services, escalation.serviceId) ?? 'page'}'s escalation: there is nobody further to page. Page someone with \`/incident page @person\`.`);
    if (escalation.nextJobKey) await deps.scheduler.cancel(db, escalation.nextJobKey);
    await takeEscalationStep(deps, escalationId, next);
    return next;
  });
}

/** Every level of every repeat went unacknowledged: mark it so the alert goes out. */
export async function exhaust(deps: EscalateDeps, escalationId: number): Promise<void> {
  const { db } = deps;
  const at = deps.clock.now();
  await transaction(db, async () => {
    const escalation: EscalationRow | undefined = await getEscalation(db, escalationId);
    if (!escalation || !(await exhaustEscalation(db, escalationId, at))) return;
    await settleSteps(db, escalationId, 'exhausted');
    const label = serviceNameOrNull(deps.file.services, escalation.serviceId);
    await onTimeline(db, escalation, {
      kind: 'escalation_exhausted',
      at,
      text: `Nobody acknowledged ${label === null ? 'the direct page' : `the ${label} escalation`} after ${formatDuration(at - escalation.startedAt)}`,
      data: { escalationId },
      key: `exhausted:${subjectRef(escalation)}:E${escalationId}`,
      recordedAt: at,
    });
    await scheduleSync(deps, escalationId, at);
  });
}

/** Records what paging did on the incident's timeline; an alert group has none (its alerts are its history). */
async function onTimeline(db: Db, escalation: EscalationRow, entry: Omit<Parameters<typeof addTimelineEvent>[1], 'incidentId'>): Promise<void> {
  if (escalation.incidentId !== null) await addTimelineEvent(db, { incidentId: escalation.incidentId, ...entry });
}

/**
 * Who is on call at `at` for each schedule the targets name, asked before resolveTargets, which asks
 * synchronously.
 */
async function onCallAt(rotas: Rotas, targets: readonly string[], at: number): Promise<(scheduleId: string) => string | undefined> {
  const onCall = new Map<string, string | undefined>();
  for (const target of targets) {
    if (!target.startsWith('schedule:')) continue;
    const scheduleId = target.slice('schedule:'.length);
    onCall.set(scheduleId, await rotas.onCallUser(scheduleId, at));
  }
  return (scheduleId) => onCall.get(scheduleId);
}
