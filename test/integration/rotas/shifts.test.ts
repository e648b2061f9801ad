/**
 * Telling people about their shifts, on a real SQLite file with a fake clock: a rota changed in klaxon.yml is
 * noticed on start and told to exactly the people whose next four weeks changed; handoff jobs are scheduled
 * at each shift start, once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { jobs } from '../../../db/schema.ts';
import { parseKlaxonFile } from '../../../src/core/config.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { many, transaction } from '../../../src/core/db.ts';
import { Scheduler } from '../../../src/core/scheduler/index.ts';
import { Rotas } from '../../../src/rotas/rotas.ts';
import { noticeRotaChanges, scheduleNextHandoffs } from '../../../src/rotas/shifts.ts';
import type { ShiftDeps } from '../../../src/rotas/shifts.ts';
import { FakeClock } from '../../support/clock.ts';
import { testDatabase } from '../../support/db.ts';

const file = (participants: string) =>
  parseKlaxonFile(
    `
timezone: Europe/London
schedules:
  - id: primary
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-11-02, participants: [${participants}] }
`,
    'klaxon.yml',
  );

let database: ReturnType<typeof testDatabase>;
afterEach(() => database?.remove());

async function deps(participants: string, clock: FakeClock): Promise<ShiftDeps> {
  const klaxon = file(participants);
  const scheduler = new Scheduler({ db: database.db, clock, logger: silentLogger });
  return { db: database.db, clock, scheduler, rotas: await Rotas.load(klaxon, async () => [], () => clock.now()), file: klaxon, logger: silentLogger } as unknown as ShiftDeps;
}

const jobsOf = (kind: string) => many(database.db, database.db.select().from(jobs).where(eq(jobs.kind, kind)));

describe('noticeRotaChanges', () => {
  it('remembers the rota on first start, then tells only the people whose shifts changed', async () => {
    database = testDatabase();
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 12, 0)); // Monday 23 Nov 2026, 12:00 GMT
    await noticeRotaChanges(await deps('U01ALICE, U01BOB, U01CAROL', clock), clock.now());
    expect(await jobsOf('oncall.shifts_changed')).toEqual([]);

    // Bob and Carol swap places; Alice's weeks stay as they were.
    await noticeRotaChanges(await deps('U01ALICE, U01CAROL, U01BOB', clock), clock.now());
    const told = await jobsOf('oncall.shifts_changed');
    expect(told.map((j) => (j.payload as { userId: string }).userId).sort()).toEqual(['U01BOB', 'U01CAROL']);
    const bob = told.find((j) => (j.payload as { userId: string }).userId === 'U01BOB')!.payload as { change: { after: { start: number }[]; before: { start: number }[] } };
    // Weeks since 2 Nov: Alice, Bob, Carol, Alice (23 Nov), Bob (30 Nov) … became … Carol (30 Nov), Bob (7 Dec).
    expect(bob.change.before[0]!.start).toBe(Date.UTC(2026, 10, 30, 9, 0));
    expect(bob.change.after[0]!.start).toBe(Date.UTC(2026, 11, 7, 9, 0));

    // Starting again with the same file tells nobody again.
    await noticeRotaChanges(await deps('U01ALICE, U01CAROL, U01BOB', clock), clock.now());
    expect(await jobsOf('oncall.shifts_changed')).toHaveLength(2);
  });
});

describe('scheduleNextHandoffs', () => {
  it('schedules one job at the next shift start, whatever the number of starts', async () => {
    database = testDatabase();
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 12, 0));
    const d = await deps('U01ALICE, U01BOB', clock);
    await transaction(database.db, () => scheduleNextHandoffs(d, clock.now()));
    await transaction(database.db, () => scheduleNextHandoffs(d, clock.now()));
    expect((await jobsOf('oncall.handoff')).map((j) => [j.key, j.dueAt])).toEqual([[`handoff:primary:${Date.UTC(2026, 10, 30, 9, 0)}`, Date.UTC(2026, 10, 30, 9, 0)]]);
  });
});
