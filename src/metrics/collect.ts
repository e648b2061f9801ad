/**
 * Everything GET /metrics shows: the database's figures and what each thread counted in memory.
 *
 * With one thread (role `all`) that is this thread's figures. With the job worker, the worker reads the
 * database (on its own connection: better-sqlite3 is synchronous, and a scrape on a big database must not hold
 * up the main thread's answers to Slack) and posts its counters with it; the main thread adds its own. A worker
 * that does not answer in time is reported by `klaxon_job_worker_up 0`, and the main thread reads the database
 * itself instead.
 */
import type { Kit } from '../core/kit.ts';
import type { SlackReachability } from '../core/slack-gateway.ts';
import { databaseFamilies, DeclaredTally } from './database-metrics.ts';
import { mergeFamilies, type MetricFamily } from './families.ts';
import type { MetricsRegistry } from './registry.ts';
import { readDatabaseFacts } from './store.ts';

export interface CollectorDeps extends Pick<Kit, 'db'> {
  /** This thread's registry. */
  registry: MetricsRegistry;
  /** Only beside a job worker: the worker's `thisThread()`, or undefined when it did not answer in time. */
  worker?: () => Promise<MetricFamily[] | undefined>;
  /** Whether Slack answers, as this thread sees it (checked afresh when the last call is old). */
  slack?: () => Promise<SlackReachability>;
}

export class MetricsCollector {
  private readonly declared = new DeclaredTally();

  constructor(private readonly deps: CollectorDeps) {}

  /** The database's figures and this thread's counters. */
  async thisThread(): Promise<MetricFamily[]> {
    const facts = await readDatabaseFacts(this.deps.db, this.declared.lastId);
    this.declared.add(facts.declaredSince);
    return [...databaseFamilies(facts, this.declared.samples()), ...this.deps.registry.collect()];
  }

  async all(): Promise<MetricFamily[]> {
    const slack = this.deps.slack ? [slackReachable(await this.deps.slack())] : [];
    if (!this.deps.worker) return [...(await this.thisThread()), ...slack];
    const fromWorker = await this.deps.worker();
    const families = fromWorker ? mergeFamilies(this.deps.registry.collect(), fromWorker) : await this.thisThread();
    return [...families, jobWorkerUp(fromWorker !== undefined), ...slack];
  }
}

function slackReachable(reachability: SlackReachability): MetricFamily {
  return { name: 'klaxon_slack_reachable', help: 'Whether Slack answered Klaxon\'s last Web API call (1) or it timed out, could not connect or got a 5xx (0).', type: 'gauge', samples: [{ labels: {}, value: reachability.reachable === false ? 0 : 1 }] };
}

function jobWorkerUp(up: boolean): MetricFamily {
  return { name: 'klaxon_job_worker_up', help: 'Whether the job worker thread answered this scrape (its counters are included only then).', type: 'gauge', samples: [{ labels: {}, value: up ? 1 : 0 }] };
}
