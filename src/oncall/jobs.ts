/** The on-call feature's scheduler handlers. */
import type { Scheduler } from '../core/scheduler/index.ts';
import { exhaust, takeEscalationStep, type EscalateDeps } from './escalate.ts';
import { jobKinds } from './ids.ts';
import { syncEscalation, type SurfaceDeps } from './page-surfaces.ts';
import { EscalatePayloadSchema, ExhaustPayloadSchema, HandoffPayloadSchema, ShiftsChangedPayloadSchema, SyncPayloadSchema } from './schemas.ts';
import { sendHandoff, sendShiftChange, type ShiftDeps } from './shifts.ts';

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

export function registerShiftJobs(scheduler: Scheduler, deps: ShiftDeps): void {
  scheduler.register(jobKinds.handoff, {
    schema: HandoffPayloadSchema,
    maxAttempts: 8,
    run: ({ scheduleId, start }) => sendHandoff(deps, scheduleId, start),
  });
  scheduler.register(jobKinds.shiftsChanged, {
    schema: ShiftsChangedPayloadSchema,
    maxAttempts: 8,
    run: ({ userId, change }, ctx) => sendShiftChange(deps, userId, change, ctx.key),
  });
}
