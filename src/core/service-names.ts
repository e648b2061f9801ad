/** How a service is shown to people: its name in klaxon.yml, else its id (a service since removed from the file). */
import type { ServiceConfig } from './config.ts';

type Named = Pick<ServiceConfig, 'id' | 'name'>;

export function serviceNameOf(services: readonly Named[], serviceId: string): string {
  return services.find((s) => s.id === serviceId)?.name ?? serviceId;
}

/** The same, for an incident or escalation that may have no service (null). */
export function serviceNameOrNull(services: readonly Named[], serviceId: string | null): string | null {
  return serviceId === null ? null : serviceNameOf(services, serviceId);
}
