/**
 * The storage seam on both engines: what a transaction promises (all or nothing, unseen until committed, writers
 * one at a time, savepoints inside), and on Postgres a connection dropped in the middle.
 */
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { settings } from '../../../db/schema.ts';
import { afterCommit, exec, many, one, transaction, type Db } from '../../../src/core/db.ts';
import { openKlaxonDatabase, type OpenedDatabase } from '../../../src/core/open-database.ts';
import { tempDir } from '../../support/db.ts';
import { scratchDatabase, type ScratchDatabase } from '../../support/postgres.ts';

const opened: OpenedDatabase[] = [];
let cleanup: (() => Promise<void> | void) | undefined;
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
  await cleanup?.();
  cleanup = undefined;
});

/** Two handles on one database: two SQLite connections to one file, or two Postgres pools. */
async function twoHandles(engine: 'sqlite' | 'postgres'): Promise<[Db, Db]> {
  let target: string;
  if (engine === 'sqlite') {
    const tmp = tempDir();
    cleanup = () => tmp.remove();
    target = join(tmp.dir, 'klaxon.db');
  } else {
    const scratch: ScratchDatabase = await scratchDatabase();
    cleanup = () => scratch.drop();
    target = scratch.url;
  }
  const first = await openKlaxonDatabase(target);
  const second = await openKlaxonDatabase(target);
  opened.push(first, second);
  return [first.db, second.db];
}

const valueOf = async (db: Db, name: string): Promise<string | undefined> => (await one(db, db.select().from(settings).where(eq(settings.name, name))))?.value;
const put = (db: Db, name: string, value: string) => exec(db, db.insert(settings).values({ name, value }).onConflictDoUpdate({ target: settings.name, set: { value } }));

describe.each(['sqlite', 'postgres'] as const)('transactions on %s', (engine) => {
  it('keep everything or nothing, and run afterCommit only once committed', async () => {
    const [db] = await twoHandles(engine);
    const told: string[] = [];
    await transaction(db, async () => {
      await put(db, 'a', '1');
      afterCommit(db, () => told.push('kept'));
      expect(told).toEqual([]);
      await put(db, 'b', '2');
    });
    await expect(
      transaction(db, async () => {
        await put(db, 'a', 'changed');
        afterCommit(db, () => told.push('rolled back'));
        throw new Error('refused halfway');
      }),
    ).rejects.toThrow('refused halfway');
    expect([await valueOf(db, 'a'), await valueOf(db, 'b')]).toEqual(['1', '2']);
    expect(told).toEqual(['kept']);
  });

  it('are never seen half done from elsewhere in the process', async () => {
    const [db] = await twoHandles(engine);
    // Another request's read, made from its own context once this transaction has written half of its work.
    let halfWritten!: () => void;
    const outside = new Promise<void>((resolve) => (halfWritten = resolve)).then(() => valueOf(db, 'seen'));
    await transaction(db, async () => {
      await put(db, 'seen', 'uncommitted');
      halfWritten();
      await nextTurn();
      await nextTurn();
      await put(db, 'seen', 'committed');
    });
    expect(await outside).not.toBe('uncommitted');
  });

  it('run writers one at a time, so that read, decide and write never lose an update', async () => {
    const [first, second] = await twoHandles(engine);
    await put(first, 'counter', '0');
    const increment = (db: Db) =>
      transaction(db, async () => {
        const value = Number(await valueOf(db, 'counter'));
        await nextTurn();
        await put(db, 'counter', String(value + 1));
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 ? first : second)));
    expect(await valueOf(first, 'counter')).toBe('20');
  });

  it('nest as savepoints: an inner failure undoes only its own part', async () => {
    const [db] = await twoHandles(engine);
    await transaction(db, async () => {
      await put(db, 'outer', 'kept');
      await transaction(db, async () => {
        await put(db, 'inner', 'undone');
        throw new Error('inner refused');
      }).catch(() => undefined);
      await transaction(db, () => put(db, 'second inner', 'kept'));
    });
    expect(await many(db, sql`select name from settings order by name`)).toEqual([{ name: 'outer' }, { name: 'second inner' }]);
  });
});

describe('a Postgres connection dropped in the middle of a transaction', () => {
  it('fails that transaction, keeps nothing of it, and the next one runs on a fresh connection', async () => {
    const [db, other] = await twoHandles('postgres');
    await expect(
      transaction(db, async () => {
        await put(db, 'dropped', 'half');
        const [{ pid }] = (await many<{ pid: number }>(db, sql`select pg_backend_pid() as pid`)) as [{ pid: number }];
        await many(other, sql`select pg_terminate_backend(${pid})`);
        await put(db, 'dropped', 'whole');
      }),
    ).rejects.toThrow();
    expect(await valueOf(db, 'dropped')).toBeUndefined();
    await transaction(db, () => put(db, 'after', 'fine'));
    expect(await valueOf(db, 'after')).toBe('fine');
  });
});
