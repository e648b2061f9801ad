/**
 * A precomputed answer to "who is on call at t" for one schedule over a window [from, to): the segments
 * of rota.ts's whoIsOnCall, built once, then looked up by binary search over their starts in a typed
 * array. Inside the window it returns exactly what the direct computation returns (the same frozen
 * OnCall each time for a segment); outside it falls back to the direct computation.
 */
import { segmentsBetween, whoIsOnCall } from './rota.ts';
import type { OnCall, Schedule } from './rota.ts';

export interface HandoffTable {
  readonly from: number;
  readonly to: number;
  whoIsOnCall(at: number): OnCall | undefined;
}

export function buildHandoffTable(schedule: Schedule, from: number, to: number): HandoffTable {
  const segments = segmentsBetween(schedule, from, to).map((segment) => Object.freeze(segment));
  const starts = Float64Array.from(segments, (s) => s.start);
  const ends = Float64Array.from(segments, (s) => s.end);
  return {
    from,
    to,
    whoIsOnCall(at: number): OnCall | undefined {
      if (!(at >= from && at < to)) return whoIsOnCall(schedule, at);
      const i = lastStartAtOrBefore(starts, at);
      // Between segments (before the rotation starts, outside every override) nobody is on call.
      return i >= 0 && at < ends[i]! ? segments[i] : undefined;
    },
  };
}

/** The index of the last start <= at, or -1. */
function lastStartAtOrBefore(starts: Float64Array, at: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
