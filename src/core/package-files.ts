/**
 * Files that ship beside the code (db/migrations, manifest.yml), found from the package's root: the folder
 * holding package.json, above this module whether it runs from src/ through tsx or bundled in dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function packageRoot(): string {
  if (root) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

/** A path inside Klaxon's package, such as packageFile('db', 'migrations'). */
export function packageFile(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
