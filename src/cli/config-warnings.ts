/**
 * What klaxon.yml's shape says about paging, whatever the time: a file under which no incident would ever page
 * anyone, schedules and policies nothing uses, services that page nobody, and integrations whose alerts reach a
 * service that pages nobody. `config check` and `rota check` both report these, and both fail on them with
 * `--strict`.
 */
import type { IntegrationConfig, KlaxonFile } from '../core/config.ts';
import { plural } from './context.ts';

export interface Warning {
  kind: 'nothing-pages' | 'coverage-gap' | 'unused-schedule' | 'unused-policy' | 'service-without-policy' | 'level-pages-nobody' | 'integration-without-policy' | 'integration-pages-nobody';
  message: string;
}

const EXAMPLE = 'klaxon.example.yml shows how';

export function shapeWarnings(config: KlaxonFile): Warning[] {
  const nothingPages = nothingPagesWarning(config);
  const warnings: Warning[] = nothingPages ? [nothingPages] : [];
  const usedSchedules = new Set(config.escalation_policies.flatMap((p) => p.levels.flatMap((l) => l.targets)).filter((t) => t.startsWith('schedule:')).map((t) => t.slice('schedule:'.length)));
  for (const s of config.schedules) if (!usedSchedules.has(s.id)) warnings.push({ kind: 'unused-schedule', message: `schedule ${s.id} is used by no escalation policy` });
  const usedPolicies = new Set(config.services.map((s) => s.escalation_policy));
  for (const p of config.escalation_policies) if (!usedPolicies.has(p.id)) warnings.push({ kind: 'unused-policy', message: `escalation policy ${p.id} is used by no service` });
  // When no service has a policy, the warning above says so once for all of them.
  if (!nothingPages) for (const s of config.services) if (s.escalation_policy === undefined) warnings.push({ kind: 'service-without-policy', message: `service ${s.id} has no escalation policy: declaring an incident for it pages nobody` });
  // Alerts from monitoring are another way in, which the warning above does not speak of: one line per service they reach.
  for (const integration of config.integrations) {
    for (const { serviceId, how } of integrationServices(integration)) {
      if (config.services.find((s) => s.id === serviceId)?.escalation_policy !== undefined) continue;
      warnings.push({ kind: 'integration-without-policy', message: `integration ${integration.id}: its alerts ${how} page nobody: service ${serviceId} has no escalation policy` });
    }
  }
  return warnings;
}

/**
 * The services an integration's alerts can reach, each once, with how (`for payments` by default, `routed to
 * search (team=search)` by a rule): the integration's own service (when a rule without a service matches, or
 * none does) and each rule's.
 */
export function integrationServices(integration: IntegrationConfig): { serviceId: string; how: string }[] {
  const reached = new Map<string, string[]>();
  const add = (serviceId: string, why: string): void => void reached.set(serviceId, [...(reached.get(serviceId) ?? []), why]);
  add(integration.service, '');
  for (const route of integration.routes) if (route.service !== undefined && route.service !== integration.service) add(route.service, matchText(route.match));
  return [...reached].map(([serviceId, whys]) => ({ serviceId, how: serviceId === integration.service ? `for ${serviceId}` : `routed to ${serviceId} (${whys.join('; ')})` }));
}

function matchText(match: Record<string, string>): string {
  return Object.entries(match)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

/** No service with an escalation policy: declaring never pages anyone. Says what is missing and what to add. */
function nothingPagesWarning(config: KlaxonFile): Warning | undefined {
  if (config.services.some((s) => s.escalation_policy !== undefined)) return undefined;
  const never = 'so no incident will ever page anyone';
  const message =
    config.services.length === 0
      ? `no services are defined, ${never}: add services, each with an escalation_policy that pages a schedule or a person (${EXAMPLE})`
      : config.escalation_policies.length === 0
        ? `no escalation policies are defined, ${never}: add escalation_policies (who is paged, in which order) and give each service an escalation_policy (${EXAMPLE})`
        : `no service has an escalation_policy, ${never}: give ${config.services.length === 1 ? 'the service' : 'each service'} one of ${config.escalation_policies.map((p) => p.id).join(', ')}`;
  return { kind: 'nothing-pages', message };
}

/** The warnings as a report ends: each on its line, then whether they fail the check. */
export function warningLines(warnings: readonly Warning[], strict: boolean): string[] {
  if (warnings.length === 0) return ['No warnings.'];
  return [`${plural(warnings.length, 'warning')}:`, ...warnings.map((w) => `  ! ${w.message}`), '', strict ? `Failing: ${plural(warnings.length, 'warning')} and --strict.` : 'Warnings do not fail the check; --strict makes them.'];
}
