/**
 * Opens the one SQLite file: WAL, foreign keys, a busy timeout, and every committed migration applied.
 * Transactions over it are synchronous callbacks (`db.transaction(fn, { behavior: 'immediate' })`), never
 * around Slack I/O.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema.ts';
import { refuseNewerDatabase } from './migrations.ts';
import { packageFile } from './package-files.ts';

/** The drizzle database, with the better-sqlite3 connection under it (`$client`) for what drizzle cannot say (FTS5). */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Statements prepared once per database and reused: drizzle builds and SQLite prepares a query on every call
 * otherwise, which costs more than running it. better-sqlite3 transactions belong to the connection, so these
 * statements take part in any `db.transaction(…)` whose callback runs them.
 */
export function preparedStatements<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let statements = cache.get(db);
    if (!statements) {
      statements = build(db);
      cache.set(db, statements);
    }
    return statements;
  };
}

export interface Database_ {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

const MIGRATIONS = packageFile('db', 'migrations');

/** `autoCheckpoint: false`: this connection never checkpoints the WAL; another one must (see wal-checkpoints.ts). */
export function openDatabase(file: string, opts: { autoCheckpoint?: boolean } = {}): Database_ {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  if (opts.autoCheckpoint === false) sqlite.pragma('wal_autocheckpoint = 0');
  const db = drizzle(sqlite, { schema });
  try {
    refuseNewerDatabase(lastAppliedMigration(sqlite), MIGRATIONS, file);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  migrate(db, { migrationsFolder: MIGRATIONS });
  return { db, sqlite, close: () => sqlite.close() };
}

/** When the newest migration applied to this file was written (drizzle's journal time), if any was. */
function lastAppliedMigration(sqlite: Database.Database): number | undefined {
  const table = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  if (!table) return undefined;
  const row = sqlite.prepare('select max(created_at) as at from __drizzle_migrations').get() as { at: number | null };
  return row.at === null ? undefined : Number(row.at);
}

/** Opens an existing database for reading only: never created, never migrated (for the operator CLI). */
export function openDatabaseReadOnly(file: string): Database_ {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return { db: drizzle(sqlite, { schema }), sqlite, close: () => sqlite.close() };
}

/**
 * A named parameter of a prepared statement, usable where drizzle's types take no placeholder (`update().set`).
 * Values given for it are passed to SQLite as they are: JSON columns need `JSON.stringify` by the caller.
 */
export function param(name: string): SQL {
  return sql`${sql.placeholder(name)}`;
}

/** Answers whether the database can be read: for /healthz. */
export function isDatabaseReachable(sqlite: Database.Database): boolean {
  try {
    return sqlite.prepare('select 1 as ok').get() !== undefined;
  } catch {
    return false;
  }
}
