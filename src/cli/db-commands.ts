/**
 * `npx klaxon db migrate`, `db backup <file>`, `db check` and `db copy`: create or update the database, a
 * consistent copy of the live database, its checks, and a whole database moved between the engines. The backup
 * is `VACUUM INTO`: one statement that reads a consistent snapshot while Klaxon keeps running (WAL lets it write
 * meanwhile) and writes a compact file. These SQLite chores run on SQLite's own connection, synchronously. On
 * Postgres, `db migrate` migrates, `db check` checks the schema is migrated as far as this build knows (Postgres
 * enforces integrity and foreign keys itself), and `db backup` points at pg_dump.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_DB_FILE } from '../core/config.ts';
import { isPostgresUrl, redactUrl } from '../core/urls.ts';
import { openDatabase, openDatabaseReadOnly, type Database_ } from '../core/db.ts';
import { errorMessage } from '../core/errors.ts';
import { CliFailure, runAsyncCommand, runCommand, UsageError, type CliResult } from './args.ts';
import { withSqliteDatabase, type Env } from './context.ts';

export const DB_MIGRATE_USAGE = `Usage: npx klaxon db migrate [--json]

Creates the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) or applies the migrations it lacks. Klaxon
also does this when it starts; run it to prepare the file beforehand or after restoring a backup. KLAXON_DB
may also be a postgres:// URL: the Postgres database (which must exist) is migrated the same way.

Options:
  --json  print {"file", "created", "applied", "migrations"}: whether the file was new, how many migrations
          this run applied, and how many the database has now; on Postgres {"database", "migrations"}

Exit status: 0 up to date, 1 the file cannot be created or is not a Klaxon database, 2 usage error.`;

export const DB_BACKUP_USAGE = `Usage: npx klaxon db backup <file> [--json]

Writes a consistent copy of the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) to <file> while Klaxon keeps
running. <file> must not exist yet. To restore: stop Klaxon, copy the backup over KLAXON_DB (removing the
KLAXON_DB-wal and KLAXON_DB-shm files beside it), then start Klaxon; npx klaxon db check verifies a copy.

This is SQLite's VACUUM INTO. When KLAXON_DB is a postgres:// URL it refuses (exit 2): back Postgres up with
pg_dump, or write a SQLite copy of it with npx klaxon db copy <url> <file>.

Options:
  --json  print {"database", "backup", "tables"}

Exit status: 0 written, 1 failed, 2 usage error (including a Postgres KLAXON_DB).`;

export const DB_CHECK_USAGE = `Usage: npx klaxon db check [file] [--json]

Runs SQLite's integrity check and foreign-key check on the database (the file given, else KLAXON_DB, default
${DEFAULT_DB_FILE}), read-only.

On a postgres:// URL (given, or as KLAXON_DB) it connects without migrating and checks that every migration
this Klaxon knows is applied (a database a newer Klaxon migrated is refused in one line). Postgres enforces
integrity and foreign keys itself, so there is nothing more to check there.

Options:
  --json  print {"file", "ok", "problems": [{"kind": "integrity" or "foreign-key", "message"}]}; on Postgres
          {"database", "ok", "migrations": {"applied", "known"}, "problems": [{"kind": "migration", "message"}]}

Exit status: 0 sound, 1 problems found (listed) or no database (or one that cannot be reached), 2 usage error.`;

export const DB_COPY_USAGE = `Usage: npx klaxon db copy <from> <to> [--json]

Copies a whole Klaxon database from SQLite to Postgres or back: <from> and <to> are each a SQLite file or a
postgres:// URL. <from> is read from one snapshot and left as it is (Klaxon may keep running on it, but what it
writes after the snapshot is not copied: stop it first to move an installation). <to> must be a new file or an
empty Postgres database; it is migrated, filled in one transaction, and every row is read back and compared
before the copy is committed, so a failed copy leaves nothing behind. Runbooks are not copied: Klaxon indexes
RUNBOOKS_DIR again when it starts on <to>.

Options:
  --json  print {"from", "to", "rows", "tables": [{"name", "rows"}]} (passwords shown as ***)

Exit status: 0 copied and checked, 1 refused or failed (nothing kept), 2 usage error.`;

export async function dbCopy(argv: readonly string[]): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'db copy', flags: ['json'], positionals: ['from', 'to'] }, DB_COPY_USAGE, async (args) => {
    const [from, to] = args.positionals as [string, string];
    // Loaded when used: the other commands start faster without the Postgres driver.
    const { copyDatabase, CopyError } = await import('../core/db-copy.ts');
    let report;
    try {
      report = await copyDatabase(from, to);
    } catch (error) {
      if (error instanceof CopyError) throw new CliFailure(1, `db copy: ${error.message}`);
      throw error;
    }
    if (args.flags.has('json')) return { code: 0, out: JSON.stringify(report, null, 2) };
    return { code: 0, out: `${report.from}: copied to ${report.to} (${report.rows} rows in ${report.tables.length} tables, every row checked)` };
  });
}

interface Problem {
  kind: 'integrity' | 'foreign-key';
  message: string;
}

export function dbMigrate(argv: readonly string[], env: Env): CliResult | Promise<CliResult> {
  if (isPostgresUrl(env.KLAXON_DB ?? '')) return migratePostgres(argv, env.KLAXON_DB!);
  return runCommand(argv, { command: 'db migrate', flags: ['json'] }, DB_MIGRATE_USAGE, (args) => {
    const file = env.KLAXON_DB || DEFAULT_DB_FILE;
    const created = file === ':memory:' || !existsSync(file);
    const before = created ? 0 : migrationsIn(file);
    let database: Database_;
    try {
      database = openDatabase(file);
    } catch (error) {
      throw new CliFailure(1, `${file}: cannot create or migrate the database (${errorMessage(error)})`);
    }
    let after: number;
    try {
      after = appliedMigrations(database);
    } finally {
      database.close();
    }
    if (args.flags.has('json')) return { code: 0, out: JSON.stringify({ file, created, applied: after - before, migrations: after }, null, 2) };
    return { code: 0, out: `${file}: migrated` };
  });
}

function migratePostgres(argv: readonly string[], url: string): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'db migrate', flags: ['json'] }, DB_MIGRATE_USAGE, async (args) => {
    const { openPostgres } = await import('../core/postgres.ts');
    const { openFailure } = await import('./postgres-database.ts');
    let database;
    try {
      database = await openPostgres(url);
    } catch (error) {
      const message = errorMessage(error);
      // Already one line naming the database and what to do.
      if (message.includes('was migrated by a newer Klaxon')) throw new CliFailure(1, message);
      throw new CliFailure(1, `${redactUrl(url)}: cannot migrate the database (${openFailure(error, url)}); check KLAXON_DB, and that the Postgres server is running and the database exists`);
    }
    try {
      const { rows } = await database.pool.query<{ n: number }>('select count(*) as n from drizzle.__drizzle_migrations');
      if (args.flags.has('json')) return { code: 0, out: JSON.stringify({ database: redactUrl(url), migrations: rows[0]!.n }, null, 2) };
      return { code: 0, out: `${redactUrl(url)}: migrated` };
    } finally {
      await database.close();
    }
  });
}

/** How many migrations an existing file has, read before migrating it (0 for one that is not a database yet). */
function migrationsIn(file: string): number {
  let database: Database_ | undefined;
  try {
    database = openDatabaseReadOnly(file);
    return appliedMigrations(database);
  } catch {
    // Opening it to migrate says what is wrong with it, in one line.
    return 0;
  } finally {
    database?.close();
  }
}

function appliedMigrations(database: Database_): number {
  const table = database.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  return table ? (database.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
}

export function dbBackup(argv: readonly string[], env: Env): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'db backup', flags: ['json'], positionals: ['file'] }, DB_BACKUP_USAGE, async (args) => {
    const target = args.positionals[0]!;
    const source = env.KLAXON_DB || DEFAULT_DB_FILE;
    if (isPostgresUrl(source)) {
      throw new UsageError(`db backup: KLAXON_DB is Postgres (${redactUrl(source)}) and db backup copies a SQLite file: back Postgres up with pg_dump, or write a SQLite copy with npx klaxon db copy "$KLAXON_DB" ${target}`);
    }
    if (isPostgresUrl(target)) throw new UsageError(`db backup: ${redactUrl(target)} is a Postgres URL, and db backup writes a SQLite file: to copy a database into Postgres, use npx klaxon db copy`);
    if (existsSync(target)) throw new CliFailure(1, `${target}: already exists; choose a new file name`);
    return withSqliteDatabase(env, (database) => {
      try {
        database.sqlite.prepare('VACUUM INTO ?').run(target);
      } catch (error) {
        throw new CliFailure(1, `${source}: backup to ${target} failed (${errorMessage(error)})`);
      }
      const tables = (database.sqlite.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
      if (args.flags.has('json')) return { code: 0, out: JSON.stringify({ database: source, backup: target, tables }, null, 2) };
      return { code: 0, out: `${source}: backed up to ${target} (${tables} tables)` };
    });
  });
}

export function dbCheck(argv: readonly string[], env: Env): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'db check', flags: ['json'], positionals: ['file?'] }, DB_CHECK_USAGE, async (args) => {
    const given = args.positionals[0];
    const target = given ?? (env.KLAXON_DB || DEFAULT_DB_FILE);
    if (isPostgresUrl(target)) return checkPostgres(target, args.flags.has('json'), given !== undefined);
    return withSqliteDatabase(
      env,
      (database, file) => {
        const problems = databaseProblems(database);
        const code = problems.length ? 1 : 0;
        if (args.flags.has('json')) return { code, out: JSON.stringify({ file, ok: code === 0, problems }, null, 2), stdout: true };
        if (problems.length) return { code, out: [`${file}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`, ...problems.map((p) => `  ${p.message}`)].join('\n'), stdout: true };
        return { code, out: `${file}: ok (integrity and foreign keys)` };
      },
      args.positionals[0],
    );
  });
}

/** db check on Postgres: reachable, not migrated by a newer Klaxon (refused on connecting), and migrated as far as this one. */
async function checkPostgres(url: string, json: boolean, given: boolean): Promise<CliResult> {
  const { connectPostgres, migrationState, notMigrated } = await import('./postgres-database.ts');
  const name = redactUrl(url);
  const database = await connectPostgres(url, given ? { setting: 'the URL given' } : {});
  let state;
  try {
    state = await migrationState(database);
  } finally {
    await database.close();
  }
  const problems = state.current ? [] : [{ kind: 'migration', message: `${notMigrated(state)}; run npx klaxon db migrate on it` }];
  const code = problems.length ? 1 : 0;
  if (json) return { code, out: JSON.stringify({ database: name, ok: code === 0, migrations: { applied: state.applied, known: state.known }, problems }, null, 2), stdout: true };
  if (problems.length) return { code, out: [`${name}: 1 problem`, ...problems.map((p) => `  ${p.message}`)].join('\n'), stdout: true };
  return { code, out: `${name}: ok (all ${state.known} migrations applied; Postgres enforces integrity and foreign keys itself)` };
}

function databaseProblems(database: Database_): Problem[] {
  const integrity = (database.sqlite.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check).filter((line) => line !== 'ok');
  const keys = database.sqlite.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number; parent: string }[];
  return [
    ...integrity.map((message): Problem => ({ kind: 'integrity', message })),
    ...keys.map((k): Problem => ({ kind: 'foreign-key', message: `${k.table} row ${k.rowid} refers to a missing ${k.parent} row` })),
  ];
}
