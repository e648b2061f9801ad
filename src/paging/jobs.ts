/** The paging feature's scheduler handlers: escalation steps, exhaustion, and keeping page messages in step. */
import type { Scheduler } from '../core/scheduler/index.ts';
import { exhaust, takeEscalationStep, type EscalateDeps } from './escalate.ts';
import { jobKinds } from './ids.ts';
import { syncEscalation, type SurfaceDeps } from './page-surfaces.ts';
import { EscalatePayloadSchema, ExhaustPayloadSchema, SyncPayloadSchema } from './schemas.ts';

export function registerPagingJobs(scheduler: Scheduler, deps: EscalateDeps & SurfaceDeps): void {
  scheduler.register(jobKinds.escalate, {
    schema: EscalatePayloadSchema,
    retryFailedOnStart: true,
    run: async ({ escalationId, level, loop }) => takeEscalationStep(deps, escalationId, { level, loop }),
  });
  scheduler.register(jobKinds.exhaust, {
    schema: ExhaustPayloadSchema,
    retryFailedOnStart: true,
    run: async ({ escalationId }) => exhaust(deps, escalationId),
  });
  scheduler.register(jobKinds.sync, {
    schema: SyncPayloadSchema,
    maxAttempts: 12,
    retryFailedOnStart: true,
    run: ({ escalationId, revision }) => syncEscalation(deps, escalationId, revision),
  });
}
