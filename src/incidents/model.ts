/**
 * The pure part of the incidents feature's public surface: the incident's shape, how it is named and shown,
 * and the lifecycle rules. Other features' pure files (builders, exports) import this instead of index.ts,
 * which also carries the use cases and their I/O.
 */
export type { Incident } from './incident.ts';
export { incidentRef, incidentRefRefusal, parseIncidentRef } from '../core/incident-ref.ts';
export { SEVERITY_INFO, type Severity } from './severity.ts';
export { STATUS_EMOJI, STATUS_LABEL, type Status } from './status.ts';
export { DEFAULT_REMINDER_INTERVALS, impactWindow, reminderIntervalsFrom, ROLE_INFO, type ReminderIntervals, type Role } from './lifecycle.ts';
export { ids as incidentIds } from './ids.ts';
export type { TimelineEvent } from './store.ts';
