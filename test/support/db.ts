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

/**
 * Where a test's Klaxon keeps its data: the SQLite file given, or, when KLAXON_TEST_DB=postgres, a scratch
 * Postgres database of its own (dropped by `drop`). `.ci/run` runs the integration and end-to-end suites both ways.
 */
export async function testDatabaseTarget(file: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (process.env.KLAXON_TEST_DB !== 'postgres') return { url: file, drop: async () => undefined };
  const { scratchDatabase } = await import('./postgres.ts');
  const scratch = await scratchDatabase();
  return { url: scratch.url, drop: () => scratch.drop() };
}
