/**
 * Opening Klaxon's Postgres database: a connection pool whose values read as SQLite's do (bigint as a number,
 * JSON as its text, for db/schema.ts's columns to decode), every statement bounded in time, and the
 * migrations of db/migrations-pg applied once however many instances start together.
 */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { refuseNewerDatabase } from './migrations.ts';
import { packageFile } from './package-files.ts';
import { redactUrl } from './urls.ts';

export const PG_MIGRATIONS = packageFile('db', 'migrations-pg');

/** An arbitrary constant: the advisory lock instances take while one of them migrates. */
const MIGRATION_LOCK = 726_163_001;

const INT8 = 20;
const JSON_OID = 114;
const JSONB = 3802;

/** Epoch milliseconds and ids fit a double exactly; JSON stays text for the JSON columns to parse. */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8) return (value: string) => Number(value);
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
  db: NodePgDatabase;
  pool: pg.Pool;
  close(): Promise<void>;
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
    throw new Error(`cannot open the Postgres database ${redactUrl(url)}: ${message.replaceAll(url, redactUrl(url))}`);
  }
  return { db: drizzle(pool), pool, close: () => pool.end() };
}

async function lastAppliedMigration(client: pg.PoolClient): Promise<number | undefined> {
  const table = await client.query("select to_regclass('drizzle.__drizzle_migrations') as name");
  if (!table.rows[0]?.name) return undefined;
  const row = await client.query('select max(created_at) as at from drizzle.__drizzle_migrations');
  return row.rows[0]?.at === null || row.rows[0]?.at === undefined ? undefined : Number(row.rows[0].at);
}
