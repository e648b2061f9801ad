/**
 * One Klaxon process per SQLite file. The running process holds an exclusive SQLite lock on `<KLAXON_DB>.lock`
 * for as long as it lives, and the operating system lets go of it when the process ends, however it ends
 * (SIGKILL included), so a restart never waits. A second process started on the same file finds the lock held
 * and refuses to start, rather than running the first one's jobs a second time. The operator CLI takes no lock.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export interface InstanceLock {
  release(): void;
}

export function holdInstanceLock(dbFile: string): InstanceLock {
  if (dbFile === ':memory:') return { release: () => undefined };
  const file = `${dbFile}.lock`;
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const lock = new Database(file);
  lock.pragma('busy_timeout = 0');
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new Error(
      `another Klaxon is already running on ${dbFile} (it holds ${file}): stop it before starting this one; to run several instances, use Postgres (KLAXON_DB=postgres://…)`,
    );
  }
  return { release: () => lock.close() };
}
