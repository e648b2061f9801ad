/**
 * `npx klaxon rota check`, `oncall` and `page-trace` as operators and CI run them: the real CLI in a child
 * process (stdout, stderr, exit codes, the database read from KLAXON_DB). The details of each report are
 * covered through runCli in test/unit/cli-oncall.test.ts; the processes here run in parallel.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db.ts';
import { insertOverride } from '../../src/rotas/store.ts';
import { tempDir } from '../support/db.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function klaxon(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['bin/klaxon.mjs', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', cwd: process.cwd() }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

const DAY = 24 * 3_600_000;

/**
 * night: a daily rotation starting ten days from today (so the next 12 weeks start with a gap, whenever the test
 * runs); ops: 8-hour shifts where Alice has two turns out of three (twice Bob's hours, uneven).
 */
function rotaFile(): string {
  const start = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
  return `timezone: Europe/London
services:
  - { id: payments, name: Payments API, escalation_policy: payments }
schedules:
  - id: ops
    timezone: UTC
    rotation: { kind: hours, shift_hours: 8, handoff: "00:00", start: 2026-01-01, participants: [U01ALICE, U01ALICE, U01BOB] }
  - id: night
    timezone: UTC
    rotation: { kind: daily, handoff: "09:00", start: ${start}, participants: [U01CAROL, U01DAN] }
escalation_policies:
  - id: payments
    levels:
      - { targets: [schedule:ops], timeout: 5m }
      - { targets: [schedule:night], timeout: 10m }
`;
}

/** London, weekly "mon 09:00": Monday 30 March 2026 09:00 BST (the day after the clocks go forward) is 08:00Z. */
const LONDON = `timezone: Europe/London
services:
  - { id: payments, name: Payments API, escalation_policy: payments }
schedules:
  - id: primary
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-01-05, participants: [U01ALICE, U01BOB, U01CAROL] }
  - id: secondary
    timezone: America/New_York
    rotation: { kind: daily, handoff: "08:00", start: 2026-04-06, participants: [U01ERIN, U01FRANK] }
escalation_policies:
  - id: payments
    repeat: 1
    levels:
      - { targets: [schedule:primary], timeout: 5m }
      - { targets: [schedule:secondary], timeout: 10m }
      - { targets: [user:U01MANAGER], timeout: 15m }
`;

describe('npx klaxon rota check', () => {
  it('reports gaps and uneven load on stdout, fails only with --strict, and names the mistake in a bad file', async () => {
    const file = join(tmp.dir, 'klaxon.yml');
    const bad = join(tmp.dir, 'bad.yml');
    writeFileSync(file, rotaFile());
    writeFileSync(bad, rotaFile().replace('[schedule:night]', '[schedule:nightly]'));
    const [report, json, invalid] = await Promise.all([
      klaxon(['rota', 'check'], { KLAXON_CONFIG: file }),
      klaxon(['rota', 'check', file, '--json', '--strict'], {}),
      klaxon(['rota', 'check', bad], { KLAXON_CONFIG: file }),
    ]);

    expect(report).toMatchObject({ code: 0, stderr: '' });
    const lines = report.stdout.split('\n');
    expect(lines[0]).toBe(`${file}: valid (1 service, 2 schedules, 1 escalation policy)`);
    // The rotation starts 10 days from today at 09:00 UTC: 9d 9h to 10d 9h from now, depending on the time of day.
    expect(lines.slice(lines.indexOf('schedule night')).find((l) => l.startsWith('  coverage      '))).toMatch(/^ {2}coverage {6}1 gap, (9|10)d( \d+h)?( \d+m)? with nobody on call$/);
    expect(lines.find((l) => l.startsWith('  load          uneven: '))).toMatch(/^ {2}load {10}uneven: U01ALICE \d+\.\dh vs U01BOB \d+\.\dh \(\d\.\dx; more than 1\.5x is uneven\)$/);
    expect(lines.find((l) => l.startsWith('  ! schedule night has nobody on call for '))).toBeDefined();
    expect(lines.find((l) => l.startsWith('  ! escalation policy payments level 2 would page nobody right now'))).toBeDefined();

    expect(json).toMatchObject({ code: 1, stderr: '' });
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, ok: false, schedules: [{ id: 'ops', uneven: true }, { id: 'night', gaps: [{}] }] });

    expect(invalid).toEqual({ code: 1, stdout: '', stderr: `klaxon: ${bad}: escalation_policies[0].levels[1].targets[0]: unknown schedule "nightly" (known: ops, night)\n` });
  });
});

describe('npx klaxon oncall and page-trace', () => {
  it('answer at a fixed time across the clock change, with the overrides made in Slack, and exit 2 on a usage error', async () => {
    const file = join(tmp.dir, 'klaxon.yml');
    writeFileSync(file, LONDON);
    const dbFile = join(tmp.dir, 'klaxon.db');
    const absent = join(tmp.dir, 'absent', 'klaxon.db');
    const database = openDatabase(dbFile);
    // Dave covers Alice from 10:00 to 18:00 BST on Monday 30 March, made in Slack.
    await insertOverride(database.db, { scheduleId: 'primary', userId: 'U01DAVE', fromAt: Date.parse('2026-03-30T09:00:00Z'), toAt: Date.parse('2026-03-30T17:00:00Z'), createdBy: 'U01ALICE', createdAt: Date.parse('2026-03-29T12:00:00Z') });
    database.close();
    const env = { KLAXON_CONFIG: file, KLAXON_DB: dbFile };
    const [before, withDb, traceJson, usage] = await Promise.all([
      klaxon(['oncall', '--at', '2026-03-30T08:30Z'], { ...env, KLAXON_DB: absent }),
      klaxon(['oncall', 'payments', '--at', '2026-03-30T09:30Z'], env),
      klaxon(['page-trace', 'payments', '--at', '2026-03-30T10:30', '--json', '--strict'], env),
      klaxon(['oncall', '--when', 'now'], env),
    ]);

    // 08:30Z is 09:30 BST: Alice's week has begun (it would still be Carol's if 09:00 were read as 09:00Z).
    expect(before).toMatchObject({ code: 0, stderr: '' });
    expect(before.stdout.split('\n').slice(0, 4)).toEqual([
      `On call at Mon 30 Mar 2026 09:30 BST (overrides made in Slack not included: no database at ${absent})`,
      '',
      'payments (Payments API): escalation policy payments, repeats once',
      '  level 1 (5m)   schedule:primary    U01ALICE    until Mon 6 Apr 09:00 BST, then U01BOB',
    ]);
    expect(existsSync(absent)).toBe(false);
    expect(withDb.stdout.split('\n')).toEqual([
      'On call at Mon 30 Mar 2026 10:30 BST (including 1 override made in Slack)',
      '',
      'payments (Payments API): escalation policy payments, repeats once',
      '  level 1 (5m)   schedule:primary    U01DAVE     covering (override made in Slack) until Mon 30 Mar 18:00 BST, then U01ALICE',
      '  level 2 (10m)  schedule:secondary  nobody      until Mon 6 Apr 08:00 EDT, then U01ERIN',
      '  level 3 (15m)  user:U01MANAGER     U01MANAGER',
      '',
    ]);

    expect(traceJson).toMatchObject({ code: 1, stderr: '' });
    const json = JSON.parse(traceJson.stdout) as { steps: { position: string; targets: { userIds: string[] }[]; pagesNobody: boolean }[]; stepsPagingNobody: number; ok: boolean };
    expect(json.steps.map((s) => `${s.position}: ${s.targets.flatMap((t) => t.userIds).join(', ') || 'nobody'}`)).toEqual([
      'level 1: U01DAVE',
      'level 2: nobody',
      'level 3: U01MANAGER',
      'level 1, repeat 1: U01DAVE',
      'level 2, repeat 1: nobody',
      'level 3, repeat 1: U01MANAGER',
    ]);
    expect(json).toMatchObject({ slackOverrides: 1, exhaustedAt: '2026-03-30T10:10:00.000Z', stepsPagingNobody: 2, ok: false });

    expect(usage).toEqual({ code: 2, stdout: '', stderr: 'klaxon: oncall: unknown option "--when"; see npx klaxon oncall --help\n' });
  });
});
