/**
 * Taking in a batch of alerts from an integration, in one transaction, before the webhook is answered (so that
 * the source never needs to send again what Klaxon has): the same alert sent again (its fingerprint still open)
 * updates it and pages nobody; alerts of one source group share one alert group and one page; while a service
 * has had STORM_PAGES new groups within STORM_WINDOW_MS, further ones are folded into its newest open group
 * (counted, shown, not paged); a group whose every alert has resolved is resolved, and its pages withdrawn. A
 * group declared as an incident puts its alerts' firing and resolving on the incident's timeline.
 * Pages go out from the escalation's jobs; the group's message in the alert channel from its own job.
 */
import { transaction } from '../core/db.ts';
import type { IntegrationConfig } from '../core/config.ts';
import type { Kit } from '../core/kit.ts';
import { alertRef } from '../core/alert-ref.ts';
import { alertSubject, startServiceEscalation, withdrawPages, type EscalateDeps } from '../paging/index.ts';
import type { IncomingAlert, IncomingBatch } from './payloads.ts';
import { routeAlert } from './routing.ts';
import { alertOnTimeline } from './declare.ts';
import { addFoldedAlert, alertsOf, bumpAlertGroup, getAlertGroup, groupsOpenedSince, insertAlert, insertAlertGroup, openAlertByFingerprint, openGroupByKey, resolveAlertGroup, updateAlert, type AlertFields } from './store.ts';
import { scheduleAlertMessage } from './surfaces.ts';

/** A storm: this many new alert groups for one service within the window page; the rest are folded. */
export const STORM_PAGES = 3;
export const STORM_WINDOW_MS = 60_000;

export interface ReceiveDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler'> {
  paging: EscalateDeps;
}

/** What a batch did, for the webhook's answer and the log. */
export interface ReceiveSummary {
  received: number;
  /** Alerts new to Klaxon, in a group of their own or joining one. */
  opened: number;
  /** Alerts sent again while open. */
  repeated: number;
  /** Alerts folded into another group during a storm. */
  folded: number;
  /** Resolved notifications for alerts Klaxon never had open (nothing to do). */
  ignored: number;
  /** The alert groups the batch touched (ALERT-12), and those it opened (each paging its service). */
  groups: string[];
  paged: string[];
}

export async function receiveAlerts(deps: ReceiveDeps, integration: IntegrationConfig, batch: IncomingBatch): Promise<ReceiveSummary> {
  const { db } = deps;
  const at = deps.clock.now();
  const summary: ReceiveSummary = { received: batch.alerts.length, opened: 0, repeated: 0, folded: 0, ignored: 0, groups: [], paged: [] };
  await transaction(db, async () => {
    const touched = new Set<number>();
    /** What an incident declared from a group hears of: its alerts firing anew and resolving. */
    const news: { groupId: number; alert: IncomingAlert; kind: 'alert_fired' | 'alert_resolved' }[] = [];
    for (const alert of batch.alerts) {
      const fields = alertFields(alert);
      const open = await openAlertByFingerprint(db, integration.id, alert.fingerprint);
      if (open) {
        await updateAlert(db, open.id, fields, at);
        touched.add(open.groupId);
        if (open.status === 'firing' && alert.status === 'resolved') news.push({ groupId: open.groupId, alert, kind: 'alert_resolved' });
        summary.repeated += 1;
        continue;
      }
      if (alert.status === 'resolved') {
        summary.ignored += 1;
        continue;
      }
      const groupId = await groupFor(deps, integration, batch, alert, at, summary);
      await insertAlert(db, groupId, fields, at);
      touched.add(groupId);
      news.push({ groupId, alert, kind: 'alert_fired' });
    }
    for (const { groupId, alert, kind } of news) {
      const incidentId = (await getAlertGroup(db, groupId))?.incidentId;
      if (incidentId != null) await alertOnTimeline(db, incidentId, groupId, alert, kind, kind === 'alert_fired' ? alert.startsAt : (alert.endsAt ?? at), at);
    }
    for (const groupId of touched) {
      const alerts = await alertsOf(db, groupId);
      if (alerts.every((a) => a.status === 'resolved') && (await resolveAlertGroup(db, groupId, null, at))) {
        await withdrawPages(deps.paging, alertSubject(groupId), at);
      } else {
        await bumpAlertGroup(db, groupId, at);
      }
      await scheduleAlertMessage(deps, groupId, at);
      summary.groups.push(alertRef(groupId));
    }
  });
  return summary;
}

/** The open group the new alert joins: its source group's, a storm's host, or a new one that pages its service. */
async function groupFor(deps: ReceiveDeps, integration: IntegrationConfig, batch: IncomingBatch, alert: IncomingAlert, at: number, summary: ReceiveSummary): Promise<number> {
  const { db } = deps;
  const existing = await openGroupByKey(db, integration.id, batch.groupKey);
  if (existing) {
    summary.opened += 1;
    return existing.id;
  }
  const route = routeAlert(integration, { ...batch.groupLabels, ...alert.labels });
  const recent = await groupsOpenedSince(db, route.serviceId, at - STORM_WINDOW_MS);
  // The host is of the same integration, whose repeats of the folded alert find it there by fingerprint.
  const host = recent.length >= STORM_PAGES ? recent.find((g) => g.status !== 'resolved' && g.integrationId === integration.id) : undefined;
  if (host) {
    await addFoldedAlert(db, host.id, at);
    summary.folded += 1;
    return host.id;
  }
  const groupId = await insertAlertGroup(db, { integrationId: integration.id, groupKey: batch.groupKey, serviceId: route.serviceId, urgency: route.urgency, title: alert.summary, firingSince: alert.startsAt }, at);
  summary.opened += 1;
  if ((await startServiceEscalation(deps.paging, alertSubject(groupId), route.serviceId, `integration:${integration.id}`, at)) !== undefined) summary.paged.push(alertRef(groupId));
  return groupId;
}

function alertFields(alert: IncomingAlert): AlertFields {
  return {
    fingerprint: alert.fingerprint,
    status: alert.status,
    summary: alert.summary,
    description: alert.description ?? null,
    labels: alert.labels,
    annotations: alert.annotations,
    sourceUrl: alert.sourceUrl ?? null,
    runbookUrl: alert.runbookUrl ?? null,
    dashboardUrl: alert.dashboardUrl ?? null,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt ?? null,
  };
}
