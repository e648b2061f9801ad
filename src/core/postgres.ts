/**
 * Opening Klaxon's Postgres database: a connection pool whose values read as SQLite's do (bigint as a number,
 * JSON as its text, for db/schema.ts's columns to decode), every statement bounded in time, and the
 * migrations of db/migrations-pg applied once however many instances start together.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from '../../db/schema.ts';
import { exec, postgresDb, type Db, type PostgresClient } from './db.ts';
import type { Logger } from './logger.ts';
import { refuseNewerDatabase } from './migrations.ts';
import { packageFile } from './package-files.ts';
import { redactUrl } from './urls.ts';

export const PG_MIGRATIONS = packageFile('db', 'migrations-pg');

/** An arbitrary constant: the advisory lock instances take while one of them migrates. */
const MIGRATION_LOCK = 726_163_001;

const INT8 = 20;
const JSON_OID = 114;
const JSONB = 3802;
const NUMERIC = 1700;

/** Epoch milliseconds, ids and sums fit a double (as they are numbers on SQLite); JSON stays text for the JSON columns to parse. */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    if (oid === JSON_OID || oid === JSONB) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as never);
  },
};

export interface PostgresOptions {
  /** Longest a statement may run before Postgres cancels it (10 s). */
  statementTimeoutMs?: number;
  /** Longest a new connection may take (5 s). */
  connectTimeoutMs?: number;
  /** Connections in the pool (10). */
  max?: number;
  /** false: connect without migrating (still refusing a database a newer Klaxon migrated). */
  migrate?: boolean;
}

export interface PostgresDatabase {
  /** The seam's `db`: the stores' queries, rendered as Postgres SQL. */
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
  /** Runs `work` holding `key` across every instance (a session advisory lock, freed if this instance dies). */
  acrossInstances<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Listens for jobs any instance schedules (see `announceJob`), on a connection of its own that comes back after a drop. */
  listenForJobs(onJob: (dueAt: number) => void, logger: Logger): { close(): Promise<void> };
}

const JOBS_CHANNEL = 'klaxon_jobs';
/** How long the job listener waits before connecting again after its connection dropped. */
const RELISTEN_MS = 1_000;

/** Tells every instance's scheduler of a job due at `dueAt`: inside a transaction, Postgres delivers it on commit. */
export async function announceJob(db: Db, dueAt: number): Promise<void> {
  await exec(db, sql`select pg_notify(${JOBS_CHANNEL}, ${String(dueAt)})`);
}

/** The advisory lock space of keyed work (two-number form, apart from the single-number locks above). */
const KEYED_WORK = 726_163;

async function holdingKey<T>(pool: pg.Pool, key: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1, hashtext($2))', [KEYED_WORK, key]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1, hashtext($2))', [KEYED_WORK, key]).catch((error: Error) => (broken = error));
    }
  } finally {
    // A connection whose unlock failed may still hold the lock: it is closed rather than reused.
    client.release(broken ?? false);
  }
}

function jobListener(url: string, opts: PostgresOptions, onJob: (dueAt: number) => void, logger: Logger): { close(): Promise<void> } {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = (): void => {
    const connecting = new pg.Client({ connectionString: url, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000, application_name: 'klaxon-jobs' });
    client = connecting;
    const again = (error?: Error): void => {
      if (closed || client !== connecting) return;
      client = undefined;
      logger.warn('the job listener lost its Postgres connection: connecting again; meanwhile the scheduler polls', { error: error?.message ?? 'ended' });
      void connecting.end().catch(() => undefined);
      retry = setTimeout(connect, RELISTEN_MS);
    };
    connecting.on('error', again);
    connecting.on('end', () => again());
    connecting.on('notification', (message) => onJob(Number(message.payload)));
    connecting
      .connect()
      .then(() => connecting.query(`listen ${JOBS_CHANNEL}`))
      // Anything scheduled while it was not listening is due now or later: look at once.
      .then(() => onJob(0), again);
  };
  connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

/** Connects, refuses a database migrated by a newer Klaxon, and applies the migrations it lacks. */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<PostgresDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    statement_timeout: opts.statementTimeoutMs ?? 10_000,
    application_name: 'klaxon',
    types,
  });
  // An idle connection the server dropped (a restart, a failover) is discarded; the next query opens another.
  pool.on('error', () => undefined);
  // One dropped while in use fails the query that was using it, which says so; the socket's own error is not thrown again.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        refuseNewerDatabase(await lastAppliedMigration(client), PG_MIGRATIONS, redactUrl(url));
        if (opts.migrate !== false) await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes('was migrated by a newer Klaxon')) throw error;
    throw new Error(`cannot open the Postgres database ${redactUrl(url)}: ${message.replaceAll(url, redactUrl(url))}`, { cause: error });
  }
  const db = postgresDb((client) => drizzle({ client: withTypes(client) as pg.Pool, schema }), pool);
  return { db, pool, close: () => pool.end(), acrossInstances: (key, work) => holdingKey(pool, key, work), listenForJobs: (onJob, logger) => jobListener(url, opts, onJob, logger) };
}

/** drizzle gives each query its own type parsers, which read bigint as text: ours replace them. */
function withTypes(client: PostgresClient): PostgresClient {
  return {
    query: (config, values) => client.query(typeof config === 'object' && config !== null ? { ...config, types } : config, values),
  };
}

async function lastAppliedMigration(client: pg.PoolClient): Promise<number | undefined> {
  const table = await client.query("select to_regclass('drizzle.__drizzle_migrations') as name");
  if (!table.rows[0]?.name) return undefined;
  const row = await client.query('select max(created_at) as at from drizzle.__drizzle_migrations');
  return row.rows[0]?.at === null || row.rows[0]?.at === undefined ? undefined : Number(row.rows[0].at);
}
