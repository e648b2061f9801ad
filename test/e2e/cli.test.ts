/**
 * `npx klaxon …` as operators run it: each command's success, its failures with their exit codes, and its --json,
 * on a real database written through the use cases. Most cases call runCli in the test process; a few real
 * processes, run in parallel, check the exit codes and what goes to stdout and stderr. rota check, oncall and
 * page-trace are covered in cli-oncall.test.ts and test/unit/cli-oncall.test.ts, runbooks check in
 * test/unit/cli-runbooks.test.ts, and what all commands share in test/unit/cli/commands.test.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { openDatabase } from '../../src/core/db.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { Scheduler } from '../../src/core/scheduler/index.ts';
import { declareIncident, DEFAULT_REMINDER_INTERVALS, incidentChanges } from '../../src/incidents/index.ts';
import { addTimelineEvent } from '../../src/timeline/index.ts';
import { FakeClock } from '../support/clock.ts';
import { tempDir } from '../support/db.ts';
import { scratchDatabase } from '../support/postgres.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawn(command: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, command, { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', cwd: process.cwd() }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

const klaxon = (args: string[], env: Record<string, string>): Promise<Run> => spawn(['bin/klaxon.mjs', ...args], env);

const NOW = Date.parse('2026-11-23T14:05:00Z');
const GOOD_YML = 'services:\n  - id: payments\n    name: Payments\n';

/** One database for the read-only commands: INC-1 declared by Alice, its severity raised and resolved. */
let shared: ReturnType<typeof tempDir>;
let dbFile: string;
beforeAll(async () => {
  shared = tempDir();
  dbFile = join(shared.dir, 'klaxon.db');
  const database = openDatabase(dbFile);
  const clock = new FakeClock(NOW);
  const deps = { db: database.db, clock, scheduler: new Scheduler({ db: database.db, clock, logger: silentLogger }), services: [], reminderIntervals: DEFAULT_REMINDER_INTERVALS, admins: ['U01ADMIN'], addTimelineEvent };
  await declareIncident(deps, { title: 'Checkout fails', severity: 'sev2', serviceId: null, summary: '', isPrivate: false }, 'U01ALICE', {});
  const changes = incidentChanges({ ...deps, requirePerson: () => Promise.resolve() });
  await changes.changeSeverity(1, 'sev1', 'U01ADMIN', 'all cards');
  await changes.resolve(1, 'Rolled back', 'U01ALICE');
  database.close();
});
afterAll(() => shared.remove());

let tmp: ReturnType<typeof tempDir>;
beforeEach(async () => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const cli = (argv: string[], env: Record<string, string> = {}) => runCli(argv, { KLAXON_DB: dbFile, KLAXON_CONFIG: join(shared.dir, 'none.yml'), ...env }, NOW + 60_000);

/** A file that is not a database, which SQLite only finds out at the first query. */
function garbage(): string {
  const file = join(tmp.dir, 'garbage.db');
  writeFileSync(file, 'not a database, just text\n'.repeat(100));
  return file;
}

/** A migrated database with a timeline entry that points at no incident. */
function damaged(): string {
  const file = join(tmp.dir, 'damaged.db');
  const database = openDatabase(file);
  database.sqlite.pragma('foreign_keys = OFF');
  database.sqlite.prepare("INSERT INTO timeline_events (incident_id, kind, at, recorded_at) VALUES (99, 'note', 0, 0)").run();
  database.close();
  return file;
}

describe('db migrate', () => {
  it('creates the database with every table, says how many migrations it applied, and is idempotent', async () => {
    const file = join(tmp.dir, 'sub', 'klaxon.db');
    expect(await cli(['db', 'migrate'], { KLAXON_DB: file })).toEqual({ code: 0, out: `${file}: migrated` });
    const sqlite = new Database(file, { readonly: true });
    const tables = (sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((t) => t.name);
    const migrations = (sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
    sqlite.close();
    expect(tables).toEqual(expect.arrayContaining(['incidents', 'incident_roles', 'timeline_events', 'jobs', 'outbox', 'audit_log']));
    expect(migrations).toBeGreaterThan(0);
    expect(JSON.parse((await cli(['db', 'migrate', '--json'], { KLAXON_DB: file })).out)).toEqual({ file, created: false, applied: 0, migrations });
    const fresh = join(tmp.dir, 'fresh.db');
    expect(JSON.parse((await cli(['db', 'migrate', '--json'], { KLAXON_DB: fresh })).out)).toEqual({ file: fresh, created: true, applied: migrations, migrations });
  });

  it('exits 1 with one line for a file that is not a database or cannot be created', async () => {
    const file = garbage();
    expect(await cli(['db', 'migrate', '--json'], { KLAXON_DB: file })).toEqual({ code: 1, out: `klaxon: ${file}: cannot create or migrate the database (file is not a database)` });
    const inFile = join(file, 'klaxon.db');
    expect(await cli(['db', 'migrate'], { KLAXON_DB: inFile })).toMatchObject({ code: 1, out: expect.stringMatching(new RegExp(`^klaxon: ${escape(inFile)}: cannot create or migrate the database \\([^\\n]+\\)$`)) });
  });
});

describe('config check', () => {
  it('counts what a good file defines, from KLAXON_CONFIG or the file given, in text and JSON', async () => {
    const file = join(tmp.dir, 'klaxon.yml');
    writeFileSync(file, GOOD_YML);
    expect(await cli(['config', 'check'], { KLAXON_CONFIG: file })).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^${escape(file)}: ok \\(1 service, 0 schedules, 0 escalation policies\\)\n`)) });
    expect(await cli(['config', 'check', 'klaxon.example.yml'])).toMatchObject({ code: 0, out: expect.stringMatching(/^klaxon\.example\.yml: ok \(\d+ services?, \d+ schedules?, \d+ escalation polic(y|ies)\)\n/) });
    expect(JSON.parse((await cli(['config', 'check', file, '--json'])).out)).toEqual({ file, valid: true, ok: true, counts: { services: 1, schedules: 0, escalationPolicies: 0 }, warnings: [expect.objectContaining({ kind: 'nothing-pages' })] });
  });

  it('warns that an empty file, or one without escalation policies, will never page anyone; --strict fails on it', async () => {
    const file = join(tmp.dir, 'klaxon.yml');
    writeFileSync(file, '');
    expect(await cli(['config', 'check', file])).toEqual({
      code: 0,
      stdout: true,
      out: [
        `${file}: ok (0 services, 0 schedules, 0 escalation policies)`,
        '1 warning:',
        '  ! no services are defined, so no incident will ever page anyone: add services, each with an escalation_policy that pages a schedule or a person (klaxon.example.yml shows how)',
        '',
        'Warnings do not fail the check; --strict makes them.',
      ].join('\n'),
    });
    expect(await cli(['config', 'check', file, '--strict'])).toMatchObject({ code: 1, stdout: true, out: expect.stringMatching(/\nFailing: 1 warning and --strict\.$/) });
    writeFileSync(file, `${GOOD_YML}  - id: search\n    name: Search\nschedules:\n  - id: ops\n    rotation: { kind: daily, handoff: "09:00", start: 2026-01-05, participants: [U01ALICE] }\n`);
    expect(await cli(['config', 'check', file, '--strict'])).toEqual({
      code: 1,
      stdout: true,
      out: [
        `${file}: ok (2 services, 1 schedule, 0 escalation policies)`,
        '2 warnings:',
        '  ! no escalation policies are defined, so no incident will ever page anyone: add escalation_policies (who is paged, in which order) and give each service an escalation_policy (klaxon.example.yml shows how)',
        '  ! schedule ops is used by no escalation policy',
        '',
        'Failing: 2 warnings and --strict.',
      ].join('\n'),
    });
    expect(JSON.parse((await cli(['config', 'check', 'klaxon.example.yml', '--json', '--strict'])).out)).toMatchObject({
      ok: false,
      warnings: [
        { kind: 'service-without-policy', message: 'service search has no escalation policy: declaring an incident for it pages nobody' },
        { kind: 'integration-without-policy', message: 'integration prod-alertmanager: its alerts routed to search (team=search) page nobody: service search has no escalation policy' },
      ],
    });
  });

  it('exits 1 with file: path: reason for a bad file, and one line for a missing or unreadable one', async () => {
    const file = join(tmp.dir, 'klaxon.yml');
    writeFileSync(file, 'services:\n  - id: Payments API\n    name: Payments\n');
    expect(await cli(['config', 'check', file, '--json'])).toEqual({ code: 1, out: `klaxon: ${file}: services[0].id: must be lowercase letters, digits, "-" or "_"` });
    expect(await cli(['config', 'check', join(tmp.dir, 'missing.yml')])).toEqual({ code: 1, out: `klaxon: ${join(tmp.dir, 'missing.yml')}: not found` });
    expect(await cli(['config', 'check', tmp.dir])).toMatchObject({ code: 1, out: expect.stringMatching(new RegExp(`^klaxon: ${escape(tmp.dir)}: cannot read the file \\(EISDIR: [^\\n]+\\)$`)) });
  });
});

describe('db backup', () => {
  it('copies the live database and says so in text or JSON', async () => {
    const target = join(tmp.dir, 'backup.db');
    expect(await cli(['db', 'backup', target])).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^${escape(dbFile)}: backed up to ${escape(target)} \\(\\d+ tables\\)$`)) });
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT title, status FROM incidents').all()).toEqual([{ title: 'Checkout fails', status: 'resolved' }]);
    copy.close();
    const again = join(tmp.dir, 'again.db');
    const json = JSON.parse((await cli(['db', 'backup', again, '--json'])).out) as { database: string; backup: string; tables: number };
    expect(json).toEqual({ database: dbFile, backup: again, tables: expect.any(Number) });
    expect(json.tables).toBeGreaterThan(5);
  });

  it('exits 1 for a target that exists, a missing database and one that is not a database', async () => {
    const target = join(tmp.dir, 'taken.db');
    writeFileSync(target, '');
    expect(await cli(['db', 'backup', target])).toEqual({ code: 1, out: `klaxon: ${target}: already exists; choose a new file name` });
    const absent = join(tmp.dir, 'absent.db');
    expect(await cli(['db', 'backup', join(tmp.dir, 'b.db'), '--json'], { KLAXON_DB: absent })).toEqual({ code: 1, out: `klaxon: ${absent}: no database (set KLAXON_DB)` });
    const file = garbage();
    expect(await cli(['db', 'backup', join(tmp.dir, 'c.db')], { KLAXON_DB: file })).toEqual({ code: 1, out: `klaxon: ${file}: backup to ${join(tmp.dir, 'c.db')} failed (file is not a database)` });
    expect(existsSync(join(tmp.dir, 'b.db'))).toBe(false);
  });
});

describe('db check', () => {
  it('passes a sound database, in text and JSON', async () => {
    expect(await cli(['db', 'check'])).toEqual({ code: 0, out: `${dbFile}: ok (integrity and foreign keys)` });
    expect(JSON.parse((await cli(['db', 'check', dbFile, '--json'])).out)).toEqual({ file: dbFile, ok: true, problems: [] });
  });

  it('lists rows that point at nothing on stdout with exit 1, and exits 1 in one line for a file it cannot check', async () => {
    const file = damaged();
    expect(await cli(['db', 'check', file])).toEqual({ code: 1, stdout: true, out: `${file}: 1 problem\n  timeline_events row 1 refers to a missing incidents row` });
    expect(await cli(['db', 'check', file, '--json'])).toMatchObject({ code: 1, stdout: true });
    expect(JSON.parse((await cli(['db', 'check', file, '--json'])).out)).toEqual({ file, ok: false, problems: [{ kind: 'foreign-key', message: 'timeline_events row 1 refers to a missing incidents row' }] });
    const bad = garbage();
    expect(await cli(['db', 'check', bad, '--json'])).toEqual({ code: 1, out: `klaxon: ${bad}: cannot read the database (file is not a database)` });
    expect(await cli(['db', 'check', join(tmp.dir, 'absent.db')])).toEqual({ code: 1, out: `klaxon: ${join(tmp.dir, 'absent.db')}: no database (set KLAXON_DB or pass the file)` });
  });
});

describe('audit', () => {
  it('prints who did what, oldest first, in text and as JSON', async () => {
    const run = await cli(['audit']);
    expect(run.code).toBe(0);
    // The columns up to the subject; the details are whatever each use case records.
    expect(run.out.split('\n').map((line) => line.slice(0, line.indexOf('INC-1') + 'INC-1'.length))).toEqual([
      'Mon 23 Nov 2026 14:05 UTC  U01ALICE     incident.declare          INC-1',
      'Mon 23 Nov 2026 14:05 UTC  U01ADMIN     incident.severity         INC-1',
      'Mon 23 Nov 2026 14:05 UTC  U01ALICE     incident.resolve          INC-1',
    ]);
    expect(run.out.split('\n')[1]).toMatch(/ {5}\{.*"text":"all cards".*\}$/);
    const json = JSON.parse((await cli(['audit', '--actor', 'U01ALICE', '--json'])).out) as { at: string; actorId: string; action: string; subject: string }[];
    expect(json.map((r) => [r.at, r.actorId, r.action, r.subject])).toEqual([
      ['2026-11-23T14:05:00.000Z', 'U01ALICE', 'incident.declare', 'INC-1'],
      ['2026-11-23T14:05:00.000Z', 'U01ALICE', 'incident.resolve', 'INC-1'],
    ]);
    expect(await cli(['audit', '--since', '2026-11-23T14:06Z'])).toEqual({ code: 0, out: 'Nothing in the audit log since Mon 23 Nov 2026 14:06 UTC.' });
    expect(JSON.parse((await cli(['audit', '--subject', 'inc-2', '--json'])).out)).toEqual([]);
  });

  it('exits 1 without a database or with one never migrated, and 2 for a bad --since', async () => {
    const absent = join(tmp.dir, 'absent.db');
    expect(await cli(['audit', '--json'], { KLAXON_DB: absent })).toEqual({ code: 1, out: `klaxon: ${absent}: no database (set KLAXON_DB)` });
    const empty = join(tmp.dir, 'empty.db');
    writeFileSync(empty, '');
    expect(await cli(['audit'], { KLAXON_DB: empty })).toEqual({ code: 1, out: `klaxon: ${empty}: cannot read the database (no such table: audit_log); run npx klaxon db migrate on it` });
    expect(await cli(['audit', '--since', 'last week'])).toEqual({ code: 2, out: 'klaxon: audit: --since "last week" is not a length such as 7d, 24h or 90m, nor a time such as 2026-11-01T00:00 (local time in UTC) or 2026-11-01T00:00Z; see npx klaxon audit --help' });
  });
});

describe('export', () => {
  it('prints the timeline as Markdown, or writes it to a file', async () => {
    const run = await cli(['export', 'INC-1']);
    expect(run.code).toBe(0);
    expect(run.out.split('\n').slice(0, 4)).toEqual(['# INC-1: Checkout fails', '', '- Severity: SEV1 Critical', '- Status: Resolved']);
    const out = join(tmp.dir, 'inc-1.md');
    expect(await cli(['export', 'INC-1', '--out', out])).toEqual({ code: 0, out: expect.stringMatching(new RegExp(`^INC-1: written to ${escape(out)} \\(md, \\d+ timeline entries\\)$`)) });
    expect(readFileSync(out, 'utf8').trimEnd()).toBe(run.out);
  });

  it('--json is --format json, and contradicting --format is a usage error', async () => {
    const json = await cli(['export', 'INC-1', '--json']);
    expect(json.code).toBe(0);
    expect(json.out).toBe((await cli(['export', 'INC-1', '--format', 'json'])).out);
    expect(json.out).toBe((await cli(['export', 'INC-1', '--format=json', '--json'])).out);
    const record = JSON.parse(json.out) as { incident: { ref: string; title: string; severity: string; status: string }; timeline: { kind: string }[]; postmortem: unknown; problems: unknown[] };
    expect(record.incident).toMatchObject({ ref: 'INC-1', title: 'Checkout fails', severity: 'sev1', status: 'resolved' });
    expect(record.timeline.length).toBeGreaterThan(0);
    expect(record).toMatchObject({ postmortem: null, problems: [] });
    expect(await cli(['export', 'INC-1', '--json', '--format', 'html'])).toEqual({ code: 2, out: 'klaxon: export: --json is --format json, which contradicts --format html; see npx klaxon export --help' });
  });

  it('exits 1 for an incident that is not there, a missing database and a file it cannot write', async () => {
    expect(await cli(['export', 'INC-9', '--json'])).toEqual({ code: 1, out: `klaxon: export: there is no INC-9 in ${dbFile}` });
    expect(await cli(['export', 'INC-1'], { KLAXON_DB: join(tmp.dir, 'absent.db') })).toEqual({ code: 1, out: `klaxon: ${join(tmp.dir, 'absent.db')}: no database (set KLAXON_DB)` });
    const dir = join(tmp.dir, 'a-directory');
    mkdirSync(dir);
    expect(await cli(['export', 'INC-1', '--out', dir])).toMatchObject({ code: 1, out: expect.stringMatching(new RegExp(`^klaxon: ${escape(dir)}: cannot write the export \\(EISDIR: [^\\n]+\\)$`)) });
    expect(await cli(['export', 'INC-1', '--tz', 'Mars/Olympus'])).toEqual({ code: 2, out: 'klaxon: export: unknown time zone "Mars/Olympus"; see npx klaxon export --help' });
  });
});

describe('the klaxon process', () => {
  it('prints results on stdout, errors as one line on stderr, and exits 0, 1 or 2', async () => {
    const created = join(tmp.dir, 'created.db');
    const badYml = join(tmp.dir, 'bad.yml');
    writeFileSync(badYml, 'services:\n  - id: Payments API\n    name: Payments\n');
    const file = damaged();
    const [migrate, checked, badConfig, usage] = await Promise.all([
      klaxon(['db', 'migrate'], { KLAXON_DB: created }),
      klaxon(['db', 'check', file, '--json'], {}),
      klaxon(['config', 'check', '--json'], { KLAXON_CONFIG: badYml }),
      klaxon(['db', 'backup'], {}),
    ]);
    expect(migrate).toEqual({ code: 0, stdout: `${created}: migrated\n`, stderr: '' });
    expect(existsSync(created)).toBe(true);
    // A report whose verdict is the exit code stays on stdout.
    expect(checked).toMatchObject({ code: 1, stderr: '' });
    expect(JSON.parse(checked.stdout)).toMatchObject({ ok: false, problems: [{ kind: 'foreign-key' }] });
    expect(badConfig).toEqual({ code: 1, stdout: '', stderr: `klaxon: ${badYml}: services[0].id: must be lowercase letters, digits, "-" or "_"\n` });
    expect(usage).toEqual({ code: 2, stdout: '', stderr: 'klaxon: db backup: missing <file>; see npx klaxon db backup --help\n' });
  });
});

describe('the klaxon process on a Postgres KLAXON_DB', () => {
  it('migrates, reads, refuses in one line on stderr, and exits once done (its connections closed)', async () => {
    const postgres = await scratchDatabase();
    try {
      const shown = postgres.url.replace(':klaxon@', ':***@');
      const env = { KLAXON_DB: postgres.url, KLAXON_CONFIG: join(shared.dir, 'none.yml') };
      expect(await klaxon(['db', 'migrate'], env)).toEqual({ code: 0, stdout: `${shown}: migrated\n`, stderr: '' });
      const backup = join(tmp.dir, 'backup.db');
      const [audit, checked, backedUp, unreachable] = await Promise.all([
        klaxon(['audit', '--json'], env),
        klaxon(['db', 'check'], env),
        klaxon(['db', 'backup', backup], env),
        klaxon(['stats'], { ...env, KLAXON_DB: 'postgres://klaxon:s3cret@127.0.0.1:1/klaxon' }),
      ]);
      expect(audit).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
      expect(checked).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^${escape(shown)}: ok \\(all \\d+ migrations applied; Postgres enforces integrity and foreign keys itself\\)\n$`)), stderr: '' });
      expect(backedUp).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^klaxon: db backup: KLAXON_DB is Postgres \(postgres:\/\/klaxon:\*\*\*@[^)]+\) and db backup copies a SQLite file: back Postgres up with pg_dump, [^\n]+\n$/) });
      expect(existsSync(backup)).toBe(false);
      expect(unreachable).toEqual({ code: 1, stdout: '', stderr: 'klaxon: postgres://klaxon:***@127.0.0.1:1/klaxon: cannot connect to the database (connect ECONNREFUSED 127.0.0.1:1); check KLAXON_DB and that the Postgres server is running\n' });
    } finally {
      await postgres.drop();
    }
  });
});

describe('npm start', () => {
  it('stops with one clear line when SLACK_BOT_TOKEN is missing or a variable is malformed', async () => {
    const start = (env: Record<string, string>) => spawn(['dist/main.js'], env);
    const file = join(tmp.dir, 'klaxon.yml');
    writeFileSync(file, 'services:\n  - id: payments\n    name: Payments\n    escalation_policy: nope\n');
    const [missing, badPort, badFile] = await Promise.all([
      start({}),
      start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: 'abc' }),
      start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', KLAXON_CONFIG: file, KLAXON_DB: join(tmp.dir, 'k.db') }),
    ]);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'klaxon: SLACK_BOT_TOKEN is not set: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) in .env or the environment (.env.example lists every variable), or try Klaxon without Slack: npm run demo\n',
    });
    expect(badPort).toMatchObject({ code: 1, stderr: 'klaxon: PORT must be a whole number from 0 to 65535 (got "abc")\n' });
    expect(badFile).toMatchObject({ code: 1, stderr: `klaxon: ${file}: services[0].escalation_policy: unknown escalation policy "nope" (none are defined)\n` });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
