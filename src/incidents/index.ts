/** The incidents feature's public surface: other features and the wiring import only this. */
export { declareIncident, validateDeclareInput, type DeclareDeps } from './declare.ts';
export { incidentSubcommands, registerIncidentListeners, type IncidentListenerDeps } from './listeners.ts';
export { registerIncidentJobs } from './jobs.ts';
export { provisionIncident, type ProvisionDeps } from './provision.ts';
export { incidentRef, parseIncidentRef } from './incident-ref.ts';
export { ids as incidentIds, jobKinds as incidentJobKinds } from './ids.ts';
export { findIncidentIdByChannel, getIncident } from './store.ts';
export type { Incident } from './incident.ts';
export { SEVERITIES, SEVERITY_INFO, type Severity } from './severity.ts';
