/**
 * The incident's standing surfaces (the pinned summary, the channel topic and the announcement in
 * INCIDENTS_CHANNEL) rebuilt from state and edited in place. A change bumps the incident's revision and
 * schedules one refresh job for it; a job for an older revision finds a newer one queued and does nothing.
 */
import type { ServiceConfig } from '../core/config.ts';
import type { Db } from '../core/db.ts';
import type { Kit } from '../core/kit.ts';
import type { Outbox } from '../core/outbox.ts';
import type { Scheduler } from '../core/scheduler/index.ts';
import { SlackCallError } from '../core/slack-gateway.ts';
import { announcementBlocks, announcementText, channelTopic, incidentSummaryBlocks, incidentSummaryText, type SummaryView } from './blocks.ts';
import { jobKinds } from './ids.ts';
import { incidentRef } from '../core/incident-ref.ts';
import type { Incident } from './incident.ts';
import { getIncident, lastStatusUpdate, rolesOf } from './store.ts';

export interface SurfaceDeps extends Pick<Kit, 'db' | 'clock' | 'outbox' | 'logger'> {
  services: ServiceConfig[];
}

/** Everything the summary shows, read from the database. */
export async function summaryViewOf(db: Db, incident: Incident): Promise<SummaryView> {
  const roles = Object.fromEntries((await rolesOf(db, incident.id)).filter((r) => r.role !== 'lead').map((r) => [r.role, r.userId]));
  const update = await lastStatusUpdate(db, incident.id);
  return { incident, roles, ...(update ? { lastUpdate: { text: update.text ?? '', at: update.at, by: update.actorId } } : {}) };
}

/** Call inside the transaction that changed the incident (after the change, so the revision is the new one). */
export async function scheduleRefresh(deps: { db: Db; scheduler: Scheduler }, incidentId: number, at: number): Promise<void> {
  const incident = (await getIncident(deps.db, incidentId))!;
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.refresh, key: `refresh:${incidentRef(incidentId)}:r${incident.revision}`, dueAt: at, payload: { incidentId, revision: incident.revision } });
}

export async function refreshSurfaces(deps: SurfaceDeps, incidentId: number, revision: number): Promise<void> {
  const incident = await getIncident(deps.db, incidentId);
  // A newer revision has its own job; one still being set up gets its surfaces from provisioning.
  if (!incident || incident.revision > revision || !incident.channelId) return;
  const ref = incidentRef(incident.id);
  const version = `r${incident.revision}`;
  const channel = incident.channelId;
  const summaryTs = incident.summaryTs;
  if (summaryTs) {
    const summary = { channel, ts: summaryTs, text: incidentSummaryText(incident), blocks: incidentSummaryBlocks(await summaryViewOf(deps.db, incident), deps.services) };
    // Refused for good (the channel was archived by closing it): logged, not retried.
    await quietly(deps, ref, () => deps.outbox.edit(`summary:${ref}`, version, 'chat.update', summary));
  }
  if (incident.closedAt === null) {
    await quietly(deps, ref, () => setTopic(deps.outbox, incident));
  }
  if (incident.announcementChannelId && incident.announcementTs) {
    const announcement = { channel: incident.announcementChannelId, ts: incident.announcementTs, text: announcementText(incident), blocks: announcementBlocks(incident, deps.services) };
    await quietly(deps, ref, () => deps.outbox.edit(`announce:${ref}`, version, 'chat.update', announcement));
  }
}

/** Sets the channel topic when its wording changes: Slack posts "set the channel topic" in the channel every time. */
export function setTopic(outbox: Outbox, incident: Incident): Promise<unknown> {
  return outbox.edit(`topic:${incidentRef(incident.id)}`, `r${incident.revision}`, 'conversations.setTopic', { channel: incident.channelId, topic: channelTopic(incident) });
}

/** A surface is worth a retry, but not a failed refresh when Slack refuses it for good. */
async function quietly(deps: SurfaceDeps, ref: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof SlackCallError) || error.retryable) throw error;
    deps.logger.warn('an incident surface was not updated', { incident: ref, method: error.method, code: error.code });
  }
}
