/** The incidents feature's public surface: other features and the wiring import only this. */
export { declareIncident, type DeclareDeps } from './declare.ts';
export { incidentSubcommands, registerIncidentListeners, type IncidentListenerDeps } from './listeners.ts';
export { registerIncidentJobs } from './jobs.ts';
export { incidentRef, parseIncidentRef } from './incident-ref.ts';
export { addTimelineEvent, findIncidentIdByChannel, getIncident, recordAcknowledgement, type NewTimelineEvent } from './store.ts';
export type { Incident } from './incident.ts';
export { SEVERITY_INFO, type Severity } from './severity.ts';
