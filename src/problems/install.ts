/** The problems feature, installed: problem tickets, their reminders, webhook and recurrences. */
import type { Kit } from '../core/kit.ts';
import { changeProblemDue, markActionDone, reassignProblem, resolveProblem, type ProblemDeps } from './changes.ts';
import { registerProblemJobs } from './jobs.ts';
import { problemSubcommands, registerProblemListeners } from './listeners.ts';
import { getProblem } from './store.ts';
import { problemsAnswer, ticketView } from './tickets.ts';

export interface ProblemsFeature {
  /** What other features' use cases take to change tickets (a post-mortem opens one; a recurrence is noted). */
  deps: ProblemDeps;
}

export function installProblems(kit: Kit): ProblemsFeature {
  const { db, clock, scheduler, config } = kit;
  const timeZone = config.klaxon.timezone;
  const deps: ProblemDeps = { db, clock, scheduler, timeZone, ...(config.problemWebhook ? { webhook: config.problemWebhook } : {}), onChanged: (at) => kit.flows.homeChanged(at) };
  registerProblemJobs(scheduler, { ...deps, outbox: kit.outbox, logger: kit.logger });
  if (!kit.answersSlack) return { deps };
  const listenerDeps = {
    list: (which: 'mine' | 'open' | 'all', userId: string) => problemsAnswer(deps, which, userId),
    ticket: async (problemId: number) => {
      const problem = await getProblem(db, problemId);
      return problem ? ticketView(db, problem, timeZone, clock.now()) : undefined;
    },
    markActionDone: async (actionId: number, by: string) => {
      await markActionDone(deps, actionId, by);
    },
    reassign: async (problemId: number, ownerId: string, by: string) => {
      await reassignProblem(deps, problemId, ownerId, by);
    },
    changeDue: async (problemId: number, dueDate: string, by: string) => {
      await changeProblemDue(deps, problemId, dueDate, by);
    },
    resolve: async (problemId: number, reason: string, by: string) => {
      await resolveProblem(deps, problemId, reason, by);
    },
    openModal: kit.openModal,
    respond: (responseUrl: string, body: Record<string, unknown>) => kit.slackNow.respond(responseUrl, body),
  };
  kit.subcommands.push(...problemSubcommands(listenerDeps));
  registerProblemListeners(kit.listeners, listenerDeps);
  return { deps };
}
