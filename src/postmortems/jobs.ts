/** The post-mortem feature's scheduler handlers. */
import { z } from 'zod';
import type { Scheduler } from '../core/scheduler/index.ts';
import { jobKinds } from './ids.ts';
import { publishPostmortem, type PublishDeps } from './publish.ts';

export function registerPostmortemJobs(scheduler: Scheduler, deps: PublishDeps): void {
  scheduler.register(jobKinds.publish, {
    schema: z.object({ incidentId: z.number().int().positive(), revision: z.number().int().positive() }),
    retryFailedOnStart: true,
    run: ({ incidentId, revision }) => publishPostmortem(deps, incidentId, revision),
  });
}
