/**
 * Polls until `check` returns (or resolves to) something other than undefined or false, or fails after `timeoutMs` of real time.
 * Between polls it runs `between` (by default a 20 ms pause; a test may move its clock on instead).
 */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000, between: () => Promise<unknown> = pause): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await between();
  }
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}
