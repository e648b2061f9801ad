/**
 * The same tables for Postgres, derived from db/schema.ts rather than written twice: one data model, two
 * engines. drizzle-kit reads this file to write the Postgres migrations (db/drizzle.pg.config.ts); Klaxon's
 * queries are written once, against db/schema.ts.
 *
 * Each column keeps its SQL name and the values it holds: integers (epoch milliseconds among them) become
 * bigint, booleans boolean, reals double precision, text text, and JSON json, which keeps the text as written
 * (jsonb would reorder its keys), as SQLite does: what goes in comes out the same on both engines. Keys, indexes (partial ones
 * included), foreign keys and checks carry over as they are. The full-text search tables (SQLite's FTS5) are
 * not tables of db/schema.ts and have a Postgres migration of their own.
 */
import { getTableColumns, type SQL } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, json, pgTable, primaryKey, text, uniqueIndex, type PgColumnBuilderBase, type PgTableWithColumns } from 'drizzle-orm/pg-core';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as sqlite from './schema.ts';

// Loose on purpose: the derived tables are for migrations, whose columns are read back from the tables themselves.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgTable = PgTableWithColumns<any>;

const derived = new Map<SQLiteTable, PgTable>();

function column(source: SQLiteColumn): PgColumnBuilderBase {
  let built;
  switch (source.columnType) {
    case 'SQLiteInteger':
      built = bigint(source.name, { mode: 'number' });
      if ((source as SQLiteColumn & { autoIncrement?: boolean }).autoIncrement) built = built.generatedByDefaultAsIdentity();
      break;
    case 'SQLiteBoolean':
      built = boolean(source.name);
      break;
    case 'SQLiteReal':
      built = doublePrecision(source.name);
      break;
    case 'SQLiteTextJson':
      built = json(source.name);
      break;
    case 'SQLiteText':
      built = text(source.name);
      break;
    default:
      throw new Error(`db/schema.pg.ts: no Postgres type for ${source.columnType} (column ${source.name})`);
  }
  if (source.notNull) built = built.notNull();
  if (source.hasDefault && source.default !== undefined) built = built.default(source.default as never);
  if (source.primary) built = built.primaryKey();
  return built;
}

/** The Postgres table for a table of db/schema.ts. */
function toPg(source: SQLiteTable): PgTable {
  const known = derived.get(source);
  if (known) return known;
  const config = getTableConfig(source);
  const keyOf = new Map(Object.entries(getTableColumns(source)).map(([key, col]) => [col, key]));
  const columns: Record<string, PgColumnBuilderBase> = {};
  for (const [key, col] of Object.entries(getTableColumns(source))) columns[key] = column(col as SQLiteColumn);
  for (const fk of config.foreignKeys) {
    const { columns: [local], foreignColumns: [foreign], foreignTable } = fk.reference();
    const key = keyOf.get(local!)!;
    const foreignKey = Object.entries(getTableColumns(foreignTable)).find(([, col]) => col === foreign)![0];
    columns[key] = (columns[key] as ReturnType<typeof bigint>).references(() => toPg(foreignTable)[foreignKey], { onDelete: fk.onDelete ?? 'no action' });
  }
  const table = pgTable(config.name, columns, (t) => {
    const pgColumn = (col: SQLiteColumn) => t[keyOf.get(col)!];
    return [
      ...config.primaryKeys.map((pk) => primaryKey({ columns: pk.columns.map((c) => pgColumn(c)) as never })),
      ...config.indexes.map((ix) => {
        const on = (ix.config.columns as SQLiteColumn[]).map((c) => pgColumn(c));
        const made = (ix.config.unique ? uniqueIndex(ix.config.name) : index(ix.config.name)).on(...(on as [never]));
        return ix.config.where ? made.where(ix.config.where as SQL) : made;
      }),
      ...config.checks.map((c) => check(c.name, c.value)),
    ];
  });
  derived.set(source, table);
  return table;
}

export const incidents = toPg(sqlite.incidents);
export const incidentRoles = toPg(sqlite.incidentRoles);
export const timelineEvents = toPg(sqlite.timelineEvents);
export const slackEvents = toPg(sqlite.slackEvents);
export const slackRequests = toPg(sqlite.slackRequests);
export const homeVisitors = toPg(sqlite.homeVisitors);
export const jobs = toPg(sqlite.jobs);
export const outbox = toPg(sqlite.outbox);
export const rotaOverrides = toPg(sqlite.rotaOverrides);
export const rotaSnapshots = toPg(sqlite.rotaSnapshots);
export const alertGroups = toPg(sqlite.alertGroups);
export const alerts = toPg(sqlite.alerts);
export const heartbeats = toPg(sqlite.heartbeats);
export const escalations = toPg(sqlite.escalations);
export const escalationSteps = toPg(sqlite.escalationSteps);
export const pages = toPg(sqlite.pages);
export const settings = toPg(sqlite.settings);
export const runbooks = toPg(sqlite.runbooks);
export const incidentRunbooks = toPg(sqlite.incidentRunbooks);
export const incidentSimilar = toPg(sqlite.incidentSimilar);
export const incidentSuggestions = toPg(sqlite.incidentSuggestions);
export const postmortems = toPg(sqlite.postmortems);
export const problems = toPg(sqlite.problems);
export const problemActions = toPg(sqlite.problemActions);
export const problemRecurrences = toPg(sqlite.problemRecurrences);
export const webhookDeliveries = toPg(sqlite.webhookDeliveries);
export const auditLog = toPg(sqlite.auditLog);
