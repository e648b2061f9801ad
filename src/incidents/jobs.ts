/** The incidents feature's scheduler handlers. */
import { z } from 'zod';
import type { Scheduler } from '../core/scheduler/index.ts';
import { jobKinds } from './ids.ts';
import { provisionIncident, reportProvisioningFailure, type ProvisionDeps } from './provision.ts';
import { remindLead, type ReminderDeps } from './reminders.ts';
import { ProvisionPayloadSchema } from './schemas.ts';
import { refreshSurfaces } from './surfaces.ts';
import { tellAbout, type TellDeps } from './tell.ts';

const IncidentPayload = z.object({ incidentId: z.number().int().positive() });
const RefreshPayload = IncidentPayload.extend({ revision: z.number().int().min(0) });
const TellPayload = z.object({ eventId: z.number().int().positive() });

export type IncidentJobDeps = ProvisionDeps & TellDeps & ReminderDeps;

export function registerIncidentJobs(scheduler: Scheduler, deps: IncidentJobDeps): void {
  scheduler.register(jobKinds.provision, {
    schema: ProvisionPayloadSchema,
    maxAttempts: 8,
    retryFailedOnStart: true,
    run: (payload) => provisionIncident(deps, payload),
    onGiveUp: (payload, error) => reportProvisioningFailure(deps, payload, error),
  });
  scheduler.register(jobKinds.refresh, { schema: RefreshPayload, retryFailedOnStart: true, run: ({ incidentId, revision }) => refreshSurfaces(deps, incidentId, revision) });
  scheduler.register(jobKinds.tell, { schema: TellPayload, retryFailedOnStart: true, run: ({ eventId }) => tellAbout(deps, eventId) });
  scheduler.register(jobKinds.remind, { schema: IncidentPayload, run: ({ incidentId }) => remindLead(deps, incidentId) });
}
