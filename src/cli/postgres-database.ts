/**
 * The operator commands on a Postgres KLAXON_DB (loaded only for a postgres:// URL): connected without migrating
 * (a database a newer Klaxon migrated is still refused), read only once it is migrated as far as this build
 * knows, and the pool closed when the command is done. Every failure is one line naming the database with its
 * password shown as ***, and saying what to do, as the SQLite path's lines do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Db } from '../core/db.ts';
import { errorMessage } from '../core/errors.ts';
import { openPostgres, PG_MIGRATIONS, type PostgresDatabase } from '../core/postgres.ts';
import { redactUrl } from '../core/urls.ts';
import { CliFailure } from './args.ts';

export interface PostgresReading {
  /** Where the URL came from, for "check …": `KLAXON_DB` (the default) or `the URL given`. */
  setting?: string;
  /** What the command reads, for "cannot read …" (default: `the database`). */
  reading?: string;
  /** Another way out, added to each line: `pass --no-db to leave them out`. */
  orElse?: string;
}

/**
 * Why openPostgres failed, in one line: what Postgres or the network said, without openPostgres's own prefix; a
 * statement drizzle reports with its whole text (a migration) is cut to its first line.
 */
export function openFailure(error: unknown, url: string): string {
  const name = redactUrl(url);
  const cause = postgresFailure((error as { cause?: unknown } | undefined)?.cause);
  if (cause) return cause.message.replaceAll(url, name);
  const reason = errorMessage(error).replace(`cannot open the Postgres database ${name}: `, '').replaceAll(url, name);
  const first = reason.split('\n')[0]!.trim();
  return first.length > 160 ? `${first.slice(0, 159)}…` : first;
}

/** How far the database is migrated, against the migrations this build ships. */
export interface MigrationState {
  applied: number;
  known: number;
  /** Every migration this build knows is applied (one a newer Klaxon applied is refused on connecting). */
  current: boolean;
}

/** Connects without migrating; an unreachable, missing or newer database is a CliFailure (exit 1), one line. */
export async function connectPostgres(url: string, opts: PostgresReading = {}): Promise<PostgresDatabase> {
  const name = redactUrl(url);
  try {
    // An operator's query may scan a large table: a minute rather than the server's 10 s.
    return await openPostgres(url, { migrate: false, max: 4, statementTimeoutMs: 60_000 });
  } catch (error) {
    const message = errorMessage(error);
    // Already one line naming the database and what to do.
    if (message.includes('was migrated by a newer Klaxon')) throw new CliFailure(1, message);
    const reason = openFailure(error, url);
    const fix = /^database ".*" does not exist$/.test(reason)
      ? `check ${opts.setting ?? 'KLAXON_DB'}, or create the database and run npx klaxon db migrate on it`
      : `check ${opts.setting ?? 'KLAXON_DB'} and that the Postgres server is running`;
    throw new CliFailure(1, `${name}: cannot connect to the database (${reason})${orElse(fix, opts)}`);
  }
}

export async function migrationState(database: PostgresDatabase): Promise<MigrationState> {
  const journal = JSON.parse(readFileSync(join(PG_MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  const newest = Math.max(...journal.entries.map((e) => e.when));
  const table = await database.pool.query<{ name: string | null }>("select to_regclass('drizzle.__drizzle_migrations')::text as name");
  if (!table.rows[0]?.name) return { applied: 0, known: journal.entries.length, current: false };
  const { rows } = await database.pool.query<{ n: number; at: number | null }>('select count(*) as n, max(created_at) as at from drizzle.__drizzle_migrations');
  const at = rows[0]?.at ?? null;
  return { applied: Number(rows[0]?.n ?? 0), known: journal.entries.length, current: at !== null && Number(at) >= newest };
}

/** Why the database cannot be read yet: "not migrated" or how far behind this build it is. */
export function notMigrated(state: MigrationState): string {
  return state.applied === 0 ? 'no Klaxon migrations applied' : `migrated by an older Klaxon: ${state.applied} of the ${state.known} migrations this one knows are applied`;
}

/**
 * Runs `work` on the Postgres database at `url`, connected without migrating and closed once `work` has settled.
 * Unreachable, not migrated (or migrated by an older Klaxon), or a query Postgres refuses: one line, exit 1.
 */
export async function withPostgres<T>(url: string, work: (database: { engine: 'postgres'; db: Db }, name: string) => T | Promise<T>, opts: PostgresReading = {}): Promise<T> {
  const name = redactUrl(url);
  const reading = opts.reading ?? 'the database';
  const database = await connectPostgres(url, opts);
  try {
    const state = await migrationState(database);
    if (!state.current) throw new CliFailure(1, `${name}: cannot read ${reading} (${notMigrated(state)})${orElse('run npx klaxon db migrate on it', opts)}`);
    return await work({ engine: 'postgres', db: database.db }, name);
  } catch (error) {
    if (error instanceof CliFailure) throw error;
    const failure = postgresFailure(error);
    if (failure === undefined) throw error;
    const missing = failure.code === '42P01' || failure.code === '42703';
    const reason = failure.message.replaceAll(url, name);
    throw new CliFailure(1, `${name}: cannot read ${reading} (${reason})${missing ? orElse('run npx klaxon db migrate on it', opts) : orElse('', opts)}`);
  } finally {
    await database.close();
  }
}

function orElse(fix: string, opts: PostgresReading): string {
  const ways = [fix, opts.orElse].filter(Boolean);
  return ways.length ? `; ${ways.join(', or ')}` : '';
}

/**
 * The failure of Postgres or of the connection to it inside `error` (drizzle wraps it, with the whole query, as
 * the cause of its own error), as opposed to a bug: an error Postgres answered (its SQLSTATE code), a socket's
 * (ECONNRESET), or a connection the pool lost or could not get in time.
 */
export function postgresFailure(error: unknown): { code?: string; message: string } | undefined {
  for (let link: unknown = error, depth = 0; link instanceof Error && depth < 5; link = link.cause, depth++) {
    if (link instanceof pg.DatabaseError) return { code: link.code, message: oneLine(link.message) };
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return { code, message: oneLine(link.message) };
    if (/Connection terminated|timeout exceeded when trying to connect/i.test(link.message)) return { message: oneLine(link.message) };
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
