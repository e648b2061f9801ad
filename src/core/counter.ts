/**
 * A count core keeps as it works (Slack calls and errors, retries, repeated events), by label. metrics/ provides
 * the counters and exposes them at GET /metrics; core names only this much of them, so it does not depend on metrics/.
 */
export interface Counter<L extends string = never> {
  inc(labels: Readonly<Record<L, string>>): void;
}
