/**
 * Where the demo keeps its data. By default a fresh SQLite file of its own in the output directory, replaced on
 * every run. A database the person names (`--db`, or KLAXON_DB: a SQLite file or a postgres:// URL) is not the
 * demo's: it is used only when it is new or empty, and never deleted or emptied, so that pointing the demo at a
 * real database by mistake changes nothing. Empty is: a file that does not exist yet, or a database without
 * tables, or a migrated Klaxon database without rows (runbooks aside: Klaxon indexes them again on start).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tablesToCopy } from '../core/db-copy.ts';
import { errorMessage } from '../core/errors.ts';
import { isPostgresUrl, redactUrl } from '../core/urls.ts';

/** A named database the demo will not use, and why: one line. */
export class DatabaseRefused extends Error {}

/** What a database holds that makes it not empty: Klaxon's rows, or tables that are not Klaxon's. */
interface Contents {
  /** `incidents (1)` for each Klaxon table with rows. */
  klaxonRows: string[];
  /** Tables in a database Klaxon never migrated. */
  otherTables: string[];
}

const listed = (items: string[]): string => `${items.slice(0, 3).join(', ')}${items.length > 3 ? ', …' : ''}`;

/** Throws DatabaseRefused unless `target` is new or empty; `otherwise` says what the person can do instead. */
export async function refuseUnlessEmpty(target: string, otherwise: string): Promise<void> {
  const name = isPostgresUrl(target) ? redactUrl(target) : target;
  let contents: Contents;
  try {
    contents = isPostgresUrl(target) ? await postgresContents(target) : sqliteContents(target);
  } catch (error) {
    const message = errorMessage(error);
    throw new DatabaseRefused(message.includes(name) ? message : `${name}: cannot read it (${message})`);
  }
  const needs = `the demo uses only a new or empty database: ${otherwise}`;
  if (contents.otherTables.length) throw new DatabaseRefused(`${name} holds tables that are not Klaxon's (${listed(contents.otherTables)}); ${needs}`);
  if (contents.klaxonRows.length) throw new DatabaseRefused(`${name} already holds Klaxon data (${listed(contents.klaxonRows)}); ${needs}`);
}

function sqliteContents(file: string): Contents {
  if (file === ':memory:' || !existsSync(file)) return { klaxonRows: [], otherTables: [] };
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set((sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((t) => t.name));
    if (tables.size === 0) return { klaxonRows: [], otherTables: [] };
    if (!tables.has('__drizzle_migrations')) return { klaxonRows: [], otherTables: [...tables].sort() };
    const klaxonRows = tablesToCopy()
      .filter((t) => tables.has(t.name))
      .map((t) => ({ name: t.name, n: (sqlite.prepare(`select count(*) as n from "${t.name}"`).get() as { n: number }).n }))
      .filter((t) => t.n > 0)
      .map((t) => `${t.name} (${t.n})`);
    return { klaxonRows, otherTables: [] };
  } finally {
    sqlite.close();
  }
}

async function postgresContents(url: string): Promise<Contents> {
  const { openPostgres } = await import('../core/postgres.ts');
  // Without migrating: a database the demo refuses is left exactly as it was.
  const database = await openPostgres(url, { migrate: false, max: 1 });
  try {
    const { rows } = await database.pool.query<{ name: string }>(
      `select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
       order by 1`,
    );
    const tables = rows.map((r) => r.name);
    if (tables.length === 0) return { klaxonRows: [], otherTables: [] };
    if (!tables.includes('drizzle.__drizzle_migrations')) return { klaxonRows: [], otherTables: tables };
    // Klaxon's tables are where its queries find them: in the schema the connection's search_path names.
    const { rows: present } = await database.pool.query<{ name: string }>('select table_name as name from information_schema.tables where table_schema = current_schema()');
    const names = new Set(present.map((r) => r.name));
    const klaxonRows: string[] = [];
    for (const table of tablesToCopy().filter((t) => names.has(t.name))) {
      const counted = await database.pool.query<{ n: number }>(`select count(*) as n from "${table.name}"`);
      if (counted.rows[0]!.n > 0) klaxonRows.push(`${table.name} (${counted.rows[0]!.n})`);
    }
    return { klaxonRows, otherTables: [] };
  } finally {
    await database.close();
  }
}
