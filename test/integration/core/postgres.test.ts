/**
 * Klaxon's Postgres database on a real Postgres: the migrations derived from db/schema.ts make every table with
 * the same columns, instances starting together migrate once, values read back as SQLite's do, and a database
 * that cannot be served (unreachable, or migrated by a newer Klaxon) stops the start with one line that never
 * shows the password.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterEach, describe, expect, it } from 'vitest';
import * as schema from '../../../db/schema.ts';
import { newestMigrationIn } from '../../../src/core/migrations.ts';
import { openPostgres, PG_MIGRATIONS, type PostgresDatabase } from '../../../src/core/postgres.ts';
import { scratchDatabase, type ScratchDatabase } from '../../support/postgres.ts';

/** How many migrations db/migrations-pg holds: a migrated database has applied each once. */
const MIGRATIONS = (JSON.parse(readFileSync(join(PG_MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
/** Tables of the migrations alone, as on SQLite: the search tables (db/migrations-pg/0001_search.sql). */
const SEARCH_TABLES = ['incident_search', 'runbook_search'];

let scratch: ScratchDatabase | undefined;
const opened: PostgresDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
  await scratch?.drop();
  scratch = undefined;
});

async function open(url: string): Promise<PostgresDatabase> {
  const database = await openPostgres(url);
  opened.push(database);
  return database;
}

describe('the Postgres database', () => {
  it('has every table of db/schema.ts, column for column, once migrated', async () => {
    scratch = await scratchDatabase();
    const { pool } = await open(scratch.url);
    const { rows } = await pool.query<{ table_name: string; column_name: string; is_nullable: string; data_type: string }>(
      "select table_name, column_name, is_nullable, data_type from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position",
    );
    const tables = Object.values(schema) as SQLiteTable[];
    expect(new Set(rows.map((r) => r.table_name))).toEqual(new Set([...tables.map((t) => getTableConfig(t).name), ...SEARCH_TABLES]));
    for (const table of tables) {
      const { name } = getTableConfig(table);
      // In any order: a column Postgres adds goes last, where SQLite's rebuild of the table may put it elsewhere.
      const expected = Object.values(getTableColumns(table)).map((col) => `${col.name} ${col.notNull ? 'not null' : 'null'}`);
      expect(rows.filter((r) => r.table_name === name).map((r) => `${r.column_name} ${r.is_nullable === 'NO' ? 'not null' : 'null'}`).sort(), name).toEqual(expected.sort());
    }
    expect(rows.find((r) => r.table_name === 'incidents' && r.column_name === 'declared_at')?.data_type).toBe('bigint');
    expect(rows.find((r) => r.table_name === 'incidents' && r.column_name === 'is_private')?.data_type).toBe('boolean');
    expect(rows.find((r) => r.table_name === 'jobs' && r.column_name === 'payload')?.data_type).toBe('json');
  });

  it('reads values back as SQLite gives them: epoch milliseconds as numbers, JSON as its text', async () => {
    scratch = await scratchDatabase();
    const { pool } = await open(scratch.url);
    const at = 1_796_000_000_123;
    await pool.query("insert into jobs (kind, key, due_at, payload, status, created_at, updated_at) values ('k', 'key-1', $1, $2, 'pending', $1, $1)", [at, JSON.stringify({ incidentId: 7 })]);
    const { rows } = await pool.query('select id, due_at, payload, (select count(*) from jobs) as n from jobs');
    expect(rows).toEqual([{ id: 1, due_at: at, payload: '{"incidentId":7}', n: 1 }]);
  });

  it('is migrated once when three instances start at the same moment', async () => {
    scratch = await scratchDatabase();
    const [first] = await Promise.all([open(scratch.url), open(scratch.url), open(scratch.url)]);
    const { rows } = await first!.pool.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(rows[0]!.n).toBe(MIGRATIONS);
  });

  it('refuses a database a newer Klaxon migrated, changing nothing, and never shows the password', async () => {
    scratch = await scratchDatabase();
    const { pool } = await open(scratch.url);
    const later = newestMigrationIn(PG_MIGRATIONS) + 86_400_000;
    await pool.query("insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-klaxon', $1)", [later]);
    const refused = await openPostgres(scratch.url).then(
      () => 'opened',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/^postgres:\/\/klaxon:\*\*\*@127\.0\.0\.1:5432\/klaxon_test_\w+ was migrated by a newer Klaxon \(its last migration is from .+\): start the newer version, or restore a backup made for this one$/);
    expect(refused).not.toContain(':klaxon@');
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(rows[0]!.n).toBe(MIGRATIONS + 1);
  });

  it('says in one line, without the password, that an unreachable database cannot be opened', async () => {
    const refused = await openPostgres('postgres://klaxon:s3cret@127.0.0.1:1/klaxon', { connectTimeoutMs: 1_000 }).then(
      () => 'opened',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/^cannot open the Postgres database postgres:\/\/klaxon:\*\*\*@127\.0\.0\.1:1\/klaxon: .+/);
    expect(refused).not.toContain('s3cret');
    expect(refused.split('\n')).toHaveLength(1);
  });
});
