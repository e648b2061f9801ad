import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.ts';
import { Scheduler } from '../../../src/core/scheduler/index.ts';
import { firstSighting, registerForgettingRequests, scheduleForgettingRequests, SIGNATURE_WINDOW_MS } from '../../../src/core/signed-requests.ts';
import { FakeClock } from '../../support/clock.ts';
import { testDatabase } from '../../support/db.ts';

describe('signed requests', () => {
  let database: ReturnType<typeof testDatabase>;
  let clock: FakeClock;
  let scheduler: Scheduler;

  beforeEach(() => {
    database = testDatabase();
    clock = new FakeClock();
    scheduler = new Scheduler({ db: database.db, clock, logger: silentLogger });
    registerForgettingRequests(scheduler, database.db);
  });
  afterEach(async () => {
    await scheduler.stop();
    database.remove();
  });

  const signatures = () => database.sqlite.prepare('SELECT signature FROM slack_requests ORDER BY signature').pluck().all();

  it('knows a signature the second time, and never confuses two', async () => {
    expect(await firstSighting(database.db, 'v0=aaa', clock.now())).toBe(true);
    expect(await firstSighting(database.db, 'v0=bbb', clock.now())).toBe(true);
    expect(await firstSighting(database.db, 'v0=aaa', clock.now())).toBe(false);
    expect(signatures()).toEqual(['v0=aaa', 'v0=bbb']);
  });

  it('forgets, every hour, the signatures whose timestamp a replay could no longer use', async () => {
    await scheduler.start();
    await scheduleForgettingRequests(scheduler, database.db, clock.now());
    const nextHour = (Math.floor(clock.now() / 3_600_000) + 1) * 3_600_000;
    await firstSighting(database.db, 'v0=old', clock.now());
    await firstSighting(database.db, 'v0=recent', nextHour - SIGNATURE_WINDOW_MS + 1_000);
    await clock.advance(nextHour - clock.now());
    await scheduler.idle();
    expect(signatures()).toEqual(['v0=recent']);
    // The job has scheduled its next run, an hour on.
    const next = database.sqlite.prepare("SELECT due_at FROM jobs WHERE kind = 'slack.forget-requests' AND status = 'pending'").pluck().all();
    expect(next).toEqual([nextHour + 3_600_000]);
  });
});
