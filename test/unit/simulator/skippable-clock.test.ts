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
    clock.jumpAhead(11 * 60_000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(11 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toEqual(['five minutes', 'ten minutes']);
  });

  it('can start behind real time, and skipping as much as it started behind brings it back to real time', async () => {
    const clock = new SkippableClock(90 * 60_000);
    const before = Date.now();
    expect(clock.now()).toBeLessThanOrEqual(before - 90 * 60_000);
    const due = clock.now() + 5 * 60_000;
    const fired = new Promise<number>((resolve) => clock.setTimer(due, () => resolve(clock.now())));
    clock.jumpAhead(30 * 60_000);
    clock.jumpAhead(60 * 60_000);
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.now()).toBeLessThanOrEqual(Date.now());
    expect(await fired).toBeGreaterThanOrEqual(due);
  });
});
