/**
 * Heartbeats, a dead man's switch: an integration with `heartbeat: 10m` must be heard from at least that often,
 * by `POST /heartbeats/<id>` or by a firing alert named `Watchdog` (the always-firing alert of kube-prometheus)
 * at `POST /alerts/<id>`, which is a heartbeat and never an alert. Silence from monitoring is itself an incident.
 *
 * Each integration's row holds its deadline; a job keyed by the integration and that deadline
 * (`heartbeat:<id>:<deadline>`) looks when it passes. A heartbeat moves the deadline to one period after it
 * (cancelling the old job, scheduling the new one) in the same transaction. A deadline that passes with nothing
 * heard opens an alert group through receiveAlerts, as if monitoring had sent a firing alert (so it pages the
 * integration's service at high urgency and is posted like any alert), then looks again one period later (a group
 * resolved by hand while the silence lasts opens again then). The next heartbeat resolves it through the same
 * path, as a resolved notification would: its pages are withdrawn and its messages say so.
 */
import { alertRef } from '../core/alert-ref.ts';
import type { IntegrationConfig } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { transaction } from '../core/db.ts';
import { parseDuration } from '../core/duration.ts';
import { getJob } from '../core/scheduler/index.ts';
import { jobKinds } from './ids.ts';
import type { IncomingAlert, IncomingBatch } from './payloads.ts';
import { receiveAlerts, type ReceiveDeps, type ReceiveSummary } from './receive.ts';
import { getHeartbeat, openAlertByFingerprint, saveHeartbeat, type HeartbeatRow } from './store.ts';

/** kube-prometheus's always-firing alert, meant to be routed to a dead man's switch. */
export const WATCHDOG_ALERTNAME = 'Watchdog';

export interface HeartbeatDeps extends ReceiveDeps {
  integrations: IntegrationConfig[];
  logger: Logger;
}

/** What a heartbeat did, for the answer. */
export interface HeartbeatAnswer {
  /** When the next heartbeat is due (epoch ms). */
  nextDueAt: number;
  /** The alert group of a missed heartbeat this one resolved (ALERT-12), if any. */
  resolved: string | null;
}

/** The integration's heartbeat period, when it expects heartbeats. */
export function heartbeatPeriodMs(integration: IntegrationConfig): number | undefined {
  return integration.heartbeat ? parseDuration(integration.heartbeat) : undefined;
}

export function heartbeatDeadlineKey(integrationId: string, deadlineAt: number): string {
  return `heartbeat:${integrationId}:${new Date(deadlineAt).toISOString()}`;
}

/** The identity of a missed heartbeat's alert: one open at a time per integration. */
const missedFingerprint = (integrationId: string): string => `klaxon-heartbeat:${integrationId}`;

/** Records a heartbeat heard at `at`: the deadline moves to one period later, and a missed heartbeat's alert resolves. */
export async function recordHeartbeat(deps: ReceiveDeps, integration: IntegrationConfig, at: number): Promise<HeartbeatAnswer> {
  const period = heartbeatPeriodMs(integration);
  if (period === undefined) throw new Error(`integration ${integration.id} expects no heartbeats`);
  const { db } = deps;
  return transaction(db, async () => {
    const row = await getHeartbeat(db, integration.id);
    const deadlineAt = at + period;
    await moveDeadline(deps, integration.id, row?.deadlineAt, deadlineAt);
    await saveHeartbeat(db, { integrationId: integration.id, lastHeartbeatAt: at, deadlineFrom: at, deadlineAt, missedGroupId: null, updatedAt: at });
    const resolved = row?.missedGroupId != null ? await heartbeatsResumed(deps, integration, row, at) : null;
    return { nextDueAt: deadlineAt, resolved };
  });
}

/**
 * `POST /alerts/<id>`: for an integration that expects heartbeats, a firing `Watchdog` alert is a heartbeat
 * (and a resolved one is dropped: Prometheus stopped sending it, which the deadline will notice); the other
 * alerts are received as usual, in the same transaction.
 */
export async function receiveAlertsAndHeartbeats(deps: ReceiveDeps, integration: IntegrationConfig, batch: IncomingBatch): Promise<ReceiveSummary & { heartbeat?: { nextDueAt: string } }> {
  const isWatchdog = (alert: IncomingAlert): boolean => alert.labels.alertname === WATCHDOG_ALERTNAME;
  if (!integration.heartbeat || !batch.alerts.some(isWatchdog)) return receiveAlerts(deps, integration, batch);
  const alerts = batch.alerts.filter((alert) => !isWatchdog(alert));
  return transaction(deps.db, async () => {
    const beat = batch.alerts.some((alert) => isWatchdog(alert) && alert.status === 'firing') ? await recordHeartbeat(deps, integration, deps.clock.now()) : undefined;
    const summary: ReceiveSummary = alerts.length ? await receiveAlerts(deps, integration, { ...batch, alerts }) : { received: 0, opened: 0, repeated: 0, folded: 0, ignored: 0, groups: [], paged: [] };
    if (beat?.resolved) summary.groups.push(beat.resolved);
    return beat ? { ...summary, heartbeat: { nextDueAt: new Date(beat.nextDueAt).toISOString() } } : summary;
  });
}

/**
 * The job at a deadline: unless a heartbeat moved it since, page as an alert would (once: while the group is
 * open, nothing more), and look again one period later.
 */
export async function heartbeatDeadlinePassed(deps: HeartbeatDeps, payload: { integrationId: string; deadlineAt: number }): Promise<void> {
  const integration = deps.integrations.find((i) => i.id === payload.integrationId);
  const period = integration && heartbeatPeriodMs(integration);
  // klaxon.yml no longer asks for heartbeats from it: nothing to look at.
  if (!integration || period === undefined) return;
  const { db } = deps;
  const at = deps.clock.now();
  await transaction(db, async () => {
    const row = await getHeartbeat(db, integration.id);
    // A heartbeat came and moved the deadline (this run had claimed its job before the move cancelled it).
    if (!row || row.deadlineAt !== payload.deadlineAt) return;
    const fingerprint = missedFingerprint(integration.id);
    let open = await openAlertByFingerprint(db, integration.id, fingerprint);
    if (!open) {
      // The integration's own service, at the urgency of severity=critical: routes on labels are for its alerts.
      const summary = await receiveAlerts(deps, { ...integration, routes: [] }, missedBatch(integration, row, 'firing', at));
      open = await openAlertByFingerprint(db, integration.id, fingerprint);
      deps.logger.warn('no heartbeat came in time', { integration: integration.id, heartbeat: integration.heartbeat, lastHeartbeatAt: row.lastHeartbeatAt, groups: summary.groups, paged: summary.paged });
    }
    const deadlineAt = at + period;
    await moveDeadline(deps, integration.id, undefined, deadlineAt);
    await saveHeartbeat(db, { ...row, deadlineFrom: at, deadlineAt, missedGroupId: open?.groupId ?? null, updatedAt: at });
  });
}

/**
 * On start, where jobs run: every integration that expects heartbeats gets a live deadline. One heard from
 * before keeps its deadline, one period after its last heartbeat (or after the start that began counting);
 * one new to heartbeats counts from now. A deadline that passed while Klaxon was down moves to one period from
 * now: Klaxon was not there to hear the heartbeats, so their silence says nothing about the source. A changed
 * period applies to the deadline at once.
 */
export async function ensureHeartbeatDeadlines(deps: HeartbeatDeps, at: number): Promise<void> {
  const { db } = deps;
  for (const integration of deps.integrations) {
    const period = heartbeatPeriodMs(integration);
    if (period === undefined) continue;
    await transaction(db, async () => {
      const row = await getHeartbeat(db, integration.id);
      if (!row) {
        await moveDeadline(deps, integration.id, undefined, at + period);
        await saveHeartbeat(db, { integrationId: integration.id, lastHeartbeatAt: null, deadlineFrom: at, deadlineAt: at + period, missedGroupId: null, updatedAt: at });
        return;
      }
      const job = await getJob(db, heartbeatDeadlineKey(integration.id, row.deadlineAt));
      const live = job?.status === 'pending' || job?.status === 'running';
      let deadlineFrom = row.deadlineFrom;
      let deadlineAt = deadlineFrom + period;
      // While missed, the look one period later may run late: it pages only if the group was resolved by hand.
      const lapsed = row.missedGroupId === null && deadlineAt <= at;
      // Its job ran or was cancelled (klaxon.yml dropped the heartbeat for a while): a key is used once.
      const spent = !live && deadlineAt === row.deadlineAt;
      if (lapsed || spent) [deadlineFrom, deadlineAt] = [at, at + period];
      if (live && deadlineAt === row.deadlineAt) return;
      await moveDeadline(deps, integration.id, live ? row.deadlineAt : undefined, deadlineAt);
      await saveHeartbeat(db, { ...row, deadlineFrom, deadlineAt, updatedAt: at });
    });
  }
}

/** Cancels the job of the deadline `from` (if any) and schedules one for `to`. Inside the caller's transaction. */
async function moveDeadline(deps: Pick<ReceiveDeps, 'db' | 'scheduler'>, integrationId: string, from: number | undefined, to: number): Promise<void> {
  // The same deadline (two heartbeats in one millisecond): its job stands; cancelling it would leave none.
  if (from === to) return;
  if (from !== undefined) await deps.scheduler.cancel(deps.db, heartbeatDeadlineKey(integrationId, from));
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.heartbeatMissed, key: heartbeatDeadlineKey(integrationId, to), dueAt: to, payload: { integrationId, deadlineAt: to } });
}

/** A heartbeat after a missed one: its alert resolves as monitoring's resolved notification would resolve it. */
async function heartbeatsResumed(deps: ReceiveDeps, integration: IntegrationConfig, row: HeartbeatRow, at: number): Promise<string | null> {
  const open = await openAlertByFingerprint(deps.db, integration.id, missedFingerprint(integration.id));
  // Resolved by hand meanwhile: nothing to resolve.
  if (!open) return null;
  await receiveAlerts(deps, integration, missedBatch(integration, row, 'resolved', at, open.startsAt));
  return alertRef(open.groupId);
}

/** The alert a missed heartbeat raises (firing at the deadline), or its resolution (at the heartbeat that came). */
function missedBatch(integration: IntegrationConfig, row: HeartbeatRow, status: 'firing' | 'resolved', at: number, startsAt = row.deadlineAt): IncomingBatch {
  const fingerprint = missedFingerprint(integration.id);
  const expects = `Klaxon expects a heartbeat from ${integration.id} at least every ${integration.heartbeat} (its Watchdog alert, or POST /heartbeats/${integration.id}).`;
  const last = row.lastHeartbeatAt === null ? `None has come since ${iso(row.deadlineFrom)}.` : `The last came at ${iso(row.lastHeartbeatAt)}.`;
  const alert: IncomingAlert = {
    fingerprint,
    status,
    labels: { alertname: 'KlaxonHeartbeatMissed', integration: integration.id, severity: 'critical' },
    annotations: {},
    summary: `No heartbeat from ${integration.id} for ${integration.heartbeat}`,
    description: status === 'firing' ? `${expects} ${last}` : `Heartbeats from ${integration.id} resumed at ${iso(at)}.`,
    startsAt,
    ...(status === 'resolved' ? { endsAt: at } : {}),
  };
  return { groupKey: fingerprint, groupLabels: {}, truncated: 0, alerts: [alert] };
}

const iso = (at: number): string => new Date(at).toISOString();
