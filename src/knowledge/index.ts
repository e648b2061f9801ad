/** The knowledge feature's public surface: the wiring imports only this. */
export { indexRunbooks, type IndexReport } from './index-runbooks.ts';
export { watchRunbooks } from './watch-runbooks.ts';
export { registerKnowledgeJobs } from './jobs.ts';
export { knowledgeSubcommands, registerKnowledgeListeners, type KnowledgeListenerDeps } from './listeners.ts';
export { linkRunbookByHand, runbookUrl, scheduleSuggestions, similarForAsker, type KnowledgeDeps } from './suggest.ts';
export { reloadReply, runbookListReply, runbookSearchReply } from './runbook-answers.ts';
export { linkedRunbooks, pastIncidents, runbookBySlug, similarFoundFor } from './store.ts';
export { checkRunbooks, isStale, daysSinceReview, STALE_AFTER_DAYS, type CheckedRunbook, type Runbook } from './runbook.ts';
export { readRunbookFiles } from './runbook-files.ts';
export { runbookHandler } from './runbook-route.ts';
export { installKnowledge } from './install.ts';
