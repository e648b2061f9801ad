/** The alerts feature's public surface (monitoring's alerts page the rota): the wiring and the CLI import only this, or model.ts, its pure part. */
export { installAlerts } from './install.ts';
export type { AlertsFeature } from './install.ts';
export { parseAlertBody, type AlertKind, type IncomingAlert, type IncomingBatch } from './payloads.ts';
export { routeAlert, urgencyOfSeverity, type Urgency } from './routing.ts';
export { openAlerts, type OpenAlert } from './open-alerts.ts';
