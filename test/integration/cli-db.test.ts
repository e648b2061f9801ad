/** `npx klaxon audit`, `db backup` and `db check` on a real database written through the use cases. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { PG_MIGRATIONS } from '../../src/core/postgres.ts';
import { Scheduler } from '../../src/core/scheduler/index.ts';
import { declareIncident, DEFAULT_REMINDER_INTERVALS, incidentChanges } from '../../src/incidents/index.ts';
import { addTimelineEvent } from '../../src/timeline/index.ts';
import { FakeClock } from '../support/clock.ts';
import { testDatabase } from '../support/db.ts';
import { queryRows, scratchDatabase } from '../support/postgres.ts';

const NOW = Date.parse('2026-11-23T14:05:00Z');
let database: ReturnType<typeof testDatabase>;

beforeEach(async () => {
  database = testDatabase();
  const clock = new FakeClock(NOW);
  const deps = { db: database.db, clock, scheduler: new Scheduler({ db: database.db, clock, logger: silentLogger }), services: [], reminderIntervals: DEFAULT_REMINDER_INTERVALS, admins: ['U01ADMIN'], addTimelineEvent };
  await declareIncident(deps, { title: 'Checkout fails', severity: 'sev2', serviceId: null, summary: '', isPrivate: false }, 'U01ALICE', {});
  const changes = incidentChanges({ ...deps, requirePerson: () => Promise.resolve() });
  await expect(changes.resolve(1, 'Rolled back', 'U01BOB')).rejects.toThrow("Only INC-1's lead (<@U01ALICE>) or a Klaxon admin can resolve it.");
  await changes.changeSeverity(1, 'sev1', 'U01ADMIN', 'all cards');
  await changes.resolve(1, 'Rolled back', 'U01ALICE');
});
afterEach(() => database.remove());

/** How many migrations db/migrations-pg holds. */
const pgMigrations = (): number => (JSON.parse(readFileSync(join(PG_MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

const cli = (...argv: string[]) => runCli(argv, { KLAXON_DB: database.file, KLAXON_CONFIG: '/nonexistent.yml' }, NOW + 60_000);

describe('audit', () => {
  it('prints who did what, oldest first, and nothing that was refused', async () => {
    const result = await cli('audit');
    expect(result.code).toBe(0);
    expect(result.out.split('\n').map((line) => line.split(/\s{2,}/).slice(1, 4))).toEqual([
      ['U01ALICE', 'incident.declare', 'INC-1'],
      ['U01ADMIN', 'incident.severity', 'INC-1'],
      ['U01ALICE', 'incident.resolve', 'INC-1'],
    ]);
    const json = JSON.parse((await cli('audit', '--actor', 'U01ADMIN', '--json')).out) as { action: string; details: { from: string; to: string; text: string } }[];
    expect(json).toEqual([expect.objectContaining({ action: 'incident.severity', details: expect.objectContaining({ from: 'sev2', to: 'sev1', text: 'all cards' }) })]);
    expect((await cli('audit', '--subject', 'inc-2')).out).toContain('Nothing in the audit log since');
    expect((await cli('audit', '--actor', 'bob')).code).toBe(2);
  });
});

describe('db backup and db check', () => {
  it('copies the live database consistently and checks it', async () => {
    const target = join(database.file, '..', 'backup.db');
    expect(await cli('db', 'backup', target)).toEqual({ code: 0, out: expect.stringMatching(/backed up to .*backup\.db \(\d+ tables\)$/) });
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT title, status FROM incidents').all()).toEqual([{ title: 'Checkout fails', status: 'resolved' }]);
    copy.close();
    expect(await cli('db', 'check', target)).toEqual({ code: 0, out: `${target}: ok (integrity and foreign keys)` });
    expect(await cli('db', 'backup', target)).toEqual({ code: 1, out: `klaxon: ${target}: already exists; choose a new file name` });
  });

  it('reports rows that point at nothing', async () => {
    database.sqlite.pragma('foreign_keys = OFF');
    database.sqlite.prepare("INSERT INTO timeline_events (incident_id, kind, at, recorded_at) VALUES (99, 'note', 0, 0)").run();
    const result = await cli('db', 'check');
    expect(result.code).toBe(1);
    expect(result.out).toContain('1 problem');
    expect(result.out).toContain('timeline_events row');
    expect(existsSync(database.file)).toBe(true);
  });
});

describe('db copy', () => {
  it('refuses, in one line and keeping nothing, what it cannot copy', async () => {
    const existing = join(dirname(database.file), 'existing.db');
    await cli('db', 'backup', existing);
    expect(await cli('db', 'copy', database.file, existing)).toEqual({ code: 1, out: `klaxon: db copy: ${database.file} and ${existing} are both SQLite: db copy moves a database from SQLite to Postgres or back (for SQLite to SQLite, use db backup; for Postgres, pg_dump)` });
    expect(await cli('db', 'copy', join(dirname(database.file), 'missing.db'), 'postgres://klaxon:s3cret@127.0.0.1:1/x')).toEqual({ code: 1, out: `klaxon: db copy: ${join(dirname(database.file), 'missing.db')}: no such database file` });
    const unreachable = await cli('db', 'copy', database.file, 'postgres://klaxon:s3cret@127.0.0.1:1/klaxon');
    expect(unreachable.code).toBe(1);
    expect(unreachable.out).toMatch(/^klaxon: db copy: cannot open the Postgres database postgres:\/\/klaxon:\*\*\*@127\.0\.0\.1:1\/klaxon: [^\n]+$/);
    expect(await cli('db', 'copy', database.file)).toEqual({ code: 2, out: 'klaxon: db copy: missing <to>; see npx klaxon db copy --help' });

    // A file some migrations behind this build.
    const behind = new Database(existing);
    behind.prepare('delete from __drizzle_migrations where created_at = (select max(created_at) from __drizzle_migrations)').run();
    behind.close();
    expect(await cli('db', 'copy', existing, 'postgres://klaxon:s3cret@127.0.0.1:1/x')).toEqual({ code: 1, out: `klaxon: db copy: ${existing} is not up to date with this Klaxon: run KLAXON_DB=… npx klaxon db migrate on it first` });
  });

  it('db migrate prepares a Postgres database given as KLAXON_DB', async () => {
    const postgres = await scratchDatabase();
    try {
      const shown = postgres.url.replace(':klaxon@', ':***@');
      expect(await runCli(['db', 'migrate'], { KLAXON_DB: postgres.url })).toEqual({ code: 0, out: `${shown}: migrated` });
      expect(JSON.parse((await runCli(['db', 'migrate', '--json'], { KLAXON_DB: postgres.url })).out)).toEqual({ database: shown, migrations: pgMigrations() });
      expect(await countRows(postgres.url, 'incidents')).toBe(0);
    } finally {
      await postgres.drop();
    }
  });

  it('copies into an empty Postgres database only, and a copy Postgres cannot take keeps nothing', async () => {
    const postgres = await scratchDatabase();
    try {
      const first = await cli('db', 'copy', database.file, postgres.url);
      expect(first.code).toBe(0);
      const again = await cli('db', 'copy', database.file, postgres.url);
      expect(again).toEqual({ code: 1, out: expect.stringMatching(/^klaxon: db copy: postgres:\/\/klaxon:\*\*\*@[^ ]+ already holds Klaxon data: incidents \(1\), incident_roles \(1\), timeline_events \(3\), …; copy into an empty database$/) });

      const other = await scratchDatabase();
      try {
        // Postgres text cannot hold a NUL character; SQLite's can.
        const raw = new Database(database.file);
        raw.prepare("update timeline_events set text = 'before' || char(0) || 'after' where id = (select max(id) from timeline_events)").run();
        raw.close();
        const failed = await cli('db', 'copy', database.file, other.url);
        expect(failed.code).toBe(1);
        expect(failed.out).toMatch(/^klaxon: db copy: copying into postgres:\/\/klaxon:\*\*\*@\S+ failed, and nothing was kept: [^\n]+$/);
        const left = await countRows(other.url, 'incidents');
        expect(left).toBe(0);
      } finally {
        await other.drop();
      }
    } finally {
      await postgres.drop();
    }
  });
});

async function countRows(url: string, table: string): Promise<number> {
  return Number((await queryRows<{ n: string }>(url, `select count(*) as n from ${table}`))[0]!.n);
}
