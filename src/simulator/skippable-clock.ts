/**
 * The demo's clock, and the end-to-end tests': real time, plus the time skipped ("five minutes later, nobody
 * has acknowledged"), less what it started behind. Skipping fires every timer that fell due in the skipped
 * time, in order, so escalations and reminders happen as they would have; Klaxon and the simulated Slack read
 * the same clock. It only ever moves forward.
 */
import type { Cancel, Clock } from '../core/clock.ts';

interface Timer {
  at: number;
  fn: () => void;
  handle: NodeJS.Timeout | undefined;
}

export class SkippableClock implements Clock {
  private skipped: number;
  private readonly timers = new Set<Timer>();

  /** `behindMs`: how far behind real time the clock starts; skipping that much in all brings it to real time. */
  constructor(behindMs = 0) {
    this.skipped = -behindMs;
  }

  now(): number {
    return Date.now() + this.skipped;
  }

  setTimer(at: number, fn: () => void): Cancel {
    const timer: Timer = { at, fn, handle: undefined };
    this.timers.add(timer);
    this.arm(timer);
    return () => {
      clearTimeout(timer.handle);
      this.timers.delete(timer);
    };
  }

  /**
   * Moves the clock `ms` forward. Each timer that falls due in the skipped time fires at its own time, the clock
   * reading that time, and `settle` (the work it set off) finishes before the clock moves on: a reminder due
   * five minutes into a fifteen-minute skip says "15m" and is stamped then, not at the end of the skip.
   */
  async jumpAhead(ms: number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const until = this.skipped + ms;
    for (;;) {
      const due = [...this.timers].filter((t) => t.at <= Date.now() + until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.skipped = Math.min(until, Math.max(this.skipped, this.skipped + due.at - this.now()));
      clearTimeout(due.handle);
      this.timers.delete(due);
      due.fn();
      await settle();
    }
    this.skipped = until;
    for (const timer of this.timers) {
      clearTimeout(timer.handle);
      this.arm(timer);
    }
  }

  private arm(timer: Timer): void {
    // setTimeout takes at most 2^31-1 ms; a longer wait is re-armed when the first one ends.
    const wait = Math.min(Math.max(0, timer.at - this.now()), 2 ** 31 - 1);
    timer.handle = setTimeout(() => {
      if (timer.at > this.now()) return this.arm(timer);
      this.timers.delete(timer);
      timer.fn();
    }, wait);
    timer.handle.unref();
  }
}
