/** The rotas feature's public surface (schedules, overrides, who is on call, calendars, shift DMs): others import only this, or model.ts, its pure part. */
export { Rotas } from './rotas.ts';
export { registerShiftJobs } from './jobs.ts';
export { onCallSubcommands, registerOnCallListeners, type OnCallListenerDeps } from './listeners.ts';
export { onCallAnswer } from './oncall-answer.ts';
export { onCallBlocks, onCallText } from './oncall-blocks.ts';
export { coverShift, createOverride, removeOverride } from './override-shift.ts';
export { noticeRotaChanges, scheduleNextHandoffs } from './shifts.ts';
export { calendarHandler } from './calendar-route.ts';
export { overridesVersion, slackOverrides } from './overrides.ts';
export { coverageGaps, loadByPerson, onCallBetween, ROTA_HORIZON, scheduleFromConfig, whoIsOnCall, type Gap, type Load, type OnCall, type Override, type Schedule } from './model.ts';
export { installRotas } from './install.ts';
