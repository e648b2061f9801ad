/**
 * The pure part of the paging feature's public surface: an escalation policy's levels, whom a level pages, and
 * the trace of an unacknowledged page. The operator CLI imports this instead of index.ts, which also carries
 * the listeners, jobs and stores, and with them the database.
 */
export { describePosition, peopleToPage, policySnapshot, resolveTargets, traceEscalation, type TraceStep } from './escalation.ts';
