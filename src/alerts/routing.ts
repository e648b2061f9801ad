/**
 * Where an alert pages, and how urgently: the integration's first route whose labels all match decides the
 * service and urgency it names; what a route leaves out comes from the integration (its service) and from the
 * alert's `severity` label. And where the alert is posted: its service's alert channel. Pure.
 */
import type { IntegrationConfig, KlaxonFile } from '../core/config.ts';

export type Urgency = 'high' | 'low';

/** Severities monitoring tools send that can wait for working hours; anything else (or none) is high urgency. */
const LOW_SEVERITIES = new Set(['warning', 'warn', 'info', 'informational', 'low', 'minor', 'sev3', 'sev4', 'p3', 'p4', 'p5']);

export function urgencyOfSeverity(severity: string | undefined): Urgency {
  return severity !== undefined && LOW_SEVERITIES.has(severity.trim().toLowerCase()) ? 'low' : 'high';
}

/** The index of the integration's first route whose labels all match, or undefined when none does. */
export function matchingRoute(integration: Pick<IntegrationConfig, 'routes'>, labels: Record<string, string>): number | undefined {
  const index = integration.routes.findIndex((r) => Object.entries(r.match).every(([name, value]) => labels[name] === value));
  return index === -1 ? undefined : index;
}

export function routeAlert(integration: Pick<IntegrationConfig, 'service' | 'routes'>, labels: Record<string, string>): { serviceId: string; urgency: Urgency } {
  const index = matchingRoute(integration, labels);
  const route = index === undefined ? undefined : integration.routes[index];
  return { serviceId: route?.service ?? integration.service, urgency: route?.urgency ?? urgencyOfSeverity(labels.severity) };
}

/** Where a service's alerts are posted: its alerts_channel, else INCIDENTS_CHANNEL; nowhere when neither is set. */
export function alertChannelOf(file: Pick<KlaxonFile, 'services'>, serviceId: string | null, incidentsChannel: string | undefined): string | undefined {
  return file.services.find((s) => s.id === serviceId)?.alerts_channel ?? incidentsChannel;
}
