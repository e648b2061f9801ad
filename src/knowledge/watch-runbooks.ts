/**
 * Re-indexes the runbooks when their directory changes, so a `git pull` or an edit shows up without a restart.
 * Changes come in bursts (an editor writes a temporary file and renames it; a pull touches many files), so the
 * re-index waits for a short quiet spell.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { errorMessage } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';

export const WATCH_QUIET_MS = 200;

export interface RunbookWatcher {
  close(): void;
}

export function watchRunbooks(dir: string, reindex: () => Promise<unknown>, logger: Logger, quietMs = WATCH_QUIET_MS): RunbookWatcher {
  if (!existsSync(dir)) {
    logger.warn('the runbooks directory does not exist: no runbooks, and no watching for them', { dir });
    return { close: () => undefined };
  }
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const fire = (): void => {
    timer = undefined;
    reindex().catch((error: unknown) => logger.error('re-indexing the runbooks failed', { dir, error }));
  };
  try {
    watcher = watch(dir, { recursive: true, persistent: false }, () => {
      clearTimeout(timer);
      timer = setTimeout(fire, quietMs);
    });
    watcher.on('error', (error) => {
      logger.warn('stopped watching the runbooks directory; /incident runbook reload still re-indexes', { dir, error: errorMessage(error) });
      watcher?.close();
    });
  } catch (error) {
    logger.warn('cannot watch the runbooks directory; /incident runbook reload re-indexes', { dir, error: errorMessage(error) });
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
