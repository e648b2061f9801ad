/**
 * `npm run demo -- --once`, the smoke test of the whole product: a real Klaxon against the simulated Slack plays
 * an incident from declaration to problem ticket, prints what each person saw, and leaves the post-mortem. Then
 * the same on an empty Postgres database (`--db`), and the refusal of a database that already holds data.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { tempDir } from '../support/db.ts';
import { queryRows, scratchDatabase, type ScratchDatabase } from '../support/postgres.ts';

const MINUTE = 60_000;

let tmp: ReturnType<typeof tempDir>;
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let run: Run;
/** Real time when the demo was started and when it had exited. */
let started: number;
let ended: number;

beforeAll(async () => {
  tmp = tempDir();
  started = Date.now();
  run = await demo(['--output', tmp.dir]);
  ended = Date.now();
}, 90_000);

/** `npm run demo -- --once …` on free ports, with nothing in the environment but PATH and `env`. */
function demo(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts', '--once', '--port', '0', '--sim-port', '0', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
afterAll(() => tmp.remove());

describe('npm run demo -- --once', () => {
  it('plays the incident from declaration to problem ticket and exits 0', async () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('prints what each person saw, in the order cause and effect impose', async () => {
    const out = run.stdout;
    // Jobs started by the same step run side by side (the channel's set-up and the page, say), so only steps
    // that follow from each other have a fixed order; the rest is checked within the step that caused it.
    const steps = out.split(/\n\d\d:\d\d {2}── /);
    const step = (start: RegExp): string => steps.find((s) => start.test(s)) ?? '';
    const declared = step(/^Card payments start failing/);
    expect(declared).toMatch(/alice: \/incident declare sev1 payments Card payments failing at checkout/);
    expect(declared).toMatch(/Klaxon \(only alice sees this\): 🚨 \*INC-1\* declared/);
    expect(declared).toMatch(/#inc-1-card-payments-fa… +Klaxon: created the channel/);
    expect(declared).toMatch(/Klaxon: 📖 \*Runbooks that may help\*\n +\*Payments API 5xx spike/);
    expect(declared).toMatch(/#incidents +Klaxon: 🚨 \*INC-1 declared\*/);
    expect(declared).toMatch(/DM with \w+ +Klaxon: 🚨 \*You are paged for INC-1: Card payments failing at checkout\*\n.*level 1/);
    const firstPaged = /DM with (\w+) +Klaxon: 🚨 \*You are paged/.exec(declared)![1];
    const escalated = step(/^5 minutes pass\./);
    expect(escalated).toMatch(new RegExp(`^5 minutes pass\\. ${firstPaged} does not answer the page\\.`));
    expect(escalated).toMatch(new RegExp(`DM with ${firstPaged} +Klaxon: \\(edited\\) ⏫ Not acknowledged in time: escalated to level 2`));
    expect(escalated).toMatch(/DM with maya +Klaxon: 🚨 \*You are paged for INC-1.*\n.*level 2/);
    const acknowledged = step(/^The page escalates\./);
    const acknowledger = /(\w+): clicked "Acknowledge"/.exec(acknowledged)![1]!;
    expect(acknowledger).not.toBe(firstPaged);
    expect(acknowledged).toContain(`Klaxon (only ${acknowledger} sees this): ✅ You acknowledged INC-1`);
    expect(acknowledged).toMatch(new RegExp(`alice: /incident lead @${acknowledger}`));
    expect(acknowledged).toMatch(/\/incident note Card authorisations time out/);
    expect(acknowledged).toContain('Added to the timeline of INC-1.');
    expect(step(/^4 minutes pass\./)).toMatch(/INC-1 is now \*identified\*[\s\S]*Update on INC-1/);
    expect(step(/^6 minutes pass\./)).toMatch(/INC-1 is now \*monitoring\*/);
    const resolved = step(/^\w+ resolves the incident/);
    expect(resolved).toMatch(new RegExp(`${acknowledger}: clicked "Resolve"[\\s\\S]*opened “Resolve INC-1”[\\s\\S]*submitted "Resolve INC-1"[\\s\\S]*✅ \\*INC-1 resolved\\* by @${acknowledger}`));
    const postmortem = step(/^60 minutes pass\./);
    expect(postmortem).toMatch(/opened “Post-mortem”[\s\S]*submitted "Post-mortem"/);
    expect(postmortem).toMatch(/DM with alice +Klaxon: 📋 You own \*PRB-1\*/);
    expect(postmortem).toMatch(/shared “Post-mortem INC-1: Card payments failing at checkout”/);
    const checked = step(/^alice checks the follow-up work/);
    expect(checked).toMatch(/alice: \/incident problems mine\n.*Klaxon \(only alice sees this\): \*Your open problem tickets\* \(1\)/);
    expect(out).toMatch(/Post-mortem: +http:\/\/127\.0\.0\.1:\d+\/postmortems\/INC-1/);
    expect(out).toMatch(/Problem ticket: +PRB-1, owned by alice/);
  });

  it('leaves the transcript, the post-mortem, the database and the log under the output directory', async () => {
    const transcript = readFileSync(join(tmp.dir, 'transcript.txt'), 'utf8');
    expect(run.stdout).toContain(transcript.trim());
    const markdown = readFileSync(join(tmp.dir, 'INC-1-postmortem.md'), 'utf8');
    expect(markdown).toMatch(/^# Post-mortem: INC-1/m);
    expect(markdown).toContain('Load tests are skipped for changes marked as configuration');
    expect(markdown).toContain('Run load tests on every release, configuration changes included');
    const html = readFileSync(join(tmp.dir, 'INC-1-postmortem.html'), 'utf8');
    expect(html).toContain('Card payments failing at checkout');
    expect(html).toContain('<style>');
    expect(html).not.toContain('<link rel="stylesheet"');
    const db = new Database(join(tmp.dir, 'klaxon.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT status, severity, service_id AS service, acknowledged_at IS NOT NULL AS acknowledged FROM incidents').all()).toEqual([{ status: 'resolved', severity: 'sev1', service: 'payments', acknowledged: 1 }]);
      expect(db.prepare("SELECT count(*) AS n FROM escalation_steps WHERE status = 'escalated'").get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT owner_id AS owner, status FROM problems').all()).toEqual([{ owner: 'U01ALICE', status: 'open' }]);
      expect(db.prepare("SELECT count(*) AS n FROM jobs WHERE status = 'failed'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    const log = readFileSync(join(tmp.dir, 'klaxon.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(log.some((l) => l.msg === 'klaxon is listening')).toBe(true);
    expect(log.filter((l) => l.level === 'error')).toEqual([]);
    expect(existsSync(join(tmp.dir, 'klaxon.db'))).toBe(true);
  });

  it('plays the scripted incident in the past hour and a half, so that it ends at real time and nothing is stamped later', async () => {
    const db = new Database(join(tmp.dir, 'klaxon.db'), { readonly: true });
    try {
      const incident = db.prepare('SELECT declared_at AS declared, resolved_at AS resolved FROM incidents').get() as { declared: number; resolved: number };
      // The script skips 90 minutes in all: declared 90 minutes before real time, resolved 60 before.
      expect(incident.declared).toBeGreaterThanOrEqual(started - 90 * MINUTE);
      expect(incident.declared).toBeLessThanOrEqual(ended - 90 * MINUTE);
      expect(incident.resolved - incident.declared).toBeGreaterThanOrEqual(30 * MINUTE);
      expect(incident.resolved).toBeLessThanOrEqual(ended - 60 * MINUTE);
      // The post-mortem, the last step, is written at real time, while the demo ran; nothing is dated after it ended.
      const { completed } = db.prepare('SELECT completed_at AS completed FROM postmortems').get() as { completed: number };
      expect(completed).toBeGreaterThanOrEqual(started);
      expect(completed).toBeLessThanOrEqual(ended);
      const latest = db.prepare('SELECT max(at) AS at FROM (SELECT max(recorded_at) AS at FROM timeline_events UNION ALL SELECT max(updated_at) FROM outbox UNION ALL SELECT max(updated_at) FROM problems)').get() as { at: number };
      expect(latest.at).toBeLessThanOrEqual(ended);
    } finally {
      db.close();
    }
  });

  it('leaves a database on which npx klaxon stats counts the resolved incident and its post-mortem', async () => {
    const stats = await runCli(['stats', '--json'], { KLAXON_DB: join(tmp.dir, 'klaxon.db') }, Date.now());
    expect(stats.code).toBe(0);
    const report = JSON.parse(stats.out) as { incidents: { total: number }; mttr: { count: number }; postmortems: { resolved: number; complete: number } };
    expect(report.incidents.total).toBe(1);
    expect(report.mttr.count).toBe(1);
    expect(report.postmortems).toMatchObject({ resolved: 1, complete: 1 });
    expect((await runCli(['stats'], { KLAXON_DB: join(tmp.dir, 'klaxon.db') }, Date.now())).out).toMatch(/^Post-mortems +complete for 1 of 1 resolved incident/m);
  });
});

describe('the demo’s database, moved to Postgres and back with npx klaxon db copy', () => {
  it('arrives whole: every row, the search index, the stats and the export read the same', async () => {
    const original = join(tmp.dir, 'klaxon.db');
    const back = join(tmp.dir, 'back.db');
    const postgres = await scratchDatabase();
    try {
      const there = await runCli(['db', 'copy', original, postgres.url, '--json'], {});
      expect(there.code).toBe(0);
      const report = JSON.parse(there.out) as { to: string; rows: number; tables: { name: string; rows: number }[] };
      expect(report.to).toBe(postgres.url.replace(':klaxon@', ':***@'));
      expect(report.tables.map((t) => t.name)).not.toContain('runbooks');
      const counted = (file: string) => Object.fromEntries(report.tables.map((t) => [t.name, (new Database(file, { readonly: true }).prepare(`select count(*) as n from ${t.name}`).get() as { n: number }).n]));
      expect(Object.fromEntries(report.tables.map((t) => [t.name, t.rows]))).toEqual(counted(original));
      expect(report.tables.find((t) => t.name === 'timeline_events')!.rows).toBeGreaterThan(5);

      expect(await runCli(['db', 'copy', postgres.url, back], {})).toEqual({ code: 0, out: `${report.to}: copied to ${back} (${report.rows} rows in ${report.tables.length} tables, every row checked)` });
      expect(counted(back)).toEqual(counted(original));
      const search = (file: string) => new Database(file, { readonly: true }).prepare('select rowid, * from incident_search order by rowid').all();
      expect(search(back)).toEqual(search(original));
      const same = async (...argv: string[]) => expect((await runCli(argv, { KLAXON_DB: back }, ended)).out).toBe((await runCli(argv, { KLAXON_DB: original }, ended)).out);
      await same('stats', '--json');
      await same('export', 'INC-1', '--format', 'json');
      await same('audit', '--since', '30d');
    } finally {
      await postgres?.drop();
    }
  });
});

describe('npm run demo -- --once --db postgres://…', () => {
  let postgres: ScratchDatabase;
  let output: ReturnType<typeof tempDir>;
  let onPostgres: Run;
  beforeAll(async () => {
    postgres = await scratchDatabase();
    output = tempDir();
    onPostgres = await demo(['--output', output.dir, '--db', postgres.url]);
  }, 90_000);
  afterAll(async () => {
    await postgres?.drop();
    output?.remove();
  });

  it('plays the same incident into an empty Postgres database, and says where it is with the password hidden', async () => {
    expect(onPostgres.stderr).toBe('');
    expect(onPostgres.code).toBe(0);
    const shown = postgres.url.replace(':klaxon@', ':***@');
    expect(onPostgres.stdout).toContain(`\nDatabase:          ${shown}\n`);
    expect(onPostgres.stdout).not.toContain(':klaxon@');
    expect(onPostgres.stdout).toMatch(/Problem ticket: +PRB-1, owned by alice/);
    // Its data is in Postgres: no SQLite file beside the transcript.
    expect(existsSync(join(output.dir, 'klaxon.db'))).toBe(false);
    expect(readFileSync(join(output.dir, 'INC-1-postmortem.md'), 'utf8')).toMatch(/^# Post-mortem: INC-1/m);
    expect(await queryRows(postgres.url, "select status, severity, service_id as service, acknowledged_at is not null as acknowledged from incidents")).toEqual([{ status: 'resolved', severity: 'sev1', service: 'payments', acknowledged: true }]);
    expect(await queryRows(postgres.url, 'select owner_id as owner, status from problems')).toEqual([{ owner: 'U01ALICE', status: 'open' }]);
    expect(await queryRows(postgres.url, "select count(*)::int as n from jobs where status = 'failed'")).toEqual([{ n: 0 }]);
    const log = readFileSync(join(output.dir, 'klaxon.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { level: string });
    expect(log.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('leaves a database the CLI reads as it reads the SQLite one', async () => {
    const stats = await runCli(['stats', '--json'], { KLAXON_DB: postgres.url }, Date.now());
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.out)).toMatchObject({ incidents: { total: 1 }, mttr: { count: 1 }, postmortems: { resolved: 1, complete: 1 } });
    const exported = await runCli(['export', 'INC-1'], { KLAXON_DB: postgres.url }, Date.now());
    expect(exported.code).toBe(0);
    expect(exported.out).toBe(readFileSync(join(output.dir, 'INC-1-postmortem.md'), 'utf8').trimEnd());
  });

  it('refuses, in one line and changing nothing, a database that already holds data: Postgres from --db, SQLite from KLAXON_DB', async () => {
    const other = tempDir();
    try {
      const [again, fromEnv] = await Promise.all([demo(['--output', other.dir, '--db', postgres.url]), demo(['--output', other.dir], { KLAXON_DB: join(tmp.dir, 'klaxon.db') })]);
      const shown = postgres.url.replace(':klaxon@', ':***@');
      expect(again).toEqual({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(new RegExp(`^klaxon demo: ${escape(shown)} already holds Klaxon data \\([^\\n]*incidents \\(1\\)[^\\n]*\\); the demo uses only a new or empty database: pass --db a new file or an empty Postgres database, or leave --db out for a fresh ${escape(join(other.dir, 'klaxon.db'))}\n$`)),
      });
      expect(fromEnv).toEqual({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(new RegExp(`^klaxon demo: ${escape(join(tmp.dir, 'klaxon.db'))} already holds Klaxon data \\([^\\n]+\\); the demo uses only a new or empty database: point KLAXON_DB at a new file or an empty Postgres database, or unset it for a fresh ${escape(join(other.dir, 'klaxon.db'))}\n$`)),
      });
      expect(await queryRows(postgres.url, 'select count(*)::int as n from incidents')).toEqual([{ n: 1 }]);
      expect(existsSync(join(other.dir, 'klaxon.db'))).toBe(false);
    } finally {
      other.remove();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
