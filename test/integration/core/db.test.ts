/** The SQLite file: a file a newer Klaxon migrated further than this build knows is refused, unchanged. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db.ts';
import { newestMigrationIn } from '../../../src/core/migrations.ts';
import { packageFile } from '../../../src/core/package-files.ts';
import { tempDir } from '../../support/db.ts';

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp?.remove());

describe('opening the SQLite file', () => {
  it('refuses a file a newer Klaxon migrated, and changes nothing in it', () => {
    tmp = tempDir();
    const file = join(tmp.dir, 'klaxon.db');
    openDatabase(file).close();
    const later = newestMigrationIn(packageFile('db', 'migrations')) + 86_400_000;
    const raw = new Database(file);
    raw.prepare("insert into __drizzle_migrations (hash, created_at) values ('from-a-newer-klaxon', ?)").run(later);
    const before = raw.prepare('select count(*) as n from __drizzle_migrations').get();
    raw.close();

    expect(() => openDatabase(file)).toThrow(
      `${file} was migrated by a newer Klaxon (its last migration is from ${new Date(later).toISOString()}, this one knows none after ${new Date(later - 86_400_000).toISOString()}): start the newer version, or restore a backup made for this one`,
    );
    const after = new Database(file, { readonly: true });
    expect(after.prepare('select count(*) as n from __drizzle_migrations').get()).toEqual(before);
    after.close();
  });

  it('opens a file this build migrated, again and again', () => {
    tmp = tempDir();
    const file = join(tmp.dir, 'klaxon.db');
    openDatabase(file).close();
    const again = openDatabase(file);
    const journal = JSON.parse(readFileSync(packageFile('db', 'migrations', 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    expect(again.sqlite.prepare('select count(*) as n from __drizzle_migrations').get()).toEqual({ n: journal.entries.length });
    again.close();
  });
});
