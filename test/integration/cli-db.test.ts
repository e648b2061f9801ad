/** `npx klaxon audit`, `db backup` and `db check` on a real database written through the use cases. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { Scheduler } from '../../src/core/scheduler/index.ts';
import { declareIncident, DEFAULT_REMINDER_INTERVALS, incidentChanges } from '../../src/incidents/index.ts';
import { addTimelineEvent } from '../../src/timeline/index.ts';
import { FakeClock } from '../support/clock.ts';
import { testDatabase } from '../support/db.ts';

const NOW = Date.parse('2026-11-23T14:05:00Z');
let database: ReturnType<typeof testDatabase>;

beforeEach(async () => {
  database = testDatabase();
  const clock = new FakeClock(NOW);
  const deps = { db: database.db, clock, scheduler: new Scheduler({ db: database.db, clock, logger: silentLogger }), services: [], reminderIntervals: DEFAULT_REMINDER_INTERVALS, admins: ['U01ADMIN'], addTimelineEvent };
  declareIncident(deps, { title: 'Checkout fails', severity: 'sev2', serviceId: null, summary: '', isPrivate: false }, 'U01ALICE', {});
  const changes = incidentChanges({ ...deps, requirePerson: () => Promise.resolve() });
  expect(() => changes.resolve(1, 'Rolled back', 'U01BOB')).toThrow("Only INC-1's lead (<@U01ALICE>) or a Klaxon admin can resolve it.");
  changes.changeSeverity(1, 'sev1', 'U01ADMIN', 'all cards');
  changes.resolve(1, 'Rolled back', 'U01ALICE');
});
afterEach(() => database.remove());

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
