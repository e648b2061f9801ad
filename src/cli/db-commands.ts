/**
 * `npx klaxon db backup <file>` and `npx klaxon db check`: a consistent copy of the live database, and SQLite's
 * own integrity and foreign-key checks. The backup is `VACUUM INTO`: one statement that reads a consistent
 * snapshot while Klaxon keeps running (WAL lets it write meanwhile), writes a compact file, and keeps this CLI
 * synchronous like every other command.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_DB_FILE } from '../core/config.ts';
import { errorMessage } from '../core/errors.ts';
import { CliFailure, runCommand, type CliResult } from './args.ts';
import { withDatabase, type Env } from './context.ts';

export const DB_BACKUP_USAGE = `Usage: npx klaxon db backup <file>

Writes a consistent copy of the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) to <file> while Klaxon keeps
running. <file> must not exist yet. To restore: stop Klaxon, copy the backup over KLAXON_DB (removing the
KLAXON_DB-wal and KLAXON_DB-shm files beside it), then start Klaxon; npx klaxon db check verifies a copy.

Exit status: 0 written, 1 failed, 2 usage error.`;

export const DB_CHECK_USAGE = `Usage: npx klaxon db check [file]

Runs SQLite's integrity check and foreign-key check on the database (file, else KLAXON_DB, default
${DEFAULT_DB_FILE}), read-only.

Exit status: 0 sound, 1 problems found (listed) or no database, 2 usage error.`;

export function dbBackup(argv: readonly string[], env: Env): CliResult {
  return runCommand(argv, { command: 'db backup', positionals: ['file'] }, DB_BACKUP_USAGE, (args) => {
    const target = args.positionals[0]!;
    if (existsSync(target)) throw new CliFailure(1, `${target}: already exists; choose a new file name`);
    return withDatabase(env, (database, source) => {
      try {
        database.sqlite.prepare('VACUUM INTO ?').run(target);
      } catch (error) {
        throw new CliFailure(1, `${source}: backup to ${target} failed (${errorMessage(error)})`);
      }
      const tables = (database.sqlite.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
      return { code: 0, out: `${source}: backed up to ${target} (${tables} tables)` };
    });
  });
}

export function dbCheck(argv: readonly string[], env: Env): CliResult {
  return runCommand(argv, { command: 'db check', positionals: ['file?'] }, DB_CHECK_USAGE, (args) => {
    return withDatabase(
      env,
      (database, file) => {
        const integrity = (database.sqlite.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check).filter((line) => line !== 'ok');
        const keys = database.sqlite.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number; parent: string }[];
        const problems = [...integrity, ...keys.map((k) => `${k.table} row ${k.rowid} refers to a missing ${k.parent} row`)];
        if (problems.length) return { code: 1, out: [`${file}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`, ...problems.map((p) => `  ${p}`)].join('\n'), stdout: true };
        return { code: 0, out: `${file}: ok (integrity and foreign keys)` };
      },
      args.positionals[0],
    );
  });
}
