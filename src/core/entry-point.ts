/**
 * Whether the module at `moduleUrl` is the program Node was started with (`tsx src/start.ts`), so that it runs
 * itself; in the build, dist/ loads the bundle and calls its `run` (scripts/run-bundle.cjs).
 */
import { pathToFileURL } from 'node:url';

export function isProgram(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}
