/**
 * What a firing alert from an integration would do, without doing it: the sample body for its kind, read by the
 * parser `POST /alerts/<id>` uses, routed by the rules receiveAlerts follows, posted where its message job would
 * post it, and paged along the trace the escalation engine follows. Nothing is recorded and nobody is paged: the
 * caller passes who is on call. Pure.
 *
 * What depends on the alerts already open (the same alert sent again, a source group already paging, a storm
 * being folded) is left out: the sample is taken as a new alert.
 */
import type { EscalationPolicyConfig, IntegrationConfig, KlaxonFile, ServiceConfig } from '../core/config.ts';
import { policySnapshot, traceEscalation, type TraceStep } from '../paging/model.ts';
import { parseAlertBody, type IncomingAlert } from './payloads.ts';
import { alertChannelOf, matchingRoute, routeAlert, type Urgency } from './routing.ts';
import { sampleAlertBody } from './sample-alerts.ts';

export interface AlertDryRun {
  integration: IntegrationConfig;
  /** The sample as its source would send it. */
  body: Record<string, unknown>;
  /** The sample as the webhook reads it. */
  alert: IncomingAlert;
  groupKey: string;
  route: {
    /** The index of the route that matched, or undefined when none did (the integration's service). */
    index?: number;
    serviceId: string;
    urgency: Urgency;
    /** Where the urgency came from: the route, or the `severity` label. */
    urgencyFrom: 'route' | 'severity';
  };
  /** Undefined only for a service klaxon.yml does not list (which the file's checks refuse). */
  service?: ServiceConfig;
  /** Where the alert's message would be posted; undefined: nowhere. */
  channel?: { id: string; from: 'alerts_channel' | 'INCIDENTS_CHANNEL' };
  /** What paging would do; undefined when the service has no escalation policy (it pages nobody). */
  escalation?: { policy: EscalationPolicyConfig; steps: TraceStep[]; exhaustedAt: number };
  /** Nobody would be paged: no policy, or no step of it finds anyone on call. */
  pagesNobody: boolean;
}

export interface DryRunOptions {
  /** Label changes for the sample (an empty value leaves the label out). */
  labels?: Readonly<Record<string, string>>;
  incidentsChannel?: string;
  /** Who is on call on a schedule at a time (klaxon.yml's rotations with their overrides). */
  onCall: (scheduleId: string, at: number) => string | undefined;
}

export function alertDryRun(file: Pick<KlaxonFile, 'services' | 'escalation_policies'>, integration: IntegrationConfig, at: number, options: DryRunOptions): AlertDryRun {
  const body = sampleAlertBody(integration, at, options.labels);
  const parsed = parseAlertBody(integration.kind, JSON.parse(JSON.stringify(body)) as unknown, { receivedAt: at });
  if (!parsed.ok) throw new Error(`the sample ${integration.kind} body was refused: ${parsed.reason}`);
  const { batch } = parsed;
  const alert = batch.alerts[0]!;
  // As receiveAlerts routes a new group: the source group's labels, then the alert's own.
  const labels = { ...batch.groupLabels, ...alert.labels };
  const index = matchingRoute(integration, labels);
  const { serviceId, urgency } = routeAlert(integration, labels);
  const service = file.services.find((s) => s.id === serviceId);
  const channelId = alertChannelOf(file, serviceId, options.incidentsChannel);
  const channel = channelId === undefined ? undefined : { id: channelId, from: service?.alerts_channel !== undefined ? ('alerts_channel' as const) : ('INCIDENTS_CHANNEL' as const) };
  const policy = file.escalation_policies.find((p) => p.id === service?.escalation_policy);
  const escalation = policy === undefined ? undefined : { policy, ...traceEscalation(policySnapshot(policy), at, options.onCall) };
  return {
    integration,
    body,
    alert,
    groupKey: batch.groupKey,
    route: { ...(index !== undefined ? { index } : {}), serviceId, urgency, urgencyFrom: index !== undefined && integration.routes[index]!.urgency !== undefined ? 'route' : 'severity' },
    ...(service ? { service } : {}),
    ...(channel ? { channel } : {}),
    ...(escalation ? { escalation } : {}),
    pagesNobody: escalation === undefined || escalation.steps.every((s) => s.empty),
  };
}
