/** The rotas feature's scheduler handlers: handoff DMs and messages about changed shifts. */
import type { Scheduler } from '../core/scheduler/index.ts';
import { jobKinds } from './ids.ts';
import { HandoffPayloadSchema, ShiftsChangedPayloadSchema } from './schemas.ts';
import { sendHandoff, sendShiftChange, type ShiftDeps } from './shifts.ts';

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
