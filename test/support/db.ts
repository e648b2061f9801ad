/** A freshly migrated SQLite file per test, with the real migrations. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/core/db.ts';

export function tempDir(prefix = 'klaxon-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testDatabase(): ReturnType<typeof openDatabase> & { file: string; remove(): void } {
  const tmp = tempDir();
  const file = join(tmp.dir, 'klaxon.db');
  const database = openDatabase(file);
  return {
    ...database,
    file,
    remove() {
      database.close();
      tmp.remove();
    },
  };
}
