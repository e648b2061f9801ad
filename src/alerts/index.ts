/** The alerts feature's public surface (monitoring's alerts page the rota): the wiring imports only this. */
export { installAlerts } from './install.ts';
export type { AlertsFeature } from './install.ts';
export { parseAlertBody, type AlertKind, type IncomingAlert, type IncomingBatch } from './payloads.ts';
export { routeAlert, urgencyOfSeverity, type Urgency } from './routing.ts';
