/**
 * How a job waits for something another job brings about (the incident channel, which Slack may create late):
 * it looks again soon at first, then less and less often, so that a long wait costs a few dozen scheduler
 * passes rather than thousands. Pure: the caller says how long it has waited, from its own clock.
 */

export interface Patience {
  /** The shortest gap between looks: the first ones, while what is awaited is most likely to be a moment away. */
  firstMs: number;
  /** The longest gap between looks, however long the wait has lasted. */
  maxMs: number;
  /** After this long the caller stops waiting and does without; the last look falls exactly then. */
  giveUpAfterMs?: number;
}

/**
 * How long to wait before looking again, having waited `waitedMs` so far; undefined once it is time to give up.
 * Each gap is as long as the wait so far (so gaps double: 250 ms, 250 ms, 500 ms, 1 s, 2 s …), kept between
 * `firstMs` and `maxMs`, and cut short so as not to run past the give-up time.
 */
export function lookAgainIn(waitedMs: number, patience: Patience): number | undefined {
  const left = (patience.giveUpAfterMs ?? Infinity) - waitedMs;
  if (left <= 0) return undefined;
  return Math.min(Math.max(waitedMs, patience.firstMs), patience.maxMs, left);
}
