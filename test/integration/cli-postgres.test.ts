/**
 * The operator CLI on a Postgres KLAXON_DB: the same incident, written through the use cases into a SQLite file
 * and into a scratch Postgres database, reads the same through audit, export, stats, oncall and page-trace; and
 * on Postgres, every database the commands cannot read (unreachable, never migrated, behind or ahead of this
 * build) is one line naming it with its password shown as ***, exit 1. db backup points at pg_dump (exit 2),
 * db check reports how far the schema is migrated, and no command leaves a connection open.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openKlaxonDatabase } from '../../src/core/open-database.ts';
import { Scheduler } from '../../src/core/scheduler/index.ts';
import { declareIncident, DEFAULT_REMINDER_INTERVALS, incidentChanges } from '../../src/incidents/index.ts';
import { insertOverride } from '../../src/rotas/store.ts';
import { addNote, addTimelineEvent } from '../../src/timeline/index.ts';
import { FakeClock } from '../support/clock.ts';
import { tempDir } from '../support/db.ts';
import { queryRows, scratchDatabase, type ScratchDatabase } from '../support/postgres.ts';

const DECLARED = Date.parse('2026-11-23T14:05:00Z');
const NOW = DECLARED + 3_600_000;
const ENGINES = ['sqlite', 'postgres'] as const;
type Engine = (typeof ENGINES)[number];

const CONFIG = `timezone: Europe/London
services:
  - { id: payments, name: Payments API, escalation_policy: payments }
schedules:
  - id: primary
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-01-05, participants: [U01ALICE, U01BOB, U01CAROL] }
escalation_policies:
  - id: payments
    levels:
      - { targets: [schedule:primary], timeout: 5m }
      - { targets: [user:U01MANAGER], timeout: 10m }
`;

const UNREACHABLE = 'postgres://klaxon:s3cret@127.0.0.1:1/klaxon';
const UNREACHABLE_SHOWN = 'postgres://klaxon:***@127.0.0.1:1/klaxon';
const KNOWN_MIGRATIONS = (JSON.parse(readFileSync('db/migrations-pg/meta/_journal.json', 'utf8')) as { entries: unknown[] }).entries.length;

let tmp: ReturnType<typeof tempDir>;
let configFile: string;
let postgres: ScratchDatabase;
const targets = {} as Record<Engine, string>;
const shown = (url: string): string => url.replace(':klaxon@', ':***@');

/** INC-1 on payments: declared by Alice, raised to sev1 by an admin, a note, identified, resolved; Dave covers the primary schedule from Slack. */
async function writeStory(target: string): Promise<void> {
  const database = await openKlaxonDatabase(target);
  try {
    const clock = new FakeClock(DECLARED);
    const scheduler = new Scheduler({ db: database.db, clock, logger: silentLogger });
    const deps = { db: database.db, clock, scheduler, services: [{ id: 'payments', name: 'Payments API', runbook_tags: [] }], reminderIntervals: DEFAULT_REMINDER_INTERVALS, admins: ['U01ADMIN'], addTimelineEvent };
    await declareIncident(deps, { title: 'Checkout returns 502', severity: 'sev2', serviceId: 'payments', summary: '', isPrivate: false }, 'U01ALICE', {});
    const changes = incidentChanges({ ...deps, requirePerson: () => Promise.resolve() });
    await changes.changeSeverity(1, 'sev1', 'U01ADMIN', 'all cards');
    await clock.advance(10 * 60_000);
    await addNote(deps, 1, 'Error rate 40%', 'U01BOB');
    await clock.advance(5 * 60_000);
    await changes.changeStatus(1, 'identified', 'U01ALICE', 'bad deploy');
    await clock.advance(20 * 60_000);
    await changes.resolve(1, 'Rolled back 4.2', 'U01ALICE');
    await insertOverride(database.db, { scheduleId: 'primary', userId: 'U01DAVE', fromAt: Date.parse('2026-11-23T09:00:00Z'), toAt: Date.parse('2026-11-23T17:00:00Z'), createdBy: 'U01BOB', createdAt: DECLARED });
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  tmp = tempDir();
  configFile = join(tmp.dir, 'klaxon.yml');
  writeFileSync(configFile, CONFIG);
  postgres = await scratchDatabase();
  targets.sqlite = join(tmp.dir, 'klaxon.db');
  targets.postgres = postgres.url;
  await Promise.all(ENGINES.map((engine) => writeStory(targets[engine])));
});
afterAll(async () => {
  await postgres?.drop();
  tmp?.remove();
});

const cli = (db: string, ...argv: string[]) => runCli(argv, { KLAXON_DB: db, KLAXON_CONFIG: configFile }, NOW);

describe.each(ENGINES)('the read-only commands on %s', (engine) => {
  const on = (...argv: string[]) => cli(targets[engine], ...argv);

  it('audit prints who did what, oldest first', async () => {
    const run = await on('audit');
    expect(run.code).toBe(0);
    expect(run.out.split('\n').map((line) => line.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['Mon 23 Nov 2026 14:05 GMT', 'U01ALICE', 'incident.declare', 'INC-1'],
      ['Mon 23 Nov 2026 14:05 GMT', 'U01ADMIN', 'incident.severity', 'INC-1'],
      ['Mon 23 Nov 2026 14:20 GMT', 'U01ALICE', 'incident.status', 'INC-1'],
      ['Mon 23 Nov 2026 14:40 GMT', 'U01ALICE', 'incident.resolve', 'INC-1'],
    ]);
    expect(JSON.parse((await on('audit', '--actor', 'U01ADMIN', '--json')).out)).toEqual([expect.objectContaining({ at: '2026-11-23T14:05:00.000Z', action: 'incident.severity', details: expect.objectContaining({ from: 'sev2', to: 'sev1', text: 'all cards' }) })]);
  });

  it('export writes the incident and its timeline', async () => {
    const run = await on('export', 'INC-1');
    expect(run.code).toBe(0);
    expect(run.out.split('\n').slice(0, 4)).toEqual(['# INC-1: Checkout returns 502', '', '- Severity: SEV1 Critical', '- Status: Resolved']);
    expect(run.out.split('\n').filter((line) => /^\| 14:/.test(line))).toEqual([
      '| 14:05 | @U01ALICE | Declared | Checkout returns 502 |',
      '| 14:05 | @U01ADMIN | Severity | SEV2 Major → SEV1 Critical: all cards |',
      '| 14:15 | @U01BOB | Note | Error rate 40% |',
      '| 14:20 | @U01ALICE | Status | Investigating → Identified: bad deploy |',
      '| 14:40 | @U01ALICE | Resolved | Rolled back 4.2 |',
    ]);
    const name = engine === 'postgres' ? shown(targets.postgres) : targets.sqlite;
    expect(await on('export', 'INC-7')).toEqual({ code: 1, out: `klaxon: export: there is no INC-7 in ${name}` });
  });

  it('stats counts the resolved incident', async () => {
    const run = await on('stats', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as { incidents: { total: number }; mttr: { count: number; medianMs: number } };
    expect(report.incidents.total).toBe(1);
    expect(report.mttr).toMatchObject({ count: 1, medianMs: 35 * 60_000 });
    expect((await on('stats')).out).toMatch(/^Incidents +1$/m);
  });

  it('oncall and page-trace include the override made in Slack', async () => {
    const run = await on('oncall', 'payments', '--at', '2026-11-23T14:30Z');
    expect(run).toMatchObject({ code: 0 });
    expect(run.out.split('\n').slice(0, 5)).toEqual([
      'On call at Mon 23 Nov 2026 14:30 GMT (including 1 override made in Slack)',
      '',
      'payments (Payments API): escalation policy payments, no repeat',
      '  level 1 (5m)   schedule:primary  U01DAVE     covering (override made in Slack) until Mon 23 Nov 17:00 GMT, then U01BOB',
      '  level 2 (10m)  user:U01MANAGER   U01MANAGER',
    ]);
    const trace = JSON.parse((await on('page-trace', 'payments', '--at', '2026-11-23T14:30Z', '--json')).out) as { slackOverrides: number; steps: { targets: { userIds: string[] }[] }[] };
    expect(trace.slackOverrides).toBe(1);
    expect(trace.steps.map((s) => s.targets.flatMap((t) => t.userIds).join(', '))).toEqual(['U01DAVE', 'U01MANAGER']);
  });
});

describe('the same answers from both engines', () => {
  it.each([
    ['audit', '--json'],
    ['export', 'INC-1', '--format', 'json'],
    ['export', 'INC-1'],
    ['stats', '--json', '--period', '90d'],
    ['oncall', '--at', '2026-11-23T16:59Z', '--json'],
    ['page-trace', 'payments', '--at', '2026-11-23T14:30Z'],
  ])('%s %s', async (...argv) => {
    const [sqlite, postgresRun] = await Promise.all([cli(targets.sqlite, ...argv), cli(targets.postgres, ...argv)]);
    expect(sqlite.code).toBe(0);
    expect(postgresRun).toEqual(sqlite);
  });
});

describe('a Postgres database the commands cannot read', () => {
  it('unreachable: one line naming it, password hidden, saying what to check; exit 1', async () => {
    const refused = `klaxon: ${UNREACHABLE_SHOWN}: cannot connect to the database (connect ECONNREFUSED 127.0.0.1:1); check KLAXON_DB and that the Postgres server is running`;
    for (const argv of [['audit'], ['export', 'INC-1'], ['stats'], ['db', 'check']]) expect(await cli(UNREACHABLE, ...argv)).toEqual({ code: 1, out: refused });
    expect(await cli(UNREACHABLE, 'oncall')).toEqual({ code: 1, out: `${refused}, or pass --no-db to leave them out` });
    expect(await cli(UNREACHABLE, 'page-trace', 'payments')).toEqual({ code: 1, out: `${refused}, or pass --no-db to leave them out` });
    expect((await cli(UNREACHABLE, 'oncall', '--no-db')).code).toBe(0);
    expect(await cli(targets.sqlite, 'db', 'check', UNREACHABLE)).toEqual({ code: 1, out: refused.replace('check KLAXON_DB', 'check the URL given') });
    const missing = new URL(postgres.url);
    missing.pathname = `/${postgres.name}_missing`;
    expect(await cli(missing.toString(), 'audit')).toEqual({
      code: 1,
      out: `klaxon: ${shown(missing.toString())}: cannot connect to the database (database "${postgres.name}_missing" does not exist); check KLAXON_DB, or create the database and run npx klaxon db migrate on it`,
    });
  });

  it('never migrated, then migrated, behind this build, ahead of it, or missing a table: each one line, and db check says how far it is migrated', async () => {
    const scratch = await scratchDatabase();
    try {
      const name = shown(scratch.url);
      const notMigrated = `klaxon: ${name}: cannot read the database (no Klaxon migrations applied); run npx klaxon db migrate on it`;
      expect(await cli(scratch.url, 'audit')).toEqual({ code: 1, out: notMigrated });
      expect(await cli(scratch.url, 'stats')).toEqual({ code: 1, out: notMigrated });
      expect(await cli(scratch.url, 'oncall')).toEqual({ code: 1, out: `klaxon: ${name}: cannot read the overrides made in Slack (no Klaxon migrations applied); run npx klaxon db migrate on it, or pass --no-db to leave them out` });
      expect(await cli(scratch.url, 'db', 'check')).toEqual({ code: 1, stdout: true, out: `${name}: 1 problem\n  no Klaxon migrations applied; run npx klaxon db migrate on it` });
      // Read without migrating: still nothing there.
      expect(await queryRows(scratch.url, "select to_regclass('drizzle.__drizzle_migrations')::text as name")).toEqual([{ name: null }]);

      expect(await cli(scratch.url, 'db', 'migrate')).toEqual({ code: 0, out: `${name}: migrated` });
      expect(await cli(scratch.url, 'db', 'check')).toEqual({ code: 0, out: `${name}: ok (all ${KNOWN_MIGRATIONS} migrations applied; Postgres enforces integrity and foreign keys itself)` });
      expect(JSON.parse((await cli(targets.sqlite, 'db', 'check', scratch.url, '--json')).out)).toEqual({ database: name, ok: true, migrations: { applied: KNOWN_MIGRATIONS, known: KNOWN_MIGRATIONS }, problems: [] });
      expect(await cli(scratch.url, 'audit')).toEqual({ code: 0, out: 'Nothing in the audit log since Mon 16 Nov 2026 15:05 GMT.' });
      expect(await cli(scratch.url, 'export', 'INC-1')).toEqual({ code: 1, out: `klaxon: export: there is no INC-1 in ${name}` });

      const [last] = await queryRows<{ hash: string; created_at: string }>(scratch.url, 'delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations) returning hash, created_at');
      const behind = KNOWN_MIGRATIONS > 1 ? `migrated by an older Klaxon: ${KNOWN_MIGRATIONS - 1} of the ${KNOWN_MIGRATIONS} migrations this one knows are applied` : 'no Klaxon migrations applied';
      expect(await cli(scratch.url, 'export', 'INC-1')).toEqual({ code: 1, out: `klaxon: ${name}: cannot read the database (${behind}); run npx klaxon db migrate on it` });
      expect(JSON.parse((await cli(scratch.url, 'db', 'check', '--json')).out)).toMatchObject({ ok: false, migrations: { applied: KNOWN_MIGRATIONS - 1, known: KNOWN_MIGRATIONS }, problems: [{ kind: 'migration', message: `${behind}; run npx klaxon db migrate on it` }] });
      // Applying the missing migration again fails here (its functions exist): one line, whatever Postgres said.
      expect(await cli(scratch.url, 'db', 'migrate')).toEqual({ code: 1, out: expect.stringMatching(new RegExp(`^klaxon: ${escape(name)}: cannot migrate the database \\([^\\n]+\\); check KLAXON_DB, and that the Postgres server is running and the database exists$`)) });
      await queryRows(scratch.url, `insert into drizzle.__drizzle_migrations (hash, created_at) values ('${last!.hash}', ${last!.created_at})`);
      expect((await cli(scratch.url, 'db', 'check')).code).toBe(0);

      await queryRows(scratch.url, 'drop table audit_log');
      expect(await cli(scratch.url, 'audit')).toEqual({ code: 1, out: `klaxon: ${name}: cannot read the database (relation "audit_log" does not exist); run npx klaxon db migrate on it` });

      await queryRows(scratch.url, "insert into drizzle.__drizzle_migrations (hash, created_at) values ('from a newer Klaxon', 4102444800000)");
      for (const argv of [['stats'], ['db', 'check'], ['oncall']]) {
        expect(await cli(scratch.url, ...argv)).toEqual({ code: 1, out: expect.stringMatching(new RegExp(`^klaxon: ${escape(name)} was migrated by a newer Klaxon \\(its last migration is from 2100-01-01T00:00:00\\.000Z, [^\\n]+\\): start the newer version, or restore a backup made for this one$`)) });
      }
      // Every command closed its connections.
      expect(await klaxonConnections(scratch)).toBe(0);
    } finally {
      await scratch.drop();
    }
  });
});

describe('db backup on Postgres', () => {
  it('points at pg_dump or db copy, exit 2, and writes nothing', async () => {
    const target = join(tmp.dir, 'backup.db');
    expect(await cli(targets.postgres, 'db', 'backup', target)).toEqual({
      code: 2,
      out: `klaxon: db backup: KLAXON_DB is Postgres (${shown(targets.postgres)}) and db backup copies a SQLite file: back Postgres up with pg_dump, or write a SQLite copy with npx klaxon db copy "$KLAXON_DB" ${target}`,
    });
    expect(await cli(targets.sqlite, 'db', 'backup', UNREACHABLE)).toEqual({ code: 2, out: `klaxon: db backup: ${UNREACHABLE_SHOWN} is a Postgres URL, and db backup writes a SQLite file: to copy a database into Postgres, use npx klaxon db copy` });
    expect(existsSync(target)).toBe(false);
    expect((await cli(targets.postgres, 'db', 'backup', '--help')).out).toContain('back Postgres up with\npg_dump');
  });
});

/** Connections Klaxon's pools hold to the database, once those just closed have gone (the server notices within moments). */
async function klaxonConnections(scratch: ScratchDatabase): Promise<number> {
  const count = async () => Number((await queryRows<{ n: string }>(scratch.url, `select count(*) as n from pg_stat_activity where datname = '${scratch.name}' and application_name = 'klaxon'`))[0]!.n);
  for (let tries = 0; tries < 20; tries++) {
    if ((await count()) === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return count();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
