/**
 * The pure part of the alerts feature's public surface: reading a webhook body, routing an alert, where it is
 * posted, a sample body for each kind of integration, and what such an alert would do. The operator CLI imports
 * this instead of index.ts, which also carries the listeners, jobs and stores, and with them the database.
 */
export { parseAlertBody, type AlertKind, type IncomingAlert, type IncomingBatch } from './payloads.ts';
export { alertChannelOf, matchingRoute, routeAlert, urgencyOfSeverity, type Urgency } from './routing.ts';
export { sampleAlertBody, sampleLabels, SAMPLE_TITLE } from './sample-alerts.ts';
export { alertDryRun, type AlertDryRun, type DryRunOptions } from './dry-run.ts';
