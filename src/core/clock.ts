/** The only source of "now". Use cases read it once and pass `at` down; pure code never reads a clock. */
export type Cancel = () => void;

export interface Clock {
  /** UTC epoch milliseconds. */
  now(): number;
  /** Calls `fn` once at (or soon after) `at`. The timer does not keep the process alive. */
  setTimer(at: number, fn: () => void): Cancel;
}

/** setTimeout takes at most 2^31-1 ms; longer waits re-arm in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fn) {
    let handle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      const wait = at - Date.now();
      handle = wait > MAX_TIMEOUT_MS ? setTimeout(arm, MAX_TIMEOUT_MS) : setTimeout(fn, Math.max(0, wait));
      handle.unref();
    };
    arm();
    return () => clearTimeout(handle);
  },
};
