/**
 * The job worker: Klaxon's scheduler and every job (setting incidents up in Slack, paging, reminders, uploads,
 * webhooks) on a worker thread of their own, with their own connection to the database, so that the main
 * thread only answers Slack. The main thread wakes it whenever it schedules a job; stopping waits for the
 * jobs already running, and the rest stays in the database.
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from './core/config.ts';
import { packageFile } from './core/package-files.ts';
import type { Logger } from './core/logger.ts';
import type { MetricFamily } from './metrics/families.ts';

export interface JobWorker {
  /** A job was scheduled for `at`. */
  wake(at: number): void;
  /** The worker's answer to a scrape (the database's figures and its counters); undefined if none comes within `timeoutMs`. */
  metrics(timeoutMs: number): Promise<MetricFamily[] | undefined>;
  stop(): Promise<void>;
}

/**
 * How long the main thread waits before waking the worker, gathering the wake-ups of that moment into one
 * message. A wake-up posted straight after a request can make the kernel give a shared core to the worker until
 * its next tick, while requests queue behind the main thread; a millisecond later the main thread has usually
 * gone idle, and the worker runs then (bench/README.md, History).
 */
const WAKE_DELAY_MS = 1;

export type ToWorker = { wake: number } | { stop: true } | { metrics: number };
export type FromWorker = { started: true } | { stopped: true } | { failed: string } | { metrics: number; families: MetricFamily[] | undefined };

/**
 * Starts the worker; resolves once its scheduler runs. If it dies later, `onCrash` is called: a process
 * that answers Slack but runs no jobs would page nobody, so the caller should stop and be restarted.
 */
export function startJobWorker(config: Config, logger: Logger, onCrash: () => void): Promise<JobWorker> {
  const thread = jobThread();
  const worker = new Worker(thread.code, { eval: thread.eval, workerData: { config } });
  let stopped: () => void = () => {};
  let stopping = false;
  const whenStopped = new Promise<void>((resolve) => (stopped = resolve));
  const metricsRequests = new MetricsRequests((id) => worker.postMessage({ metrics: id } satisfies ToWorker));
  const wake = gatherWakes((at) => worker.postMessage({ wake: at } satisfies ToWorker));
  return new Promise((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      if ('metrics' in message) {
        metricsRequests.answered(message.metrics, message.families);
      } else if ('started' in message) {
        resolve({
          wake,
          metrics: (timeoutMs) => metricsRequests.ask(timeoutMs),
          stop: () => {
            stopping = true;
            worker.postMessage({ stop: true } satisfies ToWorker);
            return whenStopped;
          },
        });
      } else if ('stopped' in message) {
        stopped();
      } else {
        reject(new Error(message.failed));
      }
    });
    worker.on('error', (error) => {
      logger.error('the job worker failed', { error });
      reject(error);
    });
    worker.on('exit', (code) => {
      stopped();
      if (stopping) return;
      logger.error('the job worker stopped unexpectedly: stopping Klaxon, pending jobs stay in the database', { code });
      onCrash();
    });
  });
}

/**
 * The thread's code: dist/job-thread.js beside the bundle that runs (npm start), or, where Klaxon runs its
 * TypeScript through tsx (tests, the demo), src/job-thread.ts loaded after the thread registers tsx itself.
 */
function jobThread(): { code: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { code: pathToFileURL(packageFile('dist', 'job-thread.js')), eval: false };
  const thread = JSON.stringify(new URL('./job-thread.ts', import.meta.url).href);
  return { code: `import('tsx/esm/api').then(({ register }) => { register(); return import(${thread}); }).then((thread) => thread.run());`, eval: true };
}

/** Calls `post` WAKE_DELAY_MS after the first of a run of wake-ups, once, with the earliest time asked for. */
export function gatherWakes(post: (at: number) => void): (at: number) => void {
  let earliest = Infinity;
  let timer: NodeJS.Timeout | undefined;
  return (at) => {
    earliest = Math.min(earliest, at);
    timer ??= setTimeout(() => {
      timer = undefined;
      const wakeAt = earliest;
      earliest = Infinity;
      post(wakeAt);
    }, WAKE_DELAY_MS);
  };
}

/** Questions for the worker's metrics, matched to their answers by id; one left unanswered settles as undefined. */
class MetricsRequests {
  private nextId = 1;
  private readonly waiting = new Map<number, (families: MetricFamily[] | undefined) => void>();

  constructor(private readonly post: (id: number) => void) {}

  ask(timeoutMs: number): Promise<MetricFamily[] | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      // A scrape must not wait on a busy or stuck worker: the main thread answers with its own figures.
      const timer = setTimeout(() => this.answered(id, undefined), timeoutMs);
      timer.unref();
      this.waiting.set(id, (families) => {
        clearTimeout(timer);
        resolve(families);
      });
      this.post(id);
    });
  }

  answered(id: number, families: MetricFamily[] | undefined): void {
    const settle = this.waiting.get(id);
    this.waiting.delete(id);
    settle?.(families);
  }
}
