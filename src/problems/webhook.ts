/**
 * The optional `problem_webhook`: every change to a ticket becomes a JSON event, written in the transaction of
 * the change and delivered by a job until the receiver answers 2xx (retried with backoff, a failure for good
 * logged). Each request is signed: `X-Klaxon-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` with
 * the shared secret, `X-Klaxon-Timestamp` in epoch seconds, so receivers can check it and refuse replays.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Db } from '../core/db.ts';
import { PermanentError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { incidentRef } from '../incidents/index.ts';
import { jobKinds, problemRef } from './ids.ts';
import { actionsOfProblem, getDelivery, getProblem, insertDelivery, settleDelivery, type ProblemRow } from './store.ts';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export type ProblemEventType = 'problem.created' | 'problem.updated' | 'problem.resolved' | 'problem.recurred';

export interface WebhookDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler'> {
  webhook?: WebhookTarget;
  /** How long one delivery may take before it counts as failed. */
  timeoutMs?: number;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The ticket as receivers see it. */
async function ticketPayload(db: Db, problem: ProblemRow, incidentTitle: string) {
  return {
    ref: problemRef(problem.id),
    id: problem.id,
    title: problem.title,
    description: problem.description,
    owner: problem.ownerId,
    priority: problem.priority,
    due_date: problem.dueDate,
    status: problem.status,
    resolution: problem.resolution,
    incident: { ref: incidentRef(problem.incidentId), id: problem.incidentId, title: incidentTitle },
    actions: (await actionsOfProblem(db, problem.id)).map((a) => ({ what: a.what, owner: a.ownerId, due_date: a.dueDate, status: a.status })),
    created_at: new Date(problem.createdAt).toISOString(),
    updated_at: new Date(problem.updatedAt).toISOString(),
  };
}

/** Records an event for the ticket as it is now and schedules its delivery (inside the caller's transaction). */
export async function enqueueEvent(deps: WebhookDeps, type: ProblemEventType, problemId: number, incidentTitle: string, extra: Record<string, unknown> = {}): Promise<void> {
  if (!deps.webhook) return;
  const at = deps.clock.now();
  const problem = (await getProblem(deps.db, problemId))!;
  const eventId = randomUUID();
  const body = JSON.stringify({ id: eventId, type, created_at: new Date(at).toISOString(), problem: await ticketPayload(deps.db, problem, incidentTitle), ...extra });
  const id = await insertDelivery(deps.db, { eventId, type, problemId, body, at });
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.webhook, key: `webhook:${id}`, dueAt: at, payload: { deliveryId: id } });
}

/** The delivery job: one POST; anything but 2xx throws, and the scheduler tries again later. */
export async function deliverEvent(deps: WebhookDeps, deliveryId: number): Promise<void> {
  const delivery = await getDelivery(deps.db, deliveryId);
  if (!delivery || delivery.status === 'delivered') return;
  if (!deps.webhook) throw new PermanentError('problem_webhook is no longer configured');
  const timestamp = Math.floor(deps.clock.now() / 1000);
  let failure: string | undefined;
  try {
    const response = await fetch(deps.webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Klaxon',
        'x-klaxon-event': delivery.type,
        'x-klaxon-delivery': delivery.eventId,
        'x-klaxon-timestamp': String(timestamp),
        'x-klaxon-signature': signature(deps.webhook.secret, timestamp, delivery.body),
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) failure = `the receiver answered HTTP ${response.status}`;
  } catch (error) {
    failure = `the request failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  await settleDelivery(deps.db, deliveryId, failure ? { status: 'pending', error: failure, deliveredAt: null } : { status: 'delivered', error: null, deliveredAt: deps.clock.now() });
  if (failure) throw new Error(`${problemRef(delivery.problemId)} ${delivery.type}: ${failure}`);
}

/** After the last attempt: the event is marked failed (its row keeps the reason). */
export async function giveUpDelivery(deps: WebhookDeps, deliveryId: number, error: unknown): Promise<void> {
  await settleDelivery(deps.db, deliveryId, { status: 'failed', error: error instanceof Error ? error.message : String(error), deliveredAt: null });
}
