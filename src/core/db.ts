/**
 * The database seam: one `Db` type the stores are written against (drizzle's SQLite query builder over
 * db/schema.ts), run on SQLite or on Postgres (core/postgres.ts renders the same queries in its dialect).
 * Statements are asynchronous on both engines; `transaction(db, async () => …)` makes everything inside one
 * transaction, never around Slack I/O. This file also opens the SQLite file: WAL, foreign keys, a busy
 * timeout, and every committed migration applied.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { is, sql, SQL, type SQLWrapper } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { PgPreparedQuery } from 'drizzle-orm/pg-core';
import { SQLitePreparedQuery, type PreparedQueryConfig } from 'drizzle-orm/sqlite-core';
import * as schema from '../../db/schema.ts';
import { isConnectionLost } from './errors.ts';
import { refuseNewerDatabase } from './migrations.ts';
import { packageFile } from './package-files.ts';

/**
 * The drizzle database the stores build queries with. Run them only through this file (`preparedStatements`,
 * `many`, `one`, `exec`), never with drizzle's synchronous `.all()`, `.get()` or `.run()`: on Postgres the
 * same object renders Postgres SQL.
 */
export type Db = BetterSQLite3Database<typeof schema>;

/** An open SQLite database: the seam's `db`, and the connection under it for SQLite's own chores (pragmas, backups). */
export interface Database_ {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

function sqliteDb(sqlite: Database.Database): Db {
  const db = drizzle(sqlite, { schema });
  connections.set(db, { engine: 'sqlite', sqlite, turn: turnFor(sqlite) });
  return db;
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
  const db = sqliteDb(sqlite);
  try {
    refuseNewerDatabase(lastAppliedMigration(sqlite), MIGRATIONS, file);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  migrateKeepingRows(sqlite, db, MIGRATIONS);
  return { db, sqlite, close: () => sqlite.close() };
}

/**
 * Applies the migrations with foreign keys off, as SQLite's procedure for changing a table asks: a migration that
 * rebuilds a table (drops it and renames a copy) would otherwise delete, by ON DELETE CASCADE, every row that
 * refers to it. SQLite ignores the pragma inside a transaction, hence here, around drizzle's. The keys are checked
 * after; a row left pointing at nothing stops the start.
 */
function migrateKeepingRows(sqlite: Database.Database, db: Db, folder: string): void {
  sqlite.pragma('foreign_keys = OFF');
  try {
    migrate(db, { migrationsFolder: folder });
    const broken = sqlite.pragma('foreign_key_check') as { table: string; parent: string }[];
    if (broken.length) throw new Error(`after migrating, ${broken.length} rows point at nothing (the first: ${broken[0]!.table} → ${broken[0]!.parent})`);
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
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
  return { db: sqliteDb(sqlite), sqlite, close: () => sqlite.close() };
}

/**
 * A named parameter of a prepared statement, usable where drizzle's types take no placeholder (`update().set`).
 * Values given for it are passed to SQLite as they are: JSON columns need `JSON.stringify` by the caller.
 */
export function param(name: string): SQL {
  return sql`${sql.placeholder(name)}`;
}

/** Answers whether the database can be read: for /healthz. */
export async function isDatabaseReachable(db: Db): Promise<boolean> {
  try {
    return (await many(db, sql`select 1 as ok`)).length === 1;
  } catch {
    return false;
  }
}
// ---------------------------------------------------------------------------------------------- the seam

/**
 * Where a database's statements go. SQLite: the one connection, shared by every request of this thread, so a
 * transaction that awaits holds the file's turn and statements from elsewhere wait until it ends. Postgres: the
 * pool, or the client a transaction holds.
 */
type Connection =
  | { engine: 'sqlite'; sqlite: Database.Database; turn: Turn }
  | { engine: 'postgres'; pool: PostgresPool };

/**
 * Whose turn it is on a SQLite file in this thread: one per file, shared by every connection to it here, so that a
 * second connection waits for an open transaction instead of blocking the thread in SQLite's busy handler while
 * the transaction it waits for cannot finish.
 */
interface Turn {
  owner?: TransactionScope;
  waiters: (() => void)[];
}
const turns = new Map<string, Turn>();

function turnFor(sqlite: Database.Database): Turn {
  if (sqlite.memory) return { waiters: [] };
  const file = resolve(sqlite.name);
  let turn = turns.get(file);
  if (!turn) turns.set(file, (turn = { waiters: [] }));
  return turn;
}

/** The part of pg's Pool the seam uses (pg itself is loaded only for a Postgres database). */
export interface PostgresClient {
  query(config: unknown, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}
export interface PostgresPool extends PostgresClient {
  connect(): Promise<PostgresClient & { release(error?: Error | boolean): void }>;
}

/** One open transaction; statements made in its async context run inside it. */
interface TransactionScope {
  connection: Connection;
  open: boolean;
  client?: PostgresClient;
  savepoints: number;
  committed: (() => void)[];
}

const connections = new WeakMap<object, Connection>();
const scope = new AsyncLocalStorage<TransactionScope>();

/** For core/postgres.ts: the drizzle database over a Postgres pool, as the one `Db` type the stores are written against. */
export function postgresDb(build: (client: PostgresClient) => object, pool: PostgresPool): Db {
  const connection: Connection = { engine: 'postgres', pool };
  const client: PostgresClient = { query: (config, values) => clientFor(connection).query(config, values) };
  const db = build(client) as Db;
  connections.set(db, connection);
  return db;
}

function connectionOf(db: Db): Connection {
  const connection = connections.get(db);
  if (!connection) throw new Error('this database was not opened by openDatabase or openPostgres');
  return connection;
}

export function engineOf(db: Db): 'sqlite' | 'postgres' {
  return connectionOf(db).engine;
}

/** The transaction open in this async context on this connection, if any. */
function openScope(connection: Connection): TransactionScope | undefined {
  const current = scope.getStore();
  return current?.open && current.connection === connection ? current : undefined;
}

function clientFor(connection: Connection & { engine: 'postgres' }): PostgresClient {
  return openScope(connection)?.client ?? connection.pool;
}

/**
 * SQLite: runs `statement` once no other context's transaction holds the file, checking and running in one
 * synchronous step (so that no transaction can begin in between).
 */
async function onSqlite<T>(connection: Connection & { engine: 'sqlite' }, statement: () => T): Promise<T> {
  const { turn } = connection;
  while (turn.owner && turn.owner !== openScope(connection)) {
    await new Promise<void>((resolve) => turn.waiters.push(resolve));
  }
  return statement();
}

function releaseSqlite(connection: Connection & { engine: 'sqlite' }): void {
  connection.turn.owner = undefined;
  const waiters = connection.turn.waiters.splice(0);
  for (const wake of waiters) wake();
}

/**
 * Runs `work` as one transaction: every statement it makes through `db`, however deep and across awaits, is
 * inside it, and it commits only if `work` resolves. Never await Slack (or anything slow) inside one. SQLite:
 * BEGIN IMMEDIATE, so writers queue as before. Postgres: writers queue on one advisory lock, so that claim,
 * decide and write read the same on both engines. Inside another transaction, a savepoint. `readOnly`: a
 * consistent snapshot for reads that must agree (metrics), queued behind no writer.
 */
export async function transaction<T>(db: Db, work: () => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
  const connection = connectionOf(db);
  const outer = openScope(connection);
  if (outer) return savepoint(db, outer, work);
  const current: TransactionScope = { connection, open: true, savepoints: 0, committed: [] };
  if (connection.engine === 'sqlite') {
    await onSqlite(connection, () => {
      connection.turn.owner = current;
    });
    try {
      connection.sqlite.exec(opts.readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE');
      let result: T;
      try {
        result = await scope.run(current, work);
      } catch (error) {
        connection.sqlite.exec('ROLLBACK');
        throw error;
      }
      connection.sqlite.exec('COMMIT');
      current.open = false;
      releaseSqlite(connection);
      tellCommitted(current);
      return result;
    } finally {
      current.open = false;
      if (connection.turn.owner === current) releaseSqlite(connection);
    }
  }
  const client = await connection.pool.connect();
  current.client = client;
  let broken: Error | undefined;
  try {
    let result: T;
    try {
      // A writer's BEGIN and its place in the writers' queue go in one round trip (one simple query).
      await client.query(opts.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : `BEGIN; SELECT pg_advisory_xact_lock(${WRITER_LOCK})`);
      result = await scope.run(current, work);
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    }
    await client.query('COMMIT');
    current.open = false;
    tellCommitted(current);
    return result;
  } catch (error) {
    broken ??= isConnectionLost(error) ? (error as Error) : undefined;
    throw error;
  } finally {
    current.open = false;
    client.release(broken ?? false);
  }
}

/**
 * Runs `work` outside any transaction the caller's async context has open: for work that only starts there
 * (a job run by a pass of the scheduler that a scheduling woke), which must never join that transaction.
 */
export function outsideTransactions<T>(work: () => T): T {
  return scope.exit(work);
}

/**
 * Runs `then` once the transaction open in this async context has committed (never if it rolls back), or at
 * once outside a transaction: for telling others about rows they can now read.
 */
export function afterCommit(db: Db, then: () => void): void {
  const open = openScope(connectionOf(db));
  if (open) open.committed.push(then);
  else then();
}

function tellCommitted(current: TransactionScope): void {
  for (const then of current.committed.splice(0)) then();
}

/** An arbitrary constant: the advisory lock Postgres write transactions queue on. */
const WRITER_LOCK = 726_163_002;

async function savepoint<T>(db: Db, outer: TransactionScope, work: () => Promise<T>): Promise<T> {
  const name = `klaxon_${++outer.savepoints}`;
  await exec(db, sql.raw(`SAVEPOINT ${name}`));
  try {
    const result = await work();
    await exec(db, sql.raw(`RELEASE ${name}`));
    return result;
  } catch (error) {
    await exec(db, sql.raw(`ROLLBACK TO ${name}`));
    await exec(db, sql.raw(`RELEASE ${name}`));
    throw error;
  }
}

type Params = Record<string, unknown>;
type RunResult = { changes: number };

/** A statement prepared once per database, run asynchronously on either engine. */
export interface Statement<C extends PreparedQueryConfig> {
  /** The first row, or undefined. */
  get(params?: Params): Promise<C['get']>;
  all(params?: Params): Promise<C['all']>;
  /** How many rows the statement changed. */
  run(params?: Params): Promise<RunResult>;
}

type AsyncStatements<T> = { [K in keyof T]: T[K] extends SQLitePreparedQuery<infer C> ? Statement<C> : T[K] };

/** What a Postgres prepared query or query builder answers: rows, or a driver result for statements without RETURNING. */
function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []);
}

function changesOf(result: unknown): number {
  return Array.isArray(result) ? result.length : ((result as { rowCount?: number | null }).rowCount ?? 0);
}

function statement(connection: Connection, prepared: SQLitePreparedQuery<PreparedQueryConfig>): Statement<PreparedQueryConfig> {
  if (connection.engine === 'sqlite') {
    return {
      get: (params) => onSqlite(connection, () => prepared.get(params)),
      all: (params) => onSqlite(connection, () => prepared.all(params)),
      run: (params) => onSqlite(connection, () => ({ changes: (prepared.run(params) as Database.RunResult).changes })),
    };
  }
  const execute = (params?: Params): Promise<unknown> => (prepared as unknown as { execute(p?: Params): Promise<unknown> }).execute(params);
  return {
    get: async (params) => rowsOf(await execute(params))[0],
    all: async (params) => rowsOf(await execute(params)),
    run: async (params) => ({ changes: changesOf(await execute(params)) }),
  };
}

/**
 * Statements prepared once per database and reused: drizzle builds and the engine prepares a query on every
 * call otherwise, which costs more than running it. They run inside whatever transaction the caller's async
 * context has open. `build` returns an object of prepared statements (`….prepare()`).
 */
export function preparedStatements<T extends object>(build: (db: Db) => T): (db: Db) => AsyncStatements<T> {
  const cache = new WeakMap<Db, AsyncStatements<T>>();
  return (db) => {
    let statements = cache.get(db);
    if (!statements) {
      const connection = connectionOf(db);
      const built = build(db) as Record<string, unknown>;
      statements = Object.fromEntries(
        Object.entries(built).map(([name, value]) => [name, is(value, SQLitePreparedQuery) || is(value, PgPreparedQuery) ? statement(connection, value as SQLitePreparedQuery<PreparedQueryConfig>) : value]),
      ) as AsyncStatements<T>;
      cache.set(db, statements);
    }
    return statements;
  };
}

/** A query built with drizzle (or raw `sql`), run once. */
interface Query<Row> {
  all(): Row[];
  get(): Row | undefined;
  run(): unknown;
}
type Runnable<Row, Method extends keyof Query<Row>> = Pick<Query<Row>, Method> | SQL;

/** Postgres: the query's result (rows, or the driver's result for statements without RETURNING). */
function onPostgres(db: Db, query: object): Promise<unknown> {
  if (is(query, SQL)) return (db as unknown as { execute(q: SQL): Promise<unknown> }).execute(query);
  return (query as { execute(): Promise<unknown> }).execute();
}

/** Every row the query returns. */
export async function many<Row>(db: Db, query: Runnable<Row, 'all'>): Promise<Row[]> {
  const connection = connectionOf(db);
  if (connection.engine === 'postgres') return rowsOf(await onPostgres(db, query)) as Row[];
  return onSqlite(connection, () => (is(query, SQL) ? db.all<Row>(query) : query.all()));
}

/** The first row the query returns, or undefined. */
export async function one<Row>(db: Db, query: Runnable<Row, 'get'>): Promise<Row | undefined> {
  const connection = connectionOf(db);
  if (connection.engine === 'postgres') return rowsOf(await onPostgres(db, query))[0] as Row | undefined;
  return onSqlite(connection, () => (is(query, SQL) ? db.get<Row | undefined>(query) : query.get()));
}

/** Runs an insert, update, delete or other statement; answers how many rows it changed. */
export async function exec(db: Db, query: Runnable<unknown, 'run'>): Promise<number> {
  const connection = connectionOf(db);
  if (connection.engine === 'postgres') return changesOf(await onPostgres(db, query));
  return onSqlite(connection, () => ((is(query, SQL) ? db.run(query) : query.run()) as Database.RunResult).changes);
}

/** A field of a JSON column as text, in the engine's own SQL (`field` is a name in the code, never input). */
export function jsonField(db: Db, column: SQLWrapper, field: string): SQL<string | null> {
  if (!/^\w+$/.test(field)) throw new Error(`jsonField: ${field} is not a field name`);
  return engineOf(db) === 'postgres' ? sql`(${column}->>${sql.raw(`'${field}'`)})` : sql`json_extract(${column}, ${sql.raw(`'$.${field}'`)})`;
}

/** Runs `statements` on SQLite's own connection, in turn like any statement: for what drizzle cannot say (FTS5). */
export function onSqliteConnection<T>(db: Db, statements: (sqlite: Database.Database) => T): Promise<T> {
  const connection = connectionOf(db);
  if (connection.engine !== 'sqlite') throw new Error('onSqliteConnection: this database is Postgres');
  return onSqlite(connection, () => statements(connection.sqlite));
}

