/**
 * WAL checkpoints off the thread that answers Slack. A checkpoint copies the pages written since the last one
 * into the database file and syncs it to disk, and whichever commit finds the WAL past its threshold waits for
 * it: on the answering thread, an acknowledgement to Slack. So the answering thread's connection never
 * checkpoints (`openDatabase(file, { autoCheckpoint: false })`), and the job worker's connection does it for
 * both: SQLite's automatic checkpoint after its own commits, and a passive one each second for what the
 * answering thread wrote meanwhile. A passive checkpoint never waits for, or holds up, a writer.
 */
import type Database from 'better-sqlite3';
import type { Cancel, Clock } from './clock.ts';

export const CHECKPOINT_EVERY_MS = 1_000;

/** Runs a passive checkpoint on this connection every `everyMs` until cancelled. */
export function checkpointPeriodically(sqlite: Database.Database, clock: Clock, onError: (error: unknown) => void, everyMs = CHECKPOINT_EVERY_MS): Cancel {
  let cancel: Cancel = () => {};
  const next = (): void => {
    cancel = clock.setTimer(clock.now() + everyMs, () => {
      try {
        sqlite.pragma('wal_checkpoint(PASSIVE)');
      } catch (error) {
        onError(error);
      }
      next();
    });
  };
  next();
  return () => cancel();
}
