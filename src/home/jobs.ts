/** The App Home's scheduler handlers. */
import { z } from 'zod';
import type { Scheduler } from '../core/scheduler/index.ts';
import { jobKinds } from './ids.ts';
import { refreshHomes, type HomeDeps } from './publish.ts';

export function registerHomeJobs(scheduler: Scheduler, deps: HomeDeps): void {
  scheduler.register(jobKinds.refresh, { schema: z.object({}), run: () => refreshHomes(deps) });
}
