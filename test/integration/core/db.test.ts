/**
 * The SQLite file: a file a newer Klaxon migrated further than this build knows is refused, unchanged; a file an
 * older one left keeps its rows through migrations that rebuild tables.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
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

describe('migrating the SQLite file', () => {
  it('keeps every escalation, step and page through the migration that rebuilds their tables (0013, alerts)', () => {
    tmp = tempDir();
    const file = join(tmp.dir, 'klaxon.db');
    // The file as the build before alerts left it: migrated up to 0012.
    const folder = join(tmp.dir, 'migrations');
    cpSync(packageFile('db', 'migrations'), folder, { recursive: true });
    const journalFile = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.tag < '0013') }));
    const raw = new Database(file);
    migrate(drizzle(raw), { migrationsFolder: folder });
    raw.exec(`
      insert into incidents (id, title, severity, status, declared_by, declared_at, updated_at) values (1, 'Checkout errors', 'sev2', 'investigating', 'U01ALICE', 1, 1);
      insert into escalations (id, incident_id, policy_id, service_id, policy, status, started_by, started_at) values (1, 1, 'payments', 'payments', '{"repeat":0,"levels":[]}', 'active', 'U01ALICE', 1);
      insert into escalation_steps (id, escalation_id, level, loop, targets, status, started_at) values (1, 1, 0, 0, '[]', 'paging', 1);
      insert into pages (id, incident_id, escalation_id, step_id, user_id, via, status, paged_at) values (1, 1, 1, 1, 'U01BOB', 'schedule:primary', 'pending', 1);
    `);
    raw.close();

    const migrated = openDatabase(file);
    const count = (table: string) => migrated.sqlite.prepare(`select count(*) as n from ${table}`).get();
    expect([count('escalations'), count('escalation_steps'), count('pages')]).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
    expect(migrated.sqlite.prepare('select incident_id, alert_group_id from escalations').get()).toEqual({ incident_id: 1, alert_group_id: null });
    expect(migrated.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    migrated.close();
  });
});
