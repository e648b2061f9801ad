/** The timeline feature's scheduler handlers. */
import { z } from 'zod';
import type { Scheduler } from '../core/scheduler/index.ts';
import type { SlackGateway } from '../core/slack-gateway.ts';
import { fillEntry, type CaptureDeps } from './capture.ts';
import { jobKinds } from './ids.ts';

export function registerTimelineJobs(scheduler: Scheduler, deps: CaptureDeps & { slack: SlackGateway }): void {
  scheduler.register(jobKinds.fill, { schema: z.object({ entryId: z.number().int().positive() }), retryFailedOnStart: true, run: ({ entryId }) => fillEntry(deps, entryId) });
}
