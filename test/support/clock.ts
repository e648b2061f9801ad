/** A clock that moves only when told to; `advance` fires due timers in time order. */
import type { Cancel, Clock } from '../../src/core/clock.ts';

export class FakeClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;

  constructor(private current = Date.UTC(2026, 10, 23, 9, 0)) {}

  now(): number {
    return this.current;
  }

  setTimer(at: number, fn: () => void): Cancel {
    const id = this.nextId++;
    this.timers.push({ at, fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  /** Moves time forward by `ms`, firing each due timer at its own time; awaits between timers so work can run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
    await settle();
  }

  pendingTimers(): number[] {
    return this.timers.map((t) => t.at).sort((a, b) => a - b);
  }
}

/** Lets pending promise callbacks and I/O run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
