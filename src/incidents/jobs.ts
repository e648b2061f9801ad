/** The incidents feature's scheduler handlers. */
import type { Scheduler } from '../core/scheduler/index.ts';
import { jobKinds } from './ids.ts';
import { provisionIncident, reportProvisioningFailure, type ProvisionDeps } from './provision.ts';
import { ProvisionPayloadSchema } from './schemas.ts';

export function registerIncidentJobs(scheduler: Scheduler, deps: ProvisionDeps): void {
  scheduler.register(jobKinds.provision, {
    schema: ProvisionPayloadSchema,
    maxAttempts: 8,
    retryFailedOnStart: true,
    run: (payload) => provisionIncident(deps, payload),
    onGiveUp: (payload, error) => reportProvisioningFailure(deps, payload, error),
  });
}
