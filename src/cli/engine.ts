/**
 * The on-call engine's functions the operator commands use: the very ones the bot runs, so `rota check`,
 * `oncall` and `page-trace` answer as the running bot would. Collected here so that the CLI reaches the on-call
 * feature in one place.
 */
export {
  coverageGaps,
  describePosition,
  formatDuration,
  loadByPerson,
  onCallBetween,
  peopleToPage,
  policySnapshot,
  resolveTargets,
  scheduleFromConfig,
  slackOverrides,
  traceEscalation,
  whoIsOnCall,
  type Gap,
  type Load,
  type OnCall,
  type Override,
  type Schedule,
  type TraceStep,
} from '../oncall/index.ts';
