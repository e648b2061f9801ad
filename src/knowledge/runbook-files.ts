/** Reads the Markdown files of the runbooks directory (and its sub-directories), in a stable order. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RunbookFile } from './runbook.ts';

export function readRunbookFiles(dir: string): { files: RunbookFile[]; missing: boolean } {
  if (!existsSync(dir)) return { files: [], missing: true };
  const paths = (readdirSync(dir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.md') && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return { files: paths.map((path) => ({ path: relative(dir, path).split(sep).join('/'), text: readFileSync(path, 'utf8') })), missing: false };
}
