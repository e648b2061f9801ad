/** The knowledge feature's scheduler handlers. */
import type { Scheduler } from '../core/scheduler/index.ts';
import { jobKinds } from './ids.ts';
import { LinkedPayloadSchema, SuggestPayloadSchema } from './schemas.ts';
import { announceLinkedRunbook, postSuggestions, type KnowledgeDeps } from './suggest.ts';

export function registerKnowledgeJobs(scheduler: Scheduler, deps: KnowledgeDeps): void {
  scheduler.register(jobKinds.suggest, {
    schema: SuggestPayloadSchema,
    maxAttempts: 8,
    retryFailedOnStart: true,
    run: ({ incidentId }) => postSuggestions(deps, incidentId),
  });
  scheduler.register(jobKinds.linked, {
    schema: LinkedPayloadSchema,
    maxAttempts: 8,
    run: ({ incidentId, slug, userId }) => announceLinkedRunbook(deps, incidentId, slug, userId),
  });
}
