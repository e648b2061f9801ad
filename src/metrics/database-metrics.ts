/**
 * The database's figures (store.ts) as metric families. Computed at scrape time, they survive restarts and do
 * not depend on which thread did the work.
 */
import { TIME_TO_ACKNOWLEDGE_BOUNDS, TIME_TO_RESOLVE_BOUNDS } from './buckets.ts';
import type { MetricFamily, Sample } from './families.ts';
import type { AlertFigures, DatabaseFacts, DeclaredIncident, DurationCounts } from './store.ts';

/** The service label of an incident declared without a service. */
export const NO_SERVICE = 'none';

/**
 * Incidents declared, by the severity they were declared with and service. What an incident was declared as
 * never changes, so each one is read once and added here: a scrape reads only the incidents declared since the last.
 * Two scrapes that overlap may both read an incident; it is added once.
 */
export class DeclaredTally {
  private readonly counts = new Map<string, Sample>();
  /** The last incident id added: the next read starts after it. */
  lastId = 0;

  add(incidents: readonly DeclaredIncident[]): void {
    for (const incident of incidents) {
      if (incident.id <= this.lastId) continue;
      this.lastId = incident.id;
      if (incident.isDrill) continue;
      const labels = { severity: incident.severity, service: incident.serviceId ?? NO_SERVICE };
      const key = JSON.stringify(labels);
      const sample = this.counts.get(key) ?? { labels, value: 0 };
      sample.value += 1;
      this.counts.set(key, sample);
    }
  }

  samples(): Sample[] {
    return [...this.counts.values()].map((s) => ({ ...s }));
  }
}

export function databaseFamilies(facts: DatabaseFacts, declared: Sample[]): MetricFamily[] {
  return [
    counter('klaxon_incidents_declared_total', 'Incidents declared (drills left out), by the severity they were declared with and service.', declared),
    {
      name: 'klaxon_incidents_open',
      help: 'Incidents not resolved (drills left out), by current severity and service.',
      type: 'gauge',
      samples: facts.incidents.map((g) => ({ labels: { severity: g.severity, service: g.serviceId ?? NO_SERVICE }, value: g.open })),
    },
    counter('klaxon_pages_sent_total', 'People paged, for incidents and alerts (drills left out).', [{ labels: {}, value: facts.pages.sent }]),
    counter('klaxon_pages_acknowledged_total', 'Pages acknowledged by the person paged (drills left out).', [{ labels: {}, value: facts.pages.acknowledged }]),
    counter('klaxon_escalations_escalated_total', 'Escalation levels that timed out unacknowledged and escalated (drills left out).', [{ labels: {}, value: facts.escalations.escalated }]),
    counter('klaxon_escalations_exhausted_total', 'Escalations that went through every level and repeat without an acknowledgement (drills left out).', [{ labels: {}, value: facts.escalations.exhausted }]),
    histogram('klaxon_time_to_acknowledge_seconds', 'From declaration to the first acknowledgement of a page, for acknowledged incidents (drills left out).', TIME_TO_ACKNOWLEDGE_BOUNDS, facts.timeToAcknowledge),
    histogram('klaxon_time_to_resolve_seconds', 'From declaration to resolution, for resolved incidents (drills left out).', TIME_TO_RESOLVE_BOUNDS, facts.timeToResolve),
    ...alertFamilies(facts.alerts),
    { name: 'klaxon_jobs_failed', help: 'Jobs that failed for good and wait for a restart or the hourly reconciler, by kind.', type: 'gauge', samples: facts.failedJobs.map((j) => ({ labels: { kind: j.kind }, value: j.count })) },
  ];
}

/** Per integration, from the alert rows (store.ts): one sample for each integration that has recorded an alert group. */
function alertFamilies(figures: readonly AlertFigures[]): MetricFamily[] {
  const by = (pick: (f: AlertFigures) => number): Sample[] => figures.map((f) => ({ labels: { integration: f.integration }, value: pick(f) }));
  return [
    counter('klaxon_alerts_received_total', 'Alerts received from monitoring and recorded, by integration: each alert of a batch, the first time and every time again (a resolved notification for an alert never open is left out).', by((f) => f.received)),
    counter('klaxon_alerts_deduplicated_total', 'Alerts sent again while open (repeats, resolved notifications), by integration: updated, paging nobody again.', by((f) => f.deduplicated)),
    counter('klaxon_alerts_grouped_total', 'New alerts that joined their source group\'s open alert group rather than paging on their own, by integration.', by((f) => f.grouped)),
    counter('klaxon_alerts_folded_total', 'New alerts folded into another alert group during a storm (shown, not paged), by the integration of the group they joined.', by((f) => f.folded)),
    counter('klaxon_alert_groups_paged_total', 'Alert groups that started their service\'s escalation policy, by integration.', by((f) => f.paged)),
  ];
}

function counter(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'counter', samples };
}

function histogram(name: string, help: string, bounds: readonly number[], counts: DurationCounts): MetricFamily {
  return { name, help, type: 'histogram', bounds: [...bounds], series: [{ labels: {}, buckets: [...counts.atMost], sum: counts.sumMs / 1000, count: counts.count }] };
}
