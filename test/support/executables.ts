/** Finding the system's programs the tests drive (Chromium, Prometheus, Alertmanager) on PATH, as a shell would. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const isExecutableFile = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The first executable of `names`, in that order, on `path` (a PATH value), or undefined. */
export function onPath(path: string | undefined, names: string[]): string | undefined {
  const dirs = (path ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    const found = dirs.map((dir) => join(dir, name)).find(isExecutableFile);
    if (found) return found;
  }
  return undefined;
}
