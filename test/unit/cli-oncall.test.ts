/** `npx klaxon rota check`, `oncall` and `page-trace` through runCli, with a fixed "now" and temporary files. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { openDatabase } from '../../src/core/db.ts';
import { insertOverride } from '../../src/rotas/store.ts';
import { tempDir } from '../support/db.ts';

/** Monday 30 March 2026, 09:00 in London (BST since the day before): a weekly "mon 09:00" handoff. */
const NOW = Date.parse('2026-03-30T08:00:00Z');

/**
 * ops: weekly in London, Alice and Bob, Alice covering three weeks by override (so twice Bob's hours).
 * night: daily in New York, starting a week after NOW (a known gap).
 */
const FILE = `timezone: Europe/London
services:
  - id: payments
    name: Payments API
    escalation_policy: payments
schedules:
  - id: ops
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-01-05, participants: [U01ALICE, U01BOB] }
    overrides:
      - { user: U01ALICE, from: "2026-04-06T09:00", to: "2026-04-27T09:00" }
  - id: night
    timezone: America/New_York
    rotation: { kind: daily, handoff: "20:00", start: 2026-04-06, participants: [U01CAROL, U01DAN] }
escalation_policies:
  - id: payments
    repeat: 1
    levels:
      - targets: [schedule:ops]
        timeout: 5m
      - targets: [schedule:night]
        timeout: 10m
      - targets: [user:U01MANAGER, schedule:night]
        timeout: 15m
`;

/** Every rotation covered, every schedule, policy and service used: no warnings. */
const CLEAN = `timezone: Europe/London
services:
  - { id: api, name: API, escalation_policy: api }
schedules:
  - id: ops
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-01-05, participants: [U01ALICE, U01BOB] }
escalation_policies:
  - id: api
    levels:
      - { targets: [schedule:ops], timeout: 5m }
`;

let tmp: ReturnType<typeof tempDir>;
let file: string;
let env: Record<string, string>;
beforeEach(async () => {
  tmp = tempDir();
  file = join(tmp.dir, 'klaxon.yml');
  writeFileSync(file, FILE);
  env = { KLAXON_CONFIG: file, KLAXON_DB: join(tmp.dir, 'data', 'klaxon.db') };
});
afterEach(() => tmp.remove());

const cli = (...argv: string[]) => runCli(argv, env, NOW);
const lines = (out: string) => out.split('\n');

describe('rota check', () => {
  it('reports the coverage gap and the uneven load, and warns without failing', async () => {
    const run = await cli('rota', 'check');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(true);
    const out = lines(run.out);
    expect(out.slice(0, 2)).toEqual([`${file}: valid (1 service, 2 schedules, 1 escalation policy)`, 'Looking at the 12 weeks from Mon 30 Mar 2026 09:00 BST to Mon 22 Jun 2026 09:00 BST.']);
    expect(out).toEqual(
      expect.arrayContaining([
        'schedule ops',
        '  zone          Europe/London',
        '  rotation      weekly, hands off mon 09:00, from 2026-01-05',
        '  participants  U01ALICE, U01BOB',
        '  coverage      no gaps',
        '  load          uneven: U01ALICE 1344.0h vs U01BOB 672.0h (2.0x; more than 1.5x is uneven)',
        '                person    shifts   hours  night  weekend  share',
        '                U01ALICE       4  1344.0  504.0    384.0  66.7%',
        '                U01BOB         4   672.0  252.0    192.0  33.3%',
        'schedule night',
        '  zone          America/New_York',
        '  coverage      1 gap, 7d 16h with nobody on call',
        '                  Mon 30 Mar 2026 04:00 EDT  ->  Mon 6 Apr 2026 20:00 EDT  (7d 16h)',
        '  load          even (the busiest person has 1.0x the hours of the least busy participant)',
        '2 warnings:',
        '  ! schedule night has nobody on call for 7d 16h in the next 12 weeks (1 gap, the first from Mon 30 Mar 2026 04:00 EDT)',
        '  ! escalation policy payments level 2 would page nobody right now (schedule:night: nobody on call)',
        'Warnings do not fail the check; --strict makes them.',
      ]),
    );
  });

  it('--strict fails on any warning and passes a clean file; the file argument beats KLAXON_CONFIG', async () => {
    expect(await cli('rota', 'check', '--strict')).toMatchObject({ code: 1, stdout: true, out: expect.stringContaining('Failing: 2 warnings and --strict.') });
    const clean = join(tmp.dir, 'clean.yml');
    writeFileSync(clean, CLEAN);
    const run = await cli('rota', 'check', clean, '--strict');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`${clean}: valid (1 service, 1 schedule, 1 escalation policy)`);
    expect(run.out).toContain('  load          even (the busiest person has 1.0x the hours of the least busy participant)');
    expect(lines(run.out).at(-1)).toBe('No warnings.');
  });

  it('warns about unused schedules and policies, services without a policy and levels that page nobody now', async () => {
    writeFileSync(
      file,
      `${CLEAN.replace('services:\n', 'services:\n  - { id: search, name: Search }\n')}  - id: spare
    levels:
      - { targets: [schedule:later], timeout: 5m }
`.replace(
        'escalation_policies:',
        `  - id: later
    rotation: { kind: daily, handoff: "09:00", start: 2027-01-01, participants: [U01CAROL] }
  - id: lonely
    rotation: { kind: daily, handoff: "09:00", start: 2026-01-01, participants: [U01DAN] }
escalation_policies:`,
      ),
    );
    const run = await cli('rota', 'check', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as { warnings: { kind: string; message: string }[] };
    expect(report.warnings.map((w) => w.message)).toEqual([
      'schedule later has nobody on call for 84d in the next 12 weeks (1 gap, the first from Mon 30 Mar 2026 09:00 BST)',
      'schedule lonely is used by no escalation policy',
      'escalation policy spare is used by no service',
      'service search has no escalation policy: declaring an incident for it pages nobody',
      'escalation policy spare level 1 would page nobody right now (schedule:later: nobody on call)',
    ]);
  });

  it('--at looks at the 12 weeks from that time, and names it in the warnings about who is on call', async () => {
    const run = await cli('rota', 'check', '--at', '2026-04-13T12:00');
    expect(lines(run.out)[1]).toBe('Looking at the 12 weeks from Mon 13 Apr 2026 12:00 BST to Mon 6 Jul 2026 12:00 BST.');
    expect(run.out).toContain('  coverage      no gaps\n');
    expect(run.out).toContain('No warnings.');
    expect(await cli('rota', 'check', '--at', '2026-03-31T09:00')).toMatchObject({ out: expect.stringContaining('  ! escalation policy payments level 2 would page nobody at Tue 31 Mar 2026 09:00 BST (schedule:night: nobody on call)') });
  });

  it('warns that an empty file or one whose services have no policy never pages anyone, and --strict fails', async () => {
    writeFileSync(file, '');
    const empty = await cli('rota', 'check', '--strict');
    expect(empty).toMatchObject({ code: 1, stdout: true });
    expect(lines(empty.out).slice(-4)).toEqual([
      '1 warning:',
      '  ! no services are defined, so no incident will ever page anyone: add services, each with an escalation_policy that pages a schedule or a person (klaxon.example.yml shows how)',
      '',
      'Failing: 1 warning and --strict.',
    ]);
    writeFileSync(file, CLEAN.replace(', escalation_policy: api', ''));
    const unused = JSON.parse((await cli('rota', 'check', '--json')).out) as { warnings: { kind: string; message: string }[] };
    expect(unused.warnings).toEqual([
      { kind: 'nothing-pages', message: 'no service has an escalation_policy, so no incident will ever page anyone: give the service one of api' },
      { kind: 'unused-policy', message: 'escalation policy api is used by no service' },
    ]);
  });

  it('--json gives the same report as data', async () => {
    const report = JSON.parse((await cli('rota', 'check', '--json')).out) as {
      valid: boolean;
      ok: boolean;
      window: { from: string; to: string };
      schedules: { id: string; gaps: { from: string; to: string; fromLocal: string; hours: number }[]; load: { userId: string; hours: number; sharePercent: number }[]; uneven: boolean; ratio: number }[];
      warnings: { kind: string }[];
    };
    expect(report).toMatchObject({ valid: true, ok: true, window: { from: '2026-03-30T08:00:00.000Z', to: '2026-06-22T08:00:00.000Z' } });
    const [ops, night] = report.schedules;
    expect(ops).toMatchObject({ id: 'ops', uneven: true, ratio: 2, gaps: [], load: [{ userId: 'U01ALICE', hours: 1344, sharePercent: 66.7 }, { userId: 'U01BOB', hours: 672, sharePercent: 33.3 }] });
    expect(night).toMatchObject({ id: 'night', uneven: false, gaps: [{ from: '2026-03-30T08:00:00.000Z', to: '2026-04-07T00:00:00.000Z', fromLocal: 'Mon 30 Mar 2026 04:00 EDT', hours: 184 }] });
    expect(report.warnings.map((w) => w.kind)).toEqual(['coverage-gap', 'level-pages-nobody']);
    expect(JSON.parse((await cli('rota', 'check', '--json', '--strict')).out)).toMatchObject({ ok: false });
  });

  it('exits 1 with file: path: reason for every kind of mistake', async () => {
    const bad = async (text: string) => {
      writeFileSync(file, text);
      const run = await cli('rota', 'check');
      expect(run.code).toBe(1);
      expect(run.stdout).toBeUndefined();
      return run.out;
    };
    const rotation = '{ kind: weekly, handoff: "mon 09:00", start: 2026-01-05, participants: [U01ALICE] }';
    expect(await bad(FILE.replace('[schedule:night]', '[schedule:nite]'))).toBe(`klaxon: ${file}: escalation_policies[0].levels[1].targets[0]: unknown schedule "nite" (known: ops, night)`);
    expect(await bad(FILE.replace('escalation_policy: payments', 'escalation_policy: payment'))).toBe(`klaxon: ${file}: services[0].escalation_policy: unknown escalation policy "payment" (known: payments)`);
    expect(await bad(FILE.replace('to: "2026-04-27T09:00" }', 'to: "2026-04-27T09:00" }\n      - { user: U01BOB, from: "2026-04-20T09:00", to: "2026-04-21T09:00" }'))).toBe(
      `klaxon: ${file}: schedules[0].overrides[1]: overlaps overrides[0] (U01ALICE from 2026-04-06T09:00 to 2026-04-27T09:00); split the time between them so that one person is on call at a time`,
    );
    expect(await bad(FILE.replace('timeout: 10m', 'timeout: 10 minutes'))).toBe(`klaxon: ${file}: escalation_policies[0].levels[1].timeout: must be a duration such as 30s, 5m or 1h`);
    expect(await bad(FILE.replace('America/New_York', 'America/Gotham'))).toBe(`klaxon: ${file}: schedules[1].timezone: unknown time zone "America/Gotham"`);
    expect(await bad(`schedules:\n  - id: ops\n    rotation: ${rotation.replace('2026-01-05', '2026-01-06')}\n`)).toBe(
      `klaxon: ${file}: schedules[0].rotation.start: 2026-01-06 is a Tuesday, but this weekly rotation hands off on Mondays: start it on a Monday`,
    );
    expect(await bad('services: [\n')).toMatch(new RegExp(`^klaxon: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line \\d+, column \\d+: `));
    expect(await cli('rota', 'check', join(tmp.dir, 'missing.yml'))).toEqual({ code: 1, out: `klaxon: ${join(tmp.dir, 'missing.yml')}: not found` });
  });
});

describe('oncall', () => {
  it('answers by the wall clock of the schedule across the change to summer time (London, weekly "mon 09:00")', async () => {
    // The clocks went forward on Sunday 29 March: Monday 09:00 BST is 08:00Z, so 08:30Z is already Alice's week
    // (which, with her override, runs on until 4 May).
    const person = async (at: string) => lines((await cli('oncall', 'payments', '--at', at, '--no-db')).out).find((l) => l.includes('schedule:ops'));
    expect(await person('2026-03-30T07:30Z')).toBe('  level 1 (5m)   schedule:ops     U01BOB      until Mon 30 Mar 09:00 BST, then U01ALICE');
    expect(await person('2026-03-30T08:30Z')).toBe('  level 1 (5m)   schedule:ops     U01ALICE    until Mon 4 May 09:00 BST, then U01BOB');
    expect(await person('2026-03-30T09:30Z')).toEqual(await person('2026-03-30T08:30Z'));
    // A local time is read in klaxon.yml's timezone.
    expect(await person('2026-03-30T08:59')).toContain('U01BOB');
    expect(await person('2026-03-30T09:00')).toContain('U01ALICE');
    expect(await person('2026-03-30T09:00+01:00')).toContain('U01ALICE');
  });

  it('resolves every level of every service, with times in each schedule\'s zone', async () => {
    const run = await cli('oncall', '--at', '2026-04-07T01:30Z', '--no-db');
    expect(run.code).toBe(0);
    expect(lines(run.out)).toEqual([
      'On call at Tue 7 Apr 2026 02:30 BST (overrides made in Slack not included: --no-db)',
      '',
      'payments (Payments API): escalation policy payments, repeats once',
      '  level 1 (5m)   schedule:ops     U01ALICE    covering (override in klaxon.yml) until Mon 4 May 09:00 BST, then U01BOB',
      '  level 2 (10m)  schedule:night   U01CAROL    until Tue 7 Apr 20:00 EDT, then U01DAN',
      '  level 3 (15m)  user:U01MANAGER  U01MANAGER',
      '                 schedule:night   U01CAROL    until Tue 7 Apr 20:00 EDT, then U01DAN',
    ]);
    expect(lines((await cli('oncall', '--at', '2026-03-30T08:30Z')).out)[4]).toBe('  level 2 (10m)  schedule:night   nobody      until Mon 6 Apr 20:00 EDT, then U01CAROL');
  });

  it('includes the overrides made in Slack from the database, which it never creates', async () => {
    expect((await cli('oncall', '--at', '2026-04-07T01:30Z')).out).toContain(`(overrides made in Slack not included: no database at ${env.KLAXON_DB})`);
    expect(existsSync(env.KLAXON_DB!)).toBe(false);
    const database = openDatabase(env.KLAXON_DB!);
    await insertOverride(database.db, { scheduleId: 'night', userId: 'U01ERIN', fromAt: Date.parse('2026-04-07T00:00:00Z'), toAt: Date.parse('2026-04-07T12:00:00Z'), createdBy: 'U01CAROL', createdAt: NOW });
    await insertOverride(database.db, { scheduleId: 'gone', userId: 'U01ERIN', fromAt: NOW, toAt: NOW + 3_600_000, createdBy: 'U01CAROL', createdAt: NOW });
    database.close();
    const out = lines((await cli('oncall', 'payments', '--at', '2026-04-07T01:30Z')).out);
    expect(out[0]).toBe('On call at Tue 7 Apr 2026 02:30 BST (including 1 override made in Slack)');
    expect(out[4]).toBe('  level 2 (10m)  schedule:night   U01ERIN     covering (override made in Slack) until Tue 7 Apr 08:00 EDT, then U01CAROL');
    expect(lines((await cli('oncall', 'payments', '--at', '2026-04-07T01:30Z', '--no-db')).out)[4]).toContain('U01CAROL');
    const json = JSON.parse((await cli('oncall', '--at', '2026-04-07T01:30Z', '--json')).out) as { slackOverrides: number; services: { levels: { targets: { userId: string; override: string | null }[] }[] }[] };
    expect(json.slackOverrides).toBe(1);
    expect(json.services[0]!.levels[1]!.targets[0]).toMatchObject({ userId: 'U01ERIN', override: 'slack' });
  });

  it('--json is parseable; unknown services and bad times are one-line errors', async () => {
    const json = JSON.parse((await cli('oncall', 'payments', '--at', '2026-03-30T07:30Z', '--json', '--no-db')).out) as Record<string, unknown>;
    expect(json).toMatchObject({
      at: '2026-03-30T07:30:00.000Z',
      atLocal: 'Mon 30 Mar 2026 08:30 BST',
      slackOverrides: null,
      services: [{ id: 'payments', policy: 'payments', repeat: 1, levels: [{ level: 1, timeout: '5m', targets: [{ target: 'schedule:ops', userId: 'U01BOB', timezone: 'Europe/London', until: '2026-03-30T08:00:00.000Z', untilLocal: 'Mon 30 Mar 09:00 BST', next: { userId: 'U01ALICE' } }] }, {}, {}] }],
    });
    expect(await cli('oncall', 'billing')).toEqual({ code: 1, out: 'klaxon: unknown service "billing" (known: payments)' });
    expect(await cli('oncall', '--at', 'tomorrow')).toEqual({
      code: 2,
      out: 'klaxon: oncall: --at "tomorrow" is not a time such as 2026-03-30T09:30Z, 2026-03-30T10:30+01:00 or 2026-03-30T09:30 (local time in Europe/London); see npx klaxon oncall --help',
    });
    expect(await cli('oncall', '--at')).toEqual({ code: 2, out: 'klaxon: oncall: --at needs a value; see npx klaxon oncall --help' });
    expect(await cli('oncall', '--verbose')).toEqual({ code: 2, out: 'klaxon: oncall: unknown option "--verbose"; see npx klaxon oncall --help' });
    expect(await cli('oncall', 'a', 'b')).toEqual({ code: 2, out: 'klaxon: oncall: unexpected argument "b"; see npx klaxon oncall --help' });
  });

  it('exits 1 in one line for a missing or malformed klaxon.yml and a database it cannot read', async () => {
    const missing = join(tmp.dir, 'missing.yml');
    expect(await runCli(['oncall', '--json'], { ...env, KLAXON_CONFIG: missing }, NOW)).toEqual({ code: 1, out: `klaxon: ${missing}: not found` });
    const garbage = join(tmp.dir, 'garbage.db');
    writeFileSync(garbage, 'not a database\n'.repeat(100));
    expect(await runCli(['oncall', '--json'], { ...env, KLAXON_DB: garbage }, NOW)).toEqual({
      code: 1,
      out: `klaxon: ${garbage}: cannot read the overrides made in Slack (file is not a database); run npx klaxon db migrate, or pass --no-db`,
    });
    writeFileSync(file, FILE.replace('timeout: 5m', 'timeout: soon'));
    expect(await cli('oncall', 'payments')).toEqual({ code: 1, out: `klaxon: ${file}: escalation_policies[0].levels[0].timeout: must be a duration such as 30s, 5m or 1h` });
    expect(await cli('page-trace', 'payments', '--json')).toEqual(await cli('oncall', 'payments'));
  });
});

describe('page-trace', () => {
  it('walks the levels and repeats, flagging the steps that page nobody', async () => {
    const run = await cli('page-trace', 'payments', '--at', '2026-03-30T09:00', '--no-db');
    expect(run.code).toBe(0);
    expect(lines(run.out)).toEqual([
      'Page trace: an incident for payments (Payments API) declared at Mon 30 Mar 2026 09:00 BST, nobody acknowledging',
      'escalation policy payments: 3 levels, repeats once (overrides made in Slack not included: --no-db)',
      '',
      '  +0m   Mon 30 Mar 2026 09:00 BST  level 1            schedule:ops     U01ALICE',
      '  +5m   Mon 30 Mar 2026 09:05 BST  level 2            schedule:night   nobody  !! pages nobody (escalates at once)',
      '  +5m   Mon 30 Mar 2026 09:05 BST  level 3            user:U01MANAGER  U01MANAGER',
      '                                                      schedule:night   nobody',
      '  +20m  Mon 30 Mar 2026 09:20 BST  level 1, repeat 1  schedule:ops     U01ALICE',
      '  +25m  Mon 30 Mar 2026 09:25 BST  level 2, repeat 1  schedule:night   nobody  !! pages nobody (escalates at once)',
      '  +25m  Mon 30 Mar 2026 09:25 BST  level 3, repeat 1  user:U01MANAGER  U01MANAGER',
      '                                                      schedule:night   nobody',
      '  +40m  exhausted at Mon 30 Mar 2026 09:40 BST: the channel and INCIDENTS_CHANNEL are alerted',
      '',
      '!! 2 steps of 6 page nobody.',
    ]);
    expect(await cli('page-trace', 'payments', '--at', '2026-03-30T09:00', '--strict')).toMatchObject({ code: 1, stdout: true, out: expect.stringContaining('!! 2 steps of 6 page nobody: failing because of --strict.') });
  });

  it('passes --strict when every step pages someone, and --json follows the same steps', async () => {
    const at = '2026-04-07T01:30Z';
    const run = await cli('page-trace', 'payments', '--at', at, '--strict');
    expect(run.code).toBe(0);
    expect(lines(run.out).at(-1)).toBe('Every step pages someone; exhausted after 1h.');
    const json = JSON.parse((await cli('page-trace', 'payments', '--at', at, '--json')).out) as { steps: { offset: string; position: string; targets: { userIds: string[] }[]; pagesNobody: boolean }[]; exhaustedAt: string; exhaustedOffset: string; stepsPagingNobody: number };
    expect(json.steps.map((s) => `${s.offset} ${s.position}: ${s.targets.map((t) => t.userIds.join('+')).join(', ')}`)).toEqual([
      '+0m level 1: U01ALICE',
      '+5m level 2: U01CAROL',
      '+15m level 3: U01MANAGER, U01CAROL',
      '+30m level 1, repeat 1: U01ALICE',
      '+35m level 2, repeat 1: U01CAROL',
      '+45m level 3, repeat 1: U01MANAGER, U01CAROL',
    ]);
    expect(json).toMatchObject({ exhaustedAt: '2026-04-07T02:30:00.000Z', exhaustedOffset: '+1h', stepsPagingNobody: 0 });
  });

  it('refuses a service without a policy, an unknown service and a missing argument', async () => {
    writeFileSync(file, CLEAN.replace('services:\n', 'services:\n  - { id: search, name: Search }\n'));
    expect(await cli('page-trace', 'search')).toEqual({ code: 1, out: 'klaxon: service search has no escalation policy: an incident declared for it pages nobody' });
    expect(await cli('page-trace', 'nope')).toEqual({ code: 1, out: 'klaxon: unknown service "nope" (known: search, api)' });
    expect(await cli('page-trace')).toEqual({ code: 2, out: 'klaxon: page-trace: missing <service>; see npx klaxon page-trace --help' });
  });
});

describe('help', () => {
  it('lists the commands and explains each one', async () => {
    const usage = (await cli('help')).out;
    for (const command of ['rota check [file]', 'oncall [service] [--at TIME]', 'page-trace <service> [--at TIME]']) expect(usage).toContain(command);
    expect(await cli('rota', 'check', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: npx klaxon rota check \[file\]/) });
    expect(await cli('oncall', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: npx klaxon oncall \[service\]/) });
    expect(await cli('page-trace', '-h')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: npx klaxon page-trace <service>/) });
    expect((await cli('help', 'page-trace')).out).toBe((await cli('page-trace', '--help')).out);
    expect(await cli('db', 'migrate', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: npx klaxon db migrate/) });
    expect(await cli('rota')).toEqual({ code: 2, out: 'klaxon: rota: missing sub-command (check); see npx klaxon rota --help' });
  });
});
