import { describe, expect, it } from 'vitest';
import { lookAgainIn, type Patience } from '../../../src/core/look-again.ts';

/** Every look a wait makes, as times since it began, following lookAgainIn from the start. */
function looks(patience: Patience, until = Infinity): number[] {
  const at = [0];
  for (;;) {
    const gap = lookAgainIn(at.at(-1)!, patience);
    if (gap === undefined || at.at(-1)! + gap > until) return at;
    at.push(at.at(-1)! + gap);
  }
}

describe('lookAgainIn', () => {
  const pages: Patience = { firstMs: 250, maxMs: 2_000, giveUpAfterMs: 30_000 };

  it('looks soon at first, then twice as far apart each time, up to the longest gap', () => {
    expect(looks(pages, 10_000)).toEqual([0, 250, 500, 1_000, 2_000, 4_000, 6_000, 8_000, 10_000]);
  });

  it('makes its last look exactly when it gives up, and none after', () => {
    const seen = looks({ firstMs: 250, maxMs: 7_000, giveUpAfterMs: 30_000 });
    expect(seen.slice(-4)).toEqual([15_000, 22_000, 29_000, 30_000]);
    expect(lookAgainIn(30_000, pages)).toBeUndefined();
    expect(lookAgainIn(45_000, pages)).toBeUndefined();
  });

  it('bounds a long wait to a few looks: 19 in the pages’ 30 s where a fixed 250 ms made 121', () => {
    expect(looks(pages)).toHaveLength(19);
  });

  it('waits without end when it has no give-up time, never more than the longest gap apart', () => {
    const reminder: Patience = { firstMs: 1_000, maxMs: 60_000 };
    const threeHours = looks(reminder, 3 * 3_600_000);
    expect(threeHours.length).toBeLessThan(190);
    expect(lookAgainIn(10 * 3_600_000, reminder)).toBe(60_000);
  });

  it('takes a wait that seems to start in the future (clocks of two instances apart) as just begun', () => {
    expect(lookAgainIn(-5_000, pages)).toBe(250);
  });
});
