/**
 * The job worker: Klaxon's scheduler and every job (setting incidents up in Slack, paging, reminders, uploads,
 * webhooks) on a worker thread of their own, with their own connection to the database, so that the main
 * thread only answers Slack. The main thread wakes it whenever it schedules a job; stopping waits for the
 * jobs already running, and the rest stays in the database.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from './core/config.ts';
import type { Logger } from './core/logger.ts';

export interface JobWorker {
  /** A job was scheduled for `at`. */
  wake(at: number): void;
  stop(): Promise<void>;
}

export type ToWorker = { wake: number } | { stop: true };
export type FromWorker = { started: true } | { stopped: true } | { failed: string };

/**
 * Starts the worker; resolves once its scheduler runs. If it dies later, `onCrash` is called: a process
 * that answers Slack but runs no jobs would page nobody, so the caller should stop and be restarted.
 */
export function startJobWorker(config: Config, logger: Logger, onCrash: () => void): Promise<JobWorker> {
  // Klaxon runs its TypeScript through tsx; a worker thread registers tsx itself before loading the thread's code.
  const thread = JSON.stringify(new URL('./job-thread.ts', import.meta.url).href);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${thread}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { config } });
  let stopped: () => void = () => {};
  let stopping = false;
  const whenStopped = new Promise<void>((resolve) => (stopped = resolve));
  return new Promise((resolve, reject) => {
    worker.on('message', (message: FromWorker) => {
      if ('started' in message) {
        resolve({
          wake: (at) => worker.postMessage({ wake: at } satisfies ToWorker),
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
      logger.error('the job worker failed', { error: error.message });
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
