/**
 * What one thread counts in memory, by name: the handles core and main.ts increment where the event happens.
 * The figures that are facts in the database (incidents, pages, escalations, alerts) are not here: they are read from
 * it when scraped (database-metrics.ts).
 */
import { MetricsRegistry } from './registry.ts';

/** Seconds between a job's due time and its claim: milliseconds when idle, longer behind a backlog or a restart. */
export const SCHEDULER_LAG_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Seconds from an alert received to its page DM posted: milliseconds when Slack answers (the goal is a p99 under
 * 100 ms), longer behind a backlog, a restart or Slack's retries.
 */
export const ALERT_TO_PAGE_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export function createProcessMetrics(registry = new MetricsRegistry()) {
  return {
    registry,
    slackApiCalls: registry.counter('klaxon_slack_api_calls_total', 'Slack Web API calls made (response_url for answers to a command or interaction).', ['method']),
    slackApiErrors: registry.counter('klaxon_slack_api_errors_total', 'Slack calls that failed, by method and code (a Slack error code, http_<status>, rate_limited or network).', ['method', 'code']),
    slackApiRetries: registry.counter('klaxon_slack_api_retries_total', 'Slack side effects attempted again after an earlier attempt failed or its answer was lost.', ['method']),
    schedulerLag: registry.histogram('klaxon_scheduler_lag_seconds', 'How late jobs were claimed after their due time.', SCHEDULER_LAG_BOUNDS),
    eventDedupeHits: registry.counter('klaxon_event_dedupe_hits_total', 'Slack event deliveries dropped because their event_id was already handled.'),
    duplicateDeliveries: registry.counter('klaxon_duplicate_deliveries_total', 'Repeated commands, clicks, submissions and replayed requests answered without running again, by kind.', ['kind']),
    alertRequestsRefused: registry.counter('klaxon_alert_requests_refused_total', 'Alert webhook requests refused, by integration ("unknown" for one klaxon.yml does not name) and HTTP status (401, 404, 400, 413, 503).', ['integration', 'status']),
    alertToPage: registry.histogram('klaxon_alert_to_page_seconds', 'From an alert group received to its page DM posted, for each person its escalation paged first.', ALERT_TO_PAGE_BOUNDS),
    instanceInfo: registry.gauge('klaxon_instance_info', 'Always 1: which Klaxon instance answers (host:pid) and on which database engine.', ['instance', 'engine']),
    processStartTime: registry.gauge('klaxon_process_start_time_seconds', 'When this Klaxon process started, in seconds since the Unix epoch.'),
  };
}

export type ProcessMetrics = ReturnType<typeof createProcessMetrics>;
