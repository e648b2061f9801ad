/**
 * The alert groups still open (firing or acknowledged), newest first, as people are shown them: by `/incident
 * alerts` in Slack and by `npx klaxon alerts`. Reads only.
 */
import type { ServiceConfig } from '../core/config.ts';
import type { Db } from '../core/db.ts';
import { serviceNameOrNull } from '../core/service-names.ts';
import { openAlertGroupsWithCounts } from './store.ts';

export interface OpenAlert {
  /** Shown as ALERT-<id>. */
  id: number;
  status: 'firing' | 'acknowledged';
  integrationId: string;
  serviceId: string | null;
  /** Its name in klaxon.yml, else its id; null when the group routed to no service. */
  serviceName: string | null;
  urgency: 'high' | 'low';
  title: string;
  /** Alerts in the group, and how many of them still fire. */
  alerts: number;
  firing: number;
  /** Alerts of other groups folded into this one during a storm. */
  folded: number;
  firingSince: number;
  openedAt: number;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  /** The incident declared from it. */
  incidentId: number | null;
  /** Its message in the alert channel, once posted. */
  channelId: string | null;
  channelTs: string | null;
}

export async function openAlerts(db: Db, services: readonly Pick<ServiceConfig, 'id' | 'name'>[]): Promise<OpenAlert[]> {
  const rows = await openAlertGroupsWithCounts(db);
  return rows.map(({ group, alerts, firing }) => ({
    id: group.id,
    status: group.status === 'acknowledged' ? 'acknowledged' : 'firing',
    integrationId: group.integrationId,
    serviceId: group.serviceId,
    serviceName: serviceNameOrNull(services, group.serviceId),
    urgency: group.urgency,
    title: group.title,
    alerts,
    firing,
    folded: group.folded,
    firingSince: group.firingSince,
    openedAt: group.openedAt,
    acknowledgedBy: group.acknowledgedBy,
    acknowledgedAt: group.acknowledgedAt,
    incidentId: group.incidentId,
    channelId: group.channelId,
    channelTs: group.channelTs,
  }));
}
