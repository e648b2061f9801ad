/** The main thread's wake-ups for the job worker: gathered for a millisecond, posted once with the earliest time. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gatherWakes } from '../../../src/job-worker.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('gatherWakes', () => {
  it('posts once, a millisecond after the first wake-up, with the earliest time asked for', () => {
    const posted: number[] = [];
    const wake = gatherWakes((at) => posted.push(at));
    wake(5_000);
    wake(2_000);
    wake(9_000);
    expect(posted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(posted).toEqual([2_000]);
  });

  it('starts afresh after posting', () => {
    const posted: number[] = [];
    const wake = gatherWakes((at) => posted.push(at));
    wake(2_000);
    vi.advanceTimersByTime(1);
    wake(7_000);
    vi.advanceTimersByTime(1);
    expect(posted).toEqual([2_000, 7_000]);
  });
});
