/** The paging feature's public surface (pages, escalation, acknowledgement): other features and the wiring import only this, or model.ts, its pure part. */
export { escalateNow, startServiceEscalation, pageIntoIncident, type EscalateDeps } from './escalate.ts';
export { escalationsOf } from './store.ts';
export { acknowledgeMine, acknowledgePage } from './acknowledge.ts';
export { refreshPages, showPagesInChannel, withdrawPages } from './withdraw.ts';
export { registerPagingJobs } from './jobs.ts';
export { pagingSubcommands, registerPagingListeners, type PagingListenerDeps } from './listeners.ts';
export { describePosition, peopleToPage, policySnapshot, resolveTargets, traceEscalation, type TraceStep } from './model.ts';
export { installPaging } from './install.ts';
export { alertSubject, incidentSubject, subjectRef, type PageSubject } from './subject.ts';
export type { PagedSubject } from './page-blocks.ts';
