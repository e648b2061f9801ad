/**
 * What both engines check before migrating: a database that a newer Klaxon has migrated further than this one
 * knows is refused, rather than served by code that does not know its tables. Migrations are applied in order
 * and never edited, so "newer" is "applied a migration later than the last one in this build's journal".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The time stamp (drizzle-kit's `when`) of the newest migration in a folder's journal. */
export function newestMigrationIn(folder: string): number {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(...journal.entries.map((entry) => entry.when));
}

/** Throws if `appliedNewest` (from the database's migration table) is past what this build knows. */
export function refuseNewerDatabase(appliedNewest: number | undefined, folder: string, where: string): void {
  if (appliedNewest === undefined) return;
  const known = newestMigrationIn(folder);
  if (appliedNewest > known) {
    throw new Error(
      `${where} was migrated by a newer Klaxon (its last migration is from ${new Date(appliedNewest).toISOString()}, this one knows none after ${new Date(known).toISOString()}): start the newer version, or restore a backup made for this one`,
    );
  }
}
