/**
 * A whole Klaxon database copied from one engine to the other (a SQLite file ⇄ Postgres), for
 * `npx klaxon db copy`: every table of db/schema.ts in foreign-key order, read from one snapshot of the source,
 * written in one transaction on the destination, then read back inside that transaction and compared row by
 * row; only an exact copy is committed. `runbooks` is left out: it indexes RUNBOOKS_DIR, and Klaxon rebuilds it
 * when it starts.
 */
import { existsSync, rmSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import * as schema from '../../db/schema.ts';
import { openDatabase } from './db.ts';
import { newestMigrationIn } from './migrations.ts';
import { packageFile } from './package-files.ts';
import { openPostgres, PG_MIGRATIONS } from './postgres.ts';
import { isPostgresUrl, redactUrl } from './urls.ts';

/** Refusals and failures, each one line for the operator. */
export class CopyError extends Error {}

export interface CopyReport {
  from: string;
  to: string;
  tables: { name: string; rows: number }[];
  rows: number;
}

type Kind = 'integer' | 'boolean' | 'json' | 'real' | 'text';
type Row = Record<string, unknown>;

interface TableShape {
  name: string;
  columns: { name: string; kind: Kind; identity: boolean }[];
  /** Columns the rows are read in order of, so that both ends list them alike. */
  orderBy: string[];
}

const NOT_COPIED = new Set(['runbooks']);

/** The tables to copy, each after the tables it refers to. */
export function tablesToCopy(): TableShape[] {
  const tables = (Object.values(schema) as SQLiteTable[]).filter((t) => !NOT_COPIED.has(getTableConfig(t).name));
  const ordered: SQLiteTable[] = [];
  const visit = (table: SQLiteTable): void => {
    if (ordered.includes(table)) return;
    for (const fk of getTableConfig(table).foreignKeys) {
      const parent = fk.reference().foreignTable;
      if (parent !== table && tables.includes(parent)) visit(parent);
    }
    ordered.push(table);
  };
  tables.forEach(visit);
  return ordered.map((table) => {
    const config = getTableConfig(table);
    const columns = (Object.values(getTableColumns(table)) as SQLiteColumn[]).map((col) => ({
      name: col.name,
      kind: kindOf(col),
      identity: Boolean((col as SQLiteColumn & { autoIncrement?: boolean }).autoIncrement),
    }));
    const primary = (Object.values(getTableColumns(table)) as SQLiteColumn[]).filter((c) => c.primary).map((c) => c.name);
    const orderBy = primary.length ? primary : config.primaryKeys[0]?.columns.map((c) => c.name) ?? columns.map((c) => c.name);
    return { name: config.name, columns, orderBy };
  });
}

function kindOf(col: SQLiteColumn): Kind {
  switch (col.columnType) {
    case 'SQLiteBoolean':
      return 'boolean';
    case 'SQLiteTextJson':
      return 'json';
    case 'SQLiteReal':
      return 'real';
    case 'SQLiteInteger':
      return 'integer';
    default:
      return 'text';
  }
}

/** One end of a copy. Rows travel in one form: booleans as booleans, JSON parsed, integers as numbers. */
interface End {
  where: string;
  read(table: TableShape): Promise<Row[]>;
  close(): Promise<void>;
}

interface Destination extends End {
  /** Runs `fill` in one transaction, committed only if it returns without throwing. */
  inTransaction(fill: () => Promise<void>): Promise<void>;
  write(table: TableShape, rows: Row[]): Promise<void>;
  /** After a failed copy: leaves nothing behind that the copy made. */
  discard(): Promise<void>;
}

const fromSqlite = (kind: Kind, value: unknown): unknown => {
  if (value === null) return null;
  if (kind === 'boolean') return value === 1;
  if (kind === 'json') return JSON.parse(value as string);
  return value;
};

const fromPostgres = (kind: Kind, value: unknown): unknown => {
  if (value === null) return null;
  if (kind === 'json') return JSON.parse(value as string);
  return value;
};

const toSqlite = (kind: Kind, value: unknown): unknown => {
  if (value === null) return null;
  if (kind === 'boolean') return value ? 1 : 0;
  if (kind === 'json') return JSON.stringify(value);
  return value;
};

const toPostgres = (kind: Kind, value: unknown): unknown => (value !== null && kind === 'json' ? JSON.stringify(value) : value);

const quoted = (name: string): string => `"${name}"`;
const selectAll = (table: TableShape): string => `select ${table.columns.map((c) => quoted(c.name)).join(', ')} from ${quoted(table.name)} order by ${table.orderBy.map(quoted).join(', ')}`;

function notCurrent(where: string, applied: number | undefined, folder: string): CopyError | undefined {
  if (applied === undefined) return new CopyError(`${where} is not a Klaxon database (no migrations applied)`);
  if (applied < newestMigrationIn(folder)) return new CopyError(`${where} is not up to date with this Klaxon: run KLAXON_DB=… npx klaxon db migrate on it first`);
  if (applied > newestMigrationIn(folder)) return new CopyError(`${where} was migrated by a newer Klaxon: copy it with that version`);
  return undefined;
}

async function sqliteSource(file: string): Promise<End> {
  if (!existsSync(file)) throw new CopyError(`${file}: no such database file`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const hasMigrations = db.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
  const applied = hasMigrations ? (db.prepare('select max(created_at) as at from __drizzle_migrations').get() as { at: number | null }).at ?? undefined : undefined;
  const problem = notCurrent(file, applied === undefined ? undefined : Number(applied), packageFile('db', 'migrations'));
  if (problem) {
    db.close();
    throw problem;
  }
  // One read transaction: every table from the same snapshot, while Klaxon may go on writing (WAL).
  db.exec('BEGIN');
  return {
    where: file,
    read: async (table) => (db.prepare(selectAll(table)).all() as Row[]).map((row) => Object.fromEntries(table.columns.map((c) => [c.name, fromSqlite(c.kind, row[c.name])]))),
    close: async () => {
      db.exec('COMMIT');
      db.close();
    },
  };
}

async function sqliteDestination(file: string): Promise<Destination> {
  if (file === ':memory:' || existsSync(file)) throw new CopyError(`${file}: already exists; copy into a new file`);
  const database = openDatabase(file);
  const db = database.sqlite;
  return {
    where: file,
    read: async (table) => (db.prepare(selectAll(table)).all() as Row[]).map((row) => Object.fromEntries(table.columns.map((c) => [c.name, fromSqlite(c.kind, row[c.name])]))),
    async inTransaction(fill) {
      db.exec('BEGIN IMMEDIATE');
      try {
        await fill();
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async write(table, rows) {
      const insert = db.prepare(`insert into ${quoted(table.name)} (${table.columns.map((c) => quoted(c.name)).join(', ')}) values (${table.columns.map(() => '?').join(', ')})`);
      for (const row of rows) insert.run(table.columns.map((c) => toSqlite(c.kind, row[c.name])));
    },
    close: async () => database.close(),
    async discard() {
      database.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

interface PostgresConnection {
  where: string;
  client: pg.PoolClient;
  read(table: TableShape): Promise<Row[]>;
  close(): Promise<void>;
}

async function connectPostgres(url: string, migrate: boolean): Promise<PostgresConnection> {
  let database;
  try {
    database = await openPostgres(url, { migrate });
  } catch (error) {
    throw new CopyError(error instanceof Error ? error.message : String(error));
  }
  const client = await database.pool.connect();
  return {
    where: redactUrl(url),
    client,
    read: async (table) => (await client.query<Row>(selectAll(table))).rows.map((row) => Object.fromEntries(table.columns.map((c) => [c.name, fromPostgres(c.kind, row[c.name])]))),
    async close() {
      client.release();
      await database.close();
    },
  };
}

async function postgresSource(url: string): Promise<End> {
  const connection = await connectPostgres(url, false);
  const problem = notCurrent(connection.where, await appliedPostgresMigration(connection.client), PG_MIGRATIONS);
  if (problem) {
    await connection.close();
    throw problem;
  }
  // One snapshot of every table, while Klaxon may go on writing.
  await connection.client.query('begin isolation level repeatable read read only');
  return {
    where: connection.where,
    read: connection.read,
    async close() {
      await connection.client.query('commit');
      await connection.close();
    },
  };
}

async function postgresDestination(url: string): Promise<Destination> {
  const connection = await connectPostgres(url, true);
  const { client } = connection;
  const filled = [];
  for (const table of tablesToCopy()) {
    const { rows } = await client.query<{ n: number }>(`select count(*) as n from ${quoted(table.name)}`);
    if (rows[0]!.n > 0) filled.push(`${table.name} (${rows[0]!.n})`);
  }
  if (filled.length) {
    await connection.close();
    throw new CopyError(`${connection.where} already holds Klaxon data: ${filled.slice(0, 3).join(', ')}${filled.length > 3 ? ', …' : ''}; copy into an empty database`);
  }
  return {
    where: connection.where,
    read: connection.read,
    async inTransaction(fill) {
      await client.query('begin');
      try {
        await fill();
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    async write(table, rows) {
      const perInsert = Math.max(1, Math.floor(10_000 / table.columns.length));
      const columns = table.columns.map((c) => quoted(c.name)).join(', ');
      for (let start = 0; start < rows.length; start += perInsert) {
        const batch = rows.slice(start, start + perInsert);
        const values = batch.map((_, r) => `(${table.columns.map((_c, i) => `$${r * table.columns.length + i + 1}`).join(', ')})`).join(', ');
        await client.query(`insert into ${quoted(table.name)} (${columns}) overriding system value values ${values}`, batch.flatMap((row) => table.columns.map((c) => toPostgres(c.kind, row[c.name]))));
      }
      // Identity columns go on from the highest id copied.
      for (const column of table.columns.filter((c) => c.identity)) {
        await client.query(`select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${quoted(column.name)}) from ${quoted(table.name)}), 0) + 1, false)`, [table.name, column.name]);
      }
    },
    close: connection.close,
    // The rows went with the rolled-back transaction; the migrated, empty tables stay.
    discard: connection.close,
  };
}

async function appliedPostgresMigration(client: pg.PoolClient): Promise<number | undefined> {
  const { rows } = await client.query("select to_regclass('drizzle.__drizzle_migrations') as name");
  if (!rows[0]?.name) return undefined;
  const applied = await client.query('select max(created_at) as at from drizzle.__drizzle_migrations');
  return applied.rows[0]?.at === null ? undefined : Number(applied.rows[0]?.at);
}

export async function copyDatabase(from: string, to: string): Promise<CopyReport> {
  if (isPostgresUrl(from) === isPostgresUrl(to)) {
    throw new CopyError(`${redactUrl(from)} and ${redactUrl(to)} are both ${isPostgresUrl(from) ? 'Postgres' : 'SQLite'}: db copy moves a database from SQLite to Postgres or back (for SQLite to SQLite, use db backup; for Postgres, pg_dump)`);
  }
  const source = isPostgresUrl(from) ? await postgresSource(from) : await sqliteSource(from);
  let destination: Destination;
  try {
    destination = isPostgresUrl(to) ? await postgresDestination(to) : await sqliteDestination(to);
  } catch (error) {
    await source.close();
    throw error;
  }
  const tables: CopyReport['tables'] = [];
  try {
    await destination.inTransaction(async () => {
      for (const table of tablesToCopy()) {
        const rows = await source.read(table);
        await destination.write(table, rows);
        // Compared by key: the engines sort text differently (SQLite by bytes, Postgres by its collation).
        const keyOf = (row: Row) => JSON.stringify(table.orderBy.map((c) => row[c]));
        const copied = new Map((await destination.read(table)).map((row) => [keyOf(row), row]));
        const differs = rows.find((row) => !isDeepStrictEqual(row, copied.get(keyOf(row))));
        if (copied.size !== rows.length || differs) {
          throw new CopyError(`${table.name}: the copy does not match the source (${rows.length} rows read, ${copied.size} written${differs ? `, the row ${keyOf(differs)} differs` : ''}); nothing was kept`);
        }
        tables.push({ name: table.name, rows: rows.length });
      }
    });
  } catch (error) {
    await destination.discard();
    await source.close();
    if (error instanceof CopyError) throw error;
    throw new CopyError(`copying into ${destination.where} failed, and nothing was kept: ${error instanceof Error ? error.message : String(error)}`);
  }
  await destination.close();
  await source.close();
  return { from: source.where, to: destination.where, tables, rows: tables.reduce((sum, t) => sum + t.rows, 0) };
}
