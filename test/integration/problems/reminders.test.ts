/**
 * Problem tickets over time, on a real SQLite file with a fake clock and the fake Slack: the owner is DMed when
 * the ticket is due and weekly after; a new due date moves the reminders; a new owner is told; a resolved
 * ticket is quiet.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.ts';
import { Outbox } from '../../../src/core/outbox.ts';
import { Scheduler } from '../../../src/core/scheduler/index.ts';
import { createSlackGateway } from '../../../src/core/slack-gateway.ts';
import { changeProblemDue, createProblem, markActionDone, reassignProblem, registerProblemJobs, resolveProblem, type TicketDeps } from '../../../src/problems/index.ts';
import { transaction } from '../../../src/core/db.ts';
import { FakeClock } from '../../support/clock.ts';
import { testDatabase } from '../../support/db.ts';
import { startFakeSlack, type FakeSlack } from '../../../src/simulator/slack/index.ts';

const DAY = 86_400_000;
let database: ReturnType<typeof testDatabase>;
let slack: FakeSlack;
let clock: FakeClock;
let scheduler: Scheduler;
let deps: TicketDeps;

beforeEach(async () => {
  database = testDatabase();
  slack = await startFakeSlack();
  clock = new FakeClock(Date.UTC(2026, 10, 23, 12, 0));
  scheduler = new Scheduler({ db: database.db, clock, logger: silentLogger, retryBaseMs: 10 });
  const gateway = createSlackGateway({ token: slack.botToken, slackApiUrl: slack.url, logger: silentLogger });
  deps = { db: database.db, clock, scheduler, timeZone: 'Europe/London', outbox: new Outbox(database.db, gateway, clock), logger: silentLogger };
  registerProblemJobs(scheduler, deps);
  database.sqlite.prepare("INSERT INTO incidents (title, severity, status, declared_by, declared_at, updated_at) VALUES ('Checkout fails', 'sev2', 'resolved', 'U01ALICE', 0, 0)").run();
  await transaction(database.db, () =>
    createProblem(deps, { incidentId: 1, severity: 'sev2', incidentTitle: 'Checkout fails', whys: ['Checkout fails', 'Pool exhausted'], rootCause: 'Pool exhausted', actions: [{ what: 'Raise the pool', ownerId: 'U01BOB', due: '2026-11-25' }], createdBy: 'U01ALICE' }, clock.now()),
  );
  await scheduler.start();
  await scheduler.idle();
});
afterEach(async () => {
  await scheduler.stop();
  await slack.close();
  database.remove();
});

const dms = (userId: string) => slack.state.dmsWith(userId).map((m) => m.text);
/** Moves the fake clock to `iso` (firing what falls due on the way, including what is due now) and lets the jobs run. */
async function at(iso: string): Promise<void> {
  await clock.advance(Date.parse(iso) - clock.now());
  await scheduler.idle();
}

describe('problem ticket reminders', () => {
  it('DMs the owner at creation, on the due date at 09:00 local, then weekly', async () => {
    expect(dms('U01BOB')).toEqual([expect.stringContaining('You own *PRB-1*')]);
    await at('2026-11-25T08:59:00Z');
    expect(dms('U01BOB')).toHaveLength(1);
    await at('2026-11-25T09:00:00Z');
    expect(dms('U01BOB')[1]).toContain('*PRB-1* is due today: Pool exhausted. 1 of 1 actions still open.');
    await at('2026-12-02T09:00:00Z');
    expect(dms('U01BOB')[2]).toContain('*PRB-1* is overdue by 7 days');
  });

  it('moves the reminders with a new due date, tells a new owner, and stops once resolved', async () => {
    await changeProblemDue(deps, 1, '2026-12-10', 'U01ALICE');
    await at('2026-11-25T10:00:00Z');
    expect(dms('U01BOB')).toHaveLength(1);
    await reassignProblem(deps, 1, 'U01CAROL', 'U01ALICE');
    await at(new Date(clock.now()).toISOString());
    expect(dms('U01CAROL')).toEqual([expect.stringContaining('<@U01ALICE> made you the owner of *PRB-1*')]);
    await at('2026-12-10T09:00:00Z');
    expect(dms('U01CAROL')[1]).toContain('*PRB-1* is due today');
    await expect(resolveProblem(deps, 1, '', 'U01CAROL')).rejects.toThrow('1 action is not done');
    await markActionDone(deps, 1, 'U01BOB');
    await expect(markActionDone(deps, 1, 'U01BOB')).rejects.toThrow('already done');
    await resolveProblem(deps, 1, '', 'U01CAROL');
    await at(new Date(clock.now() + 14 * DAY).toISOString());
    expect(dms('U01CAROL')).toHaveLength(2);
    expect(dms('U01BOB')).toHaveLength(1);
  });
});
