/** The incidents feature's public surface: other features and the wiring import only this. */
export { declareIncident, type DeclareDeps } from './declare.ts';
export { mayUseIncident } from './access.ts';
export { incidentChanges, type ChangeDeps, type IncidentChanges } from './changes.ts';
export { declareModal } from './blocks.ts';
export { incidentSubcommands, registerIncidentListeners, type IncidentListenerDeps } from './listeners.ts';
export { lifecycleSubcommands, registerLifecycleListeners, type LifecycleListenerDeps } from './lifecycle-listeners.ts';
export { registerIncidentJobs, type IncidentJobDeps } from './jobs.ts';
export {
  bumpRevision,
  findIncidentIdByChannel,
  getIncident,
  getIncidentAccess,
  listOpenIncidents,
  listTimeline,
  recordAcknowledgement,
  type AddTimelineEvent,
  type IncidentAccess,
  type NewTimelineEvent,
} from './store.ts';
export { scheduleRefresh } from './surfaces.ts';
export * from './model.ts';
export { installIncidents } from './install.ts';
