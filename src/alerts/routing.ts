/**
 * Where an alert pages, and how urgently: the integration's first route whose labels all match decides the
 * service and urgency it names; what a route leaves out comes from the integration (its service) and from the
 * alert's `severity` label. Pure.
 */
import type { IntegrationConfig } from '../core/config.ts';

export type Urgency = 'high' | 'low';

/** Severities monitoring tools send that can wait for working hours; anything else (or none) is high urgency. */
const LOW_SEVERITIES = new Set(['warning', 'warn', 'info', 'informational', 'low', 'minor', 'sev3', 'sev4', 'p3', 'p4', 'p5']);

export function urgencyOfSeverity(severity: string | undefined): Urgency {
  return severity !== undefined && LOW_SEVERITIES.has(severity.trim().toLowerCase()) ? 'low' : 'high';
}

export function routeAlert(integration: Pick<IntegrationConfig, 'service' | 'routes'>, labels: Record<string, string>): { serviceId: string; urgency: Urgency } {
  const route = integration.routes.find((r) => Object.entries(r.match).every(([name, value]) => labels[name] === value));
  return { serviceId: route?.service ?? integration.service, urgency: route?.urgency ?? urgencyOfSeverity(labels.severity) };
}
