/**
 * `npx klaxon stats` on a database the test fills: the text report with its chart file, JSON, and its refusals.
 * The four runs of bin/klaxon.mjs go in parallel (each pays Node's start-up); the rest is asked of runCli in-process.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { openDatabase } from '../../src/core/db.ts';
import { tempDir } from '../support/db.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let tmp: ReturnType<typeof tempDir>;
let env: Record<string, string>;
let chart: string;
let missingDb: string;
let runs: { text: Run; json: Run; badPeriod: Run; noDatabase: Run };

function klaxon(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/klaxon.mjs', ...args], { env: { PATH: process.env.PATH ?? '', ...env, ...extra }, encoding: 'utf8', cwd: process.cwd() }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** `days` ago at hh:mm UTC. */
function daysAgoAt(days: number, hour: number, minute = 0): number {
  const day = new Date(Date.now() - days * DAY);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, minute);
}

/**
 * INC-1 payments sev1: acknowledged after 5 min, resolved after 65, post-mortem complete. INC-2 payments sev2: never
 * acknowledged, resolved after 30 min. INC-3 a drill. INC-4 search sev3, 40 days ago. Bob paged through the Tokyo
 * schedule at 14:00 UTC (23:00 in Tokyo), Carol directly at 23:30 UTC; a drill page to Bob.
 */
function fillDatabase(file: string): void {
  const { sqlite, close } = openDatabase(file);
  const incident = sqlite.prepare("INSERT INTO incidents (title, severity, status, service_id, is_drill, declared_by, declared_at, acknowledged_at, resolved_at, updated_at) VALUES (?, ?, ?, ?, ?, 'U01ALICE', ?, ?, ?, ?)");
  const declared1 = daysAgoAt(2, 10);
  const declared2 = daysAgoAt(3, 10);
  incident.run('Card payments failing', 'sev1', 'resolved', 'payments', 0, declared1, declared1 + 5 * MIN, declared1 + 65 * MIN, declared1);
  incident.run('Refunds slow', 'sev2', 'resolved', 'payments', 0, declared2, null, declared2 + 30 * MIN, declared2);
  incident.run('Game day', 'sev1', 'investigating', 'payments', 1, daysAgoAt(1, 10), null, null, daysAgoAt(1, 10));
  incident.run('Search empty', 'sev3', 'investigating', 'search', 0, daysAgoAt(40, 10), null, null, daysAgoAt(40, 10));
  sqlite
    .prepare("INSERT INTO postmortems (incident_id, form, state, created_by, created_at, updated_by, updated_at, completed_at) VALUES (1, '{}', 'complete', 'U01ALICE', ?, 'U01ALICE', ?, ?)")
    .run(declared1 + DAY, declared1 + DAY, declared1 + DAY);
  const problem = sqlite.prepare("INSERT INTO problems (incident_id, title, description, owner_id, priority, due_date, status, created_by, created_at, updated_at) VALUES (?, 'Fix it', 'Why', 'U01BOB', 'p1', ?, ?, 'U01ALICE', ?, ?)");
  problem.run(1, '2020-01-01', 'open', declared1, declared1);
  problem.run(2, '2999-01-01', 'open', declared2, declared2);
  problem.run(2, '2020-01-01', 'resolved', declared2, declared2);
  sqlite.prepare('INSERT INTO problem_recurrences (problem_id, incident_id, at) VALUES (1, 2, ?)').run(declared2 + MIN);
  const escalation = sqlite.prepare("INSERT INTO escalations (incident_id, policy, status, started_by, started_at) VALUES (?, '{\"repeat\":0,\"levels\":[]}', 'acknowledged', 'U01ALICE', ?)");
  const step = sqlite.prepare("INSERT INTO escalation_steps (escalation_id, level, loop, targets, status, started_at) VALUES (?, 0, 0, '[]', 'acknowledged', ?)");
  const page = sqlite.prepare("INSERT INTO pages (incident_id, escalation_id, step_id, user_id, via, status, paged_at) VALUES (?, ?, ?, ?, ?, 'answered', ?)");
  escalation.run(1, declared1);
  step.run(1, declared1);
  page.run(1, 1, 1, 'U01BOB', 'schedule:apac', daysAgoAt(2, 14));
  page.run(1, 1, 1, 'U01CAROL', 'user:U01CAROL', daysAgoAt(4, 23, 30));
  escalation.run(3, daysAgoAt(1, 10));
  step.run(2, daysAgoAt(1, 10));
  page.run(3, 2, 2, 'U01BOB', 'schedule:apac', daysAgoAt(1, 15));
  close();
}

beforeAll(async () => {
  tmp = tempDir();
  const config = join(tmp.dir, 'klaxon.yml');
  writeFileSync(
    config,
    `timezone: Europe/London
services:
  - { id: payments, name: Payments API }
  - { id: search, name: Search }
schedules:
  - id: apac
    timezone: Asia/Tokyo
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-01-05, participants: [U01BOB] }
`,
  );
  const db = join(tmp.dir, 'klaxon.db');
  fillDatabase(db);
  env = { KLAXON_DB: db, KLAXON_CONFIG: config };
  chart = join(tmp.dir, 'chart.png');
  missingDb = join(tmp.dir, 'nothing-here.db');
  const [text, json, badPeriod, noDatabase] = await Promise.all([
    klaxon(['stats', '--chart', chart]),
    klaxon(['stats', '--period', '90d', '--service', 'search', '--json']),
    klaxon(['stats', '--period', '12d']),
    klaxon(['stats'], { KLAXON_DB: missingDb }),
  ]);
  runs = { text: text!, json: json!, badPeriod: badPeriod!, noDatabase: noDatabase! };
}, 30_000);
afterAll(() => tmp.remove());

/** runCli in this process, on the same files, at the real time (as the spawned runs are). */
const cli = (argv: string[]) => runCli(argv, env);

describe('npx klaxon stats', () => {
  it('prints the report: drills and incidents before the period left out, pages read in their schedule’s zone', async () => {
    const run = runs.text;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Incident stats, last 30 days: \w{3} \d+ \w{3} \d{4} to \w{3} \d+ \w{3} \d{4} \(Europe\/London\), all services; drills left out$/);
    expect(lines).toContain('Incidents         2');
    expect(lines).toContain('  SEV1            1');
    expect(lines).toContain('  SEV2            1');
    expect(lines).toContain('  Payments API    2');
    expect(lines).toContain('MTTA              median 5 min, p90 5 min (over 1 incident; 1 never acknowledged)');
    // Nearest rank: the median of 30 and 65 minutes is the lower one.
    expect(lines).toContain('MTTR              median 30 min, p90 1 h 5 min (over 2 incidents)');
    expect(lines).toContain('Post-mortems      complete for 1 of 2 resolved incidents (50%)');
    expect(lines).toContain('Problem tickets   2 open, 1 overdue');
    expect(lines).toContain('Recurrences       1');
    // 14:00 UTC is 23:00 in Tokyo, the schedule's zone: a night woken, whatever the day.
    expect(lines).toContain('  U01BOB          1 page, 1 out of hours, 1 night woken');
    expect(lines).toContain('  U01CAROL        1 page, 1 out of hours, 1 night woken');
    expect(run.stdout).toContain('A page is read in the time zone of the schedule it came through, otherwise in Europe/London.');
    expect(lines.at(-1)).toBe(`Chart written to ${chart}`);
    expect(readFileSync(chart).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('prints JSON, here for one service over 90 days', async () => {
    expect(runs.json.code).toBe(0);
    const report = JSON.parse(runs.json.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ period: '90d', serviceId: 'search', serviceName: 'Search', timeZone: 'Europe/London', incidents: { total: 1, bySeverity: { sev1: 0, sev2: 0, sev3: 1, sev4: 0 } }, mttr: { count: 0, medianMs: null, missing: 1 }, oncall: [] });
    expect((report.weeks as unknown[]).length).toBeGreaterThanOrEqual(13);

    const all = JSON.parse((await cli(['stats', '--json'])).out) as { mttr: unknown; postmortems: unknown; recurrences: number; oncall: unknown[] };
    expect(all.mttr).toEqual({ count: 2, medianMs: 30 * MIN, p90Ms: 65 * MIN, missing: 0 });
    expect(all.postmortems).toEqual({ resolved: 2, complete: 1, rate: 0.5 });
    expect(all.recurrences).toBe(1);
    expect(all.oncall).toContainEqual({ userId: 'U01BOB', pages: 1, outOfHours: 1, nightsWoken: 1, nights: [new Date(daysAgoAt(2, 14)).toISOString().slice(0, 10)] });
  });

  it('refuses a bad period (exit 2), an unknown service and a missing database (exit 1) in one line', async () => {
    expect(runs.badPeriod).toEqual({ code: 2, stdout: '', stderr: 'klaxon: stats: --period "12d" is not a period: say 7d, 30d or 90d (30d when left out); see npx klaxon stats --help\n' });
    expect(runs.noDatabase).toEqual({ code: 1, stdout: '', stderr: `klaxon: ${missingDb}: no database (set KLAXON_DB)\n` });
    expect(existsSync(missingDb)).toBe(false);
    expect(await cli(['stats', '--frequency', 'daily'])).toEqual({ code: 2, out: 'klaxon: stats: unknown option "--frequency"; see npx klaxon stats --help' });
    expect(await cli(['stats', '--service', 'nosuch'])).toEqual({ code: 1, out: 'klaxon: unknown service "nosuch" (known: payments, search)' });
  });

  it('explains itself with --help and in npx klaxon help', async () => {
    const help = await cli(['stats', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: npx klaxon stats \[--period 7d\|30d\|90d\] \[--service ID\] \[--json\] \[--chart FILE\.png\]/);
    expect(help.out).toContain('time zone of the schedule the page came');
    expect((await cli(['help'])).out).toContain('stats [--period 30d] [--service ID]');
  });
});
