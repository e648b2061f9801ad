/**
 * What the commands gather before they answer: klaxon.yml, the time asked about, the database (a SQLite file or
 * a Postgres URL, read without changing it) and the overrides made in Slack in it, the schedules built from
 * klaxon.yml and those; and the plain-text helpers they print with. What only a database needs (SQLite's driver,
 * drizzle, the stores) is imported when one is opened: a command that opens none starts without it.
 */
import { existsSync } from 'node:fs';
import type { Database_, Db } from '../core/db.ts';
import { DEFAULT_CONFIG_FILE, DEFAULT_DB_FILE, loadKlaxonFile, type KlaxonFile } from '../core/config.ts';
import { errorMessage } from '../core/errors.ts';
import { isPostgresUrl } from '../core/urls.ts';
import { formatDateTimeInZone, parseLocalDateTime } from '../core/wall-clock.ts';
import { CliFailure, UsageError } from './args.ts';
import { scheduleFromConfig, type Override, type Schedule } from '../rotas/model.ts';

export type Env = Record<string, string | undefined>;

export function configFileOf(env: Env, given?: string): string {
  return given ?? (env.KLAXON_CONFIG || DEFAULT_CONFIG_FILE);
}

/**
 * A failure of the file system or of SQLite (they carry a string `code`: ENOENT, EISDIR, SQLITE_NOTADB), as
 * opposed to a bug: those become one line naming the file.
 */
export function isSystemError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}

/** klaxon.yml as the bot reads it (a missing file is no services); a file that cannot be read is exit 1. */
export function readConfigFile(file: string): { config: KlaxonFile; missing: boolean } {
  try {
    return loadKlaxonFile(file);
  } catch (error) {
    if (isSystemError(error)) throw new CliFailure(1, `${file}: cannot read the file (${error.message})`);
    throw error;
  }
}

/** klaxon.yml, parsed and checked; a missing file is an error here (there is nothing to report on). */
export function loadConfig(file: string): KlaxonFile {
  const { config, missing } = readConfigFile(file);
  if (missing) throw new CliFailure(1, `${file}: not found`);
  return config;
}

/**
 * `--at`: an ISO time with an offset or Z (2026-03-30T09:30Z, 2026-03-30T10:30+01:00), or a local date and time
 * (2026-03-30T09:30) read in `timeZone`; `now` when not given.
 */
export function parseAt(text: string | undefined, timeZone: string, now: number): number {
  if (text === undefined) return now;
  const at = /^\d{4}-\d{2}-\d{2}T/.test(text) ? parseLocalDateTime(text.replace(/\.\d{1,3}(?=Z|[+-]|$)/, ''), timeZone) : undefined;
  if (at === undefined) throw new UsageError(`--at ${JSON.stringify(text)} is not a time such as 2026-03-30T09:30Z, 2026-03-30T10:30+01:00 or 2026-03-30T09:30 (local time in ${timeZone})`);
  return at;
}

export interface SlackOverrides {
  /** Undefined when they were not read: see `note`. */
  overrides?: (Override & { scheduleId: string })[];
  /** "including 2 overrides made in Slack", or why they are not included. */
  note: string;
}

/** The database a command reads, on either engine: what the stores' functions take. */
export interface ReadDatabase {
  engine: 'sqlite' | 'postgres';
  db: Db;
}

/**
 * Runs `work` on the database (`given`, else KLAXON_DB, else the default), read and never created or migrated,
 * and closed once `work` has settled: a SQLite file opened read-only, or a Postgres URL connected without
 * migrating. A missing, unreadable or unreachable database, or one that is not a migrated Klaxon database, is
 * one line naming it (a Postgres password shown as ***) and exit 1.
 */
export async function withDatabase<T>(env: Env, work: (database: ReadDatabase, name: string) => T | Promise<T>, given?: string): Promise<T> {
  const target = given ?? (env.KLAXON_DB || DEFAULT_DB_FILE);
  if (isPostgresUrl(target)) {
    // Loaded when used: the commands on SQLite start faster without the Postgres driver.
    const { withPostgres } = await import('./postgres-database.ts');
    return withPostgres(target, work, given === undefined ? {} : { setting: 'the URL given' });
  }
  return withSqliteDatabase(env, (database, file) => work({ engine: 'sqlite', db: database.db }, file), given);
}

/** withDatabase for SQLite's own chores (VACUUM INTO, PRAGMA checks): the file opened read-only, with its connection. */
export async function withSqliteDatabase<T>(env: Env, work: (database: Database_, file: string) => T | Promise<T>, given?: string): Promise<T> {
  const file = given ?? (env.KLAXON_DB || DEFAULT_DB_FILE);
  if (file === ':memory:' || !existsSync(file)) throw new CliFailure(1, `${file}: no database (set KLAXON_DB${given === undefined ? '' : ' or pass the file'})`);
  const { openDatabaseReadOnly } = await import('../core/db.ts');
  let database: Database_;
  try {
    database = openDatabaseReadOnly(file);
  } catch (error) {
    throw new CliFailure(1, `${file}: cannot open the database read-only (${errorMessage(error)})`);
  }
  try {
    return await work(database, file);
  } catch (error) {
    // SQLite opens a file lazily: a file that is not a database, or one never migrated, fails at the first query.
    if (isSystemError(error) && error.code.startsWith('SQLITE_')) {
      const hint = error.message.startsWith('no such table') ? '; run npx klaxon db migrate on it' : '';
      throw new CliFailure(1, `${file}: cannot read the database (${error.message})${hint}`);
    }
    throw error;
  } finally {
    database.close();
  }
}

/**
 * The overrides made in Slack that are not removed and end after `after`, for the schedules in klaxon.yml, from
 * KLAXON_DB when it exists (a SQLite file opened read-only, or a Postgres URL connected without migrating):
 * never created or migrated.
 */
export async function readSlackOverrides(env: Env, config: KlaxonFile, after: number, skip: boolean): Promise<SlackOverrides> {
  const target = env.KLAXON_DB || DEFAULT_DB_FILE;
  if (skip) return { note: 'overrides made in Slack not included: --no-db' };
  let all: (Override & { scheduleId: string })[];
  // The stores are loaded only to be read: without a database the command needs neither them nor its driver.
  if (isPostgresUrl(target)) {
    const [{ withPostgres }, { slackOverrides }] = await Promise.all([import('./postgres-database.ts'), import('../rotas/index.ts')]);
    all = await withPostgres(target, (database) => slackOverrides(database.db, after), { reading: 'the overrides made in Slack', orElse: 'pass --no-db to leave them out' });
  } else {
    const file = target;
    if (file === ':memory:' || !existsSync(file)) return { note: `overrides made in Slack not included: no database at ${file}` };
    const [{ openDatabaseReadOnly }, { slackOverrides }] = await Promise.all([import('../core/db.ts'), import('../rotas/index.ts')]);
    let database: Database_;
    try {
      database = openDatabaseReadOnly(file);
    } catch (error) {
      throw new CliFailure(1, `${file}: cannot open the database read-only (${errorMessage(error)}); pass --no-db to leave it out`);
    }
    try {
      all = await slackOverrides(database.db, after);
    } catch (error) {
      throw new CliFailure(1, `${file}: cannot read the overrides made in Slack (${errorMessage(error)}); run npx klaxon db migrate, or pass --no-db`);
    } finally {
      database.close();
    }
  }
  const schedules = new Set(config.schedules.map((s) => s.id));
  const overrides = all.filter((o) => schedules.has(o.scheduleId) && o.to > after);
  return { overrides, note: `including ${overrides.length} override${overrides.length === 1 ? '' : 's'} made in Slack` };
}

/** Every schedule of klaxon.yml as the engine runs it, with the Slack overrides of each. */
export function buildSchedules(config: KlaxonFile, slack: readonly (Override & { scheduleId: string })[] = []): Map<string, Schedule> {
  return new Map(config.schedules.map((s) => [s.id, scheduleFromConfig(s, config.timezone, slack.filter((o) => o.scheduleId === s.id))]));
}

export function unknownService(id: string, config: KlaxonFile): CliFailure {
  const known = config.services.map((s) => s.id);
  return new CliFailure(1, `unknown service ${JSON.stringify(id)} (${known.length ? `known: ${known.join(', ')}` : 'klaxon.yml lists no services'})`);
}

// ---------------------------------------------------------------------------------------------- formatting

/** "Mon 30 Mar 2026 09:30 BST", or "(none)" for an unbounded time. */
export function localTime(at: number, timeZone: string): string {
  return Number.isFinite(at) ? formatDateTimeInZone(at, timeZone) : '(none)';
}

export function iso(at: number): string | null {
  return Number.isFinite(at) ? new Date(at).toISOString() : null;
}

export const plural = (n: number, word: string, words = `${word}s`): string => `${n} ${n === 1 ? word : words}`;

/**
 * Rows of cells as aligned columns: every column padded to its widest cell (numbers, by `right`, to the
 * right), two spaces between, no trailing blanks. Rows may have fewer cells than others.
 */
export function columns(rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  // A row's last cell is not padded, so it does not widen its column (unless the column is right-aligned).
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, i === row.length - 1 && !right.has(i) ? 0 : cell.length)));
  return rows.map((row) => row.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function indent(lines: readonly string[], by: string): string[] {
  return lines.map((line) => (line ? by + line : line));
}
