/** The stats feature's public surface: the wiring and the CLI import only this. */
export { badPeriod, readStatsArgs, type StatsRequest } from './args.ts';
export { statsSubcommands, type StatsListenerDeps } from './listeners.ts';
export { DEFAULT_PERIOD, isPeriod, PERIODS, periodStart, statsReport, type Period, type StatsReport, type StatsZones } from './report.ts';
export { scheduleZonesOf, sendChart, serviceNamesOf, statsAnswer, CHART_FILENAME, type StatsDeps } from './stats-answer.ts';
export { statsRows } from './store.ts';
export { statsJson, statsText } from './text.ts';
export { chartTitle } from './wording.ts';
export { incidentsPerWeekChart } from './chart.ts';
export { installStats } from './install.ts';
