/**
 * The product's rules that cross features, by name: when one thing happens, what follows. Each is called inside
 * the transaction that recorded what happened, so the consequence is recorded with it or not at all; the work
 * itself (Slack calls) runs later, from the jobs these schedule.
 */
import type { AlertsFeature } from './alerts/index.ts';
import type { FlowEvents, Kit } from './core/kit.ts';
import { scheduleHomeRefresh } from './home/index.ts';
import { scheduleSuggestions } from './knowledge/index.ts';
import { incidentSubject, showPagesInChannel, startServiceEscalation, withdrawPages, type EscalateDeps } from './paging/index.ts';
import { noteRecurrences, type ProblemDeps } from './problems/index.ts';

export interface FlowDeps extends Pick<Kit, 'db' | 'scheduler'> {
  paging: EscalateDeps;
  problems: ProblemDeps;
  alerts: Pick<AlertsFeature, 'acknowledged' | 'declaredFrom'>;
}

/**
 * When an incident is declared, its service's escalation policy pages whoever is on call; declared from an
 * alert, it takes the alert over (its unanswered pages withdrawn), and pages nobody if the alert was acknowledged. When its channel
 * exists, the pages show in it, runbooks and similar incidents are suggested, and Home shows it. When it is
 * resolved, its unanswered pages are withdrawn. When something App Home shows changes (an incident, a problem
 * ticket), the Home tabs are refreshed. When a new incident looks like past ones, those whose problem tickets
 * are still open note the recurrence. When an alert group's page is acknowledged, the alert group is.
 */
export function productFlows(deps: FlowDeps): FlowEvents {
  return {
    async incidentDeclared(incident, at) {
      // Declared from an alert that someone acknowledged: they are on it, and nobody more is paged.
      if (incident.alertGroupId !== undefined && (await deps.alerts.declaredFrom(incident.alertGroupId, incident.id, at))) return;
      if (incident.serviceId) await startServiceEscalation(deps.paging, incidentSubject(incident.id), incident.serviceId, incident.declaredBy, at);
    },
    async channelReady(incidentId, at) {
      await showPagesInChannel(deps.paging, incidentId, at);
      await scheduleSuggestions(deps, incidentId, at);
      await scheduleHomeRefresh(deps, at);
    },
    async incidentResolved(incidentId, at) {
      await withdrawPages(deps.paging, incidentSubject(incidentId), at);
    },
    async homeChanged(at) {
      await scheduleHomeRefresh(deps, at);
    },
    async similarFound(incidentId, similarIds, at) {
      await noteRecurrences(deps.problems, incidentId, similarIds, at);
    },
    async alertAcknowledged(alertGroupId, userId, at) {
      await deps.alerts.acknowledged(alertGroupId, userId, at);
    },
  };
}
