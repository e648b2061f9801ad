/** The problem tickets' public surface: the wiring and the post-mortem feature import only this. */
export { changeProblemDue, createProblem, markActionDone, noteRecurrences, reassignProblem, resolveProblem, type NewProblem, type ProblemDeps } from './changes.ts';
export { openTicketsOf, problemsAnswer, ticketView, type TicketDeps } from './tickets.ts';
export { registerProblemJobs } from './jobs.ts';
export { problemSubcommands, registerProblemListeners, type ProblemListenerDeps } from './listeners.ts';
export { problemRef, parseProblemRef } from './ids.ts';
export { getProblem, problemsOfIncident } from './store.ts';
export { signature as webhookSignature, type WebhookTarget } from './webhook.ts';
export { installProblems } from './install.ts';
