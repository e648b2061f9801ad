/** The on-call feature's public surface: the wiring imports only this. */
export { Rotas, ROTA_HORIZON } from './rotas.ts';
export { startServiceEscalation, pageIntoIncident, type EscalateDeps } from './escalate.ts';
export { acknowledgeMine, acknowledgePage } from './acknowledge.ts';
export { showPagesInChannel, withdrawPages } from './withdraw.ts';
export { registerPagingJobs, registerShiftJobs } from './jobs.ts';
export { onCallSubcommands, pagingSubcommands, registerOnCallListeners, registerPagingListeners, type OnCallListenerDeps, type PagingListenerDeps } from './listeners.ts';
export { onCallAnswer } from './oncall-answer.ts';
export { onCallBlocks, onCallText } from './oncall-blocks.ts';
export { coverShift, createOverride, removeOverride } from './override-shift.ts';
export { noticeRotaChanges, scheduleNextHandoffs } from './shifts.ts';
export { calendarHandler } from './calendar-route.ts';
export { overridesVersion, slackOverrides } from './overrides.ts';
export { onCallBetween, scheduleFromConfig, whoIsOnCall, type OnCall, type Override, type Schedule } from './rota.ts';
export { coverageGaps, loadByPerson, type Gap, type Load } from './rota-report.ts';
export { describePosition, peopleToPage, policySnapshot, resolveTargets, traceEscalation, type TraceStep } from './escalation.ts';
