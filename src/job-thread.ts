/** The job worker's thread (started by job-worker.ts): a Klaxon with the `jobs` role, woken by messages. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from './core/config.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { errorMessage } from './core/errors.ts';
import { lowerThisThreadsPriority } from './core/thread-priority.ts';
import type { FromWorker, ToWorker } from './job-worker.ts';
import type { MetricFamily } from './metrics/families.ts';
import { createKlaxon, type Klaxon } from './main.ts';

/** Runs the thread: called by the build's dist/job-thread.js, or by job-worker.ts's loader under tsx. */
export async function run(): Promise<void> {
  const port = parentPort!;
  const { config } = workerData as { config: Config };
  const tell = (message: FromWorker) => port.postMessage(message);
  lowerThisThreadsPriority();
  try {
    const logger = createLogger(config.env.logLevel).child({ thread: 'jobs' });
    const klaxon = await createKlaxon(config, { role: 'jobs', logger });
    await klaxon.start();
    port.on('message', (message: ToWorker) => {
      if ('wake' in message) klaxon.scheduler.wake(message.wake);
      else if ('metrics' in message) void threadMetrics(klaxon, logger).then((families) => tell({ metrics: message.metrics, families }));
      else void klaxon.stop().then(() => tell({ stopped: true }), (error: unknown) => tell({ failed: errorMessage(error) }));
    });
    tell({ started: true });
  } catch (error) {
    tell({ failed: errorMessage(error) });
  }
}

/** This thread's metrics for a scrape; undefined when they cannot be read, and the main thread reads for itself. */
async function threadMetrics(klaxon: Klaxon, logger: Logger): Promise<MetricFamily[] | undefined> {
  try {
    return await klaxon.metrics.thisThread();
  } catch (error) {
    logger.error('metrics could not be collected on the job worker', { error });
    return undefined;
  }
}
