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
});
