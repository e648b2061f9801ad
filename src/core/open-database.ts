/**
 * KLAXON_DB opened as the seam's database: a SQLite file (the default), or Postgres for a postgres:// URL, whose
 * driver is loaded only then. Both are migrated before anything reads them.
 */
import type Database from 'better-sqlite3';
import { openDatabase, type Db } from './db.ts';
import type { Logger } from './logger.ts';
import { isPostgresUrl } from './urls.ts';

export interface OpenedDatabase {
  engine: 'sqlite' | 'postgres';
  db: Db;
  /** SQLite only: the connection, for SQLite's own chores (WAL checkpoints). */
  sqlite?: Database.Database;
  close(): Promise<void>;
  /** Postgres: what lets several instances share the engine's work. */
  cluster?: {
    announceJob(db: Db, dueAt: number): Promise<void>;
    acrossInstances<T>(key: string, work: () => Promise<T>): Promise<T>;
    listenForJobs(onJob: (dueAt: number) => void, logger: Logger): { close(): Promise<void> };
  };
}

export async function openKlaxonDatabase(target: string, opts: { autoCheckpoint?: boolean } = {}): Promise<OpenedDatabase> {
  if (isPostgresUrl(target)) {
    const { announceJob, openPostgres } = await import('./postgres.ts');
    const database = await openPostgres(target);
    return { engine: 'postgres', db: database.db, close: database.close, cluster: { announceJob, acrossInstances: database.acrossInstances, listenForJobs: database.listenForJobs } };
  }
  const database = openDatabase(target, opts);
  return { engine: 'sqlite', db: database.db, sqlite: database.sqlite, close: async () => database.close() };
}
