/**
 * The pure part of the rotas feature's public surface: a schedule as klaxon.yml gives it, who is on call, and
 * the coverage and load reports. The operator CLI imports this instead of index.ts, which also carries the
 * listeners, jobs and stores, and with them the database.
 */
export { onCallBetween, ROTA_HORIZON, scheduleFromConfig, whoIsOnCall, type OnCall, type Override, type Schedule } from './rota.ts';
export { coverageGaps, loadByPerson, type Gap, type Load } from './rota-report.ts';
