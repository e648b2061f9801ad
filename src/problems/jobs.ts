/** The problem tickets' scheduler handlers. */
import { z } from 'zod';
import type { Scheduler } from '../core/scheduler/index.ts';
import { jobKinds } from './ids.ts';
import { remindOwner, tellAboutProblem, type TicketDeps } from './tickets.ts';
import { deliverEvent, giveUpDelivery } from './webhook.ts';

const TellPayload = z.object({ problemId: z.number().int().positive(), what: z.enum(['created', 'reassigned', 'recurred']), incidentId: z.number().int().positive().optional(), by: z.string().optional() });

export function registerProblemJobs(scheduler: Scheduler, deps: TicketDeps): void {
  scheduler.register(jobKinds.tell, { schema: TellPayload, retryFailedOnStart: true, run: (payload, ctx) => tellAboutProblem(deps, payload, ctx.key) });
  scheduler.register(jobKinds.remind, { schema: z.object({ problemId: z.number().int().positive(), at: z.number().int() }), run: ({ problemId, at }) => remindOwner(deps, problemId, at) });
  scheduler.register(jobKinds.webhook, {
    schema: z.object({ deliveryId: z.number().int().positive() }),
    maxAttempts: 12,
    retryFailedOnStart: true,
    run: ({ deliveryId }) => deliverEvent(deps, deliveryId),
    onGiveUp: async ({ deliveryId }, error) => {
      await giveUpDelivery(deps, deliveryId, error);
      deps.logger.error('a problem_webhook event was not delivered', { deliveryId, error });
    },
  });
}
