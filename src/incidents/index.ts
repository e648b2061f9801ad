/** The incidents feature's public surface: other features and the wiring import only this. */
export { declareIncident, type DeclareDeps } from './declare.ts';
export { incidentChanges, type ChangeDeps, type IncidentChanges } from './changes.ts';
export { incidentSubcommands, registerIncidentListeners, type IncidentListenerDeps } from './listeners.ts';
export { lifecycleSubcommands, registerLifecycleListeners, type LifecycleListenerDeps } from './lifecycle-listeners.ts';
export { registerIncidentJobs, type IncidentJobDeps } from './jobs.ts';
export { incidentRef, parseIncidentRef } from './incident-ref.ts';
export {
  addTimelineEvent,
  bumpRevision,
  findIncidentIdByChannel,
  getIncident,
  listOpenIncidents,
  listTimeline,
  recordAcknowledgement,
  type NewTimelineEvent,
  type TimelineEvent,
} from './store.ts';
export { scheduleRefresh } from './surfaces.ts';
export type { Incident } from './incident.ts';
export { DEFAULT_REMINDER_INTERVALS, impactWindow, reminderIntervalsFrom, ROLE_INFO, type ReminderIntervals, type Role } from './lifecycle.ts';
export { SEVERITY_INFO, type Severity } from './severity.ts';
export { STATUS_EMOJI, STATUS_LABEL, type Status } from './status.ts';
export { ids as incidentIds } from './ids.ts';
