/**
 * Opens the one SQLite file: WAL, foreign keys, a busy timeout, and every committed migration applied.
 * Transactions over it are synchronous callbacks (`db.transaction(fn, { behavior: 'immediate' })`), never
 * around Slack I/O.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;
/** What `db.transaction` hands its callback: the same query API, bound to the transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Stores take either, so a use case can compose several of them in one transaction. */
export type DbOrTx = Db | Tx;

export interface Database_ {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

export function openDatabase(file: string): Database_ {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return { db, sqlite, close: () => sqlite.close() };
}

/** Answers whether the database can be read: for /healthz. */
export function isDatabaseReachable(sqlite: Database.Database): boolean {
  try {
    return sqlite.prepare('select 1 as ok').get() !== undefined;
  } catch {
    return false;
  }
}
