/** Vitest's global set-up: brings dist/ up to date once, before any test starts Klaxon's build as a process. */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
}
