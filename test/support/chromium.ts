/**
 * Where the browser tests find Chromium: `chromium` on PATH, as Debian's package installs it (`npm run setup`
 * installs it). Without it they fail with one line saying what to install and how, rather than with
 * playwright's stack.
 */
import { onPath } from './executables.ts';

export const CHROMIUM_MISSING = 'Chromium is not installed (no `chromium` on PATH): the browser tests drive the system\'s Chromium. Run `npm run setup` (Debian or Ubuntu: `apt-get install chromium`), then run the tests again.';

/** The path of `chromium` on `path` (a PATH value), or undefined. */
export function findChromium(path: string | undefined): string | undefined {
  return onPath(path, ['chromium']);
}
