import { describe, expect, it } from 'vitest';
import { SkippableClock } from '../../../src/simulator/skippable-clock.ts';

describe('the demo clock', () => {
  it('reads real time plus what was skipped, and fires the timers the skip passed, in their order', async () => {
    const clock = new SkippableClock();
    const before = clock.now();
    const fired: string[] = [];
    clock.setTimer(before + 10 * 60_000, () => fired.push('ten minutes'));
    clock.setTimer(before + 5 * 60_000, () => fired.push('five minutes'));
    const cancel = clock.setTimer(before + 6 * 60_000, () => fired.push('cancelled'));
    clock.setTimer(before + 60 * 60_000, () => fired.push('an hour'));
    cancel();
    await clock.jumpAhead(11 * 60_000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(11 * 60_000);
    expect(fired).toEqual(['five minutes', 'ten minutes']);
  });

  it('fires each timer with the clock at its own time, and lets its work settle before moving on', async () => {
    const clock = new SkippableClock();
    const start = clock.now();
    const seen: { what: string; at: number }[] = [];
    clock.setTimer(start + 5 * 60_000, () => {
      seen.push({ what: 'five minutes', at: clock.now() - start });
      // Work the timer set off schedules more work, as a job schedules the next one.
      clock.setTimer(clock.now() + 60_000, () => seen.push({ what: 'a minute later', at: clock.now() - start }));
    });
    const settled: number[] = [];
    await clock.jumpAhead(15 * 60_000, async () => void settled.push(clock.now() - start));
    expect(seen.map((s) => s.what)).toEqual(['five minutes', 'a minute later']);
    // Real time moves on a little while the test runs; never by a minute.
    expect(seen[0]!.at).toBeGreaterThanOrEqual(5 * 60_000);
    expect(seen[0]!.at).toBeLessThan(6 * 60_000);
    expect(seen[1]!.at).toBeGreaterThanOrEqual(6 * 60_000);
    expect(seen[1]!.at).toBeLessThan(7 * 60_000);
    expect(settled).toHaveLength(2);
    expect(clock.now() - start).toBeGreaterThanOrEqual(15 * 60_000);
  });

  it('can start behind real time, and skipping as much as it started behind brings it back to real time', async () => {
    const clock = new SkippableClock(90 * 60_000);
    const before = Date.now();
    expect(clock.now()).toBeLessThanOrEqual(before - 90 * 60_000);
    const due = clock.now() + 5 * 60_000;
    const fired = new Promise<number>((resolve) => clock.setTimer(due, () => resolve(clock.now())));
    await clock.jumpAhead(30 * 60_000);
    await clock.jumpAhead(60 * 60_000);
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.now()).toBeLessThanOrEqual(Date.now());
    expect(await fired).toBeGreaterThanOrEqual(due);
  });
});
