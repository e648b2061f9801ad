/** Holds a key across every instance while `work` runs (Postgres: an advisory lock). */
export type AcrossInstances = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * Runs async work one at a time per key, in arrival order (two jobs bringing the same escalation's Slack
 * messages up to date must not both post the same DM). In this process by itself; across instances too when
 * given `across` (several instances on Postgres).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly across?: AcrossInstances) {}

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const held = this.across ? () => this.across!(key, work) : work;
    const result = previous.then(held, held);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
