/**
 * Under `npm start` the thread that answers Slack never checkpoints the WAL (a checkpoint copies pages into the
 * database file and syncs it, and the acknowledgement whose commit set it off waited for it); the job worker's
 * connection checkpoints for both, each second. A checkpoint is seen from outside as the database file growing:
 * until then, new pages live only in the WAL.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database_ } from '../../../src/core/db.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { checkpointPeriodically } from '../../../src/core/wal-checkpoints.ts';
import { createKlaxon, loadConfig } from '../../../src/main.ts';
import { FakeClock } from '../../support/clock.ts';

let dir = '';
let file = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'klaxon-wal-'));
  file = join(dir, 'klaxon.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const MEGABYTE = 1024 * 1024;

/** About 5 MB of new pages, more than the 1,000-page (4 MB) threshold of SQLite's automatic checkpoint. */
function writeFiveMegabytes(database: Pick<Database_, 'sqlite'>): void {
  database.sqlite.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)');
  const insert = database.sqlite.prepare('INSERT INTO filler (bytes) VALUES (randomblob(1024))');
  for (let i = 0; i < 5 * 1024; i += 1) insert.run();
}

const fileSize = (): number => statSync(file).size;

describe('openDatabase', () => {
  it('checkpoints automatically by default: the pages reach the database file', () => {
    const database = openDatabase(file);
    const before = fileSize();
    writeFiveMegabytes(database);
    expect(database.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(fileSize()).toBeGreaterThan(before + 3 * MEGABYTE);
    database.close();
  });

  it('with autoCheckpoint false, leaves every page in the WAL', () => {
    const database = openDatabase(file, { autoCheckpoint: false });
    const before = fileSize();
    writeFiveMegabytes(database);
    expect(database.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(fileSize()).toBe(before);
    database.close();
  });
});

describe('checkpointPeriodically', () => {
  it('checkpoints what another connection wrote, once a period has passed, until cancelled', async () => {
    const clock = new FakeClock();
    const writer = openDatabase(file, { autoCheckpoint: false });
    const checkpointer = openDatabase(file);
    const errors: unknown[] = [];
    const cancel = checkpointPeriodically(checkpointer.sqlite, clock, (error) => errors.push(error), 1000);

    const before = fileSize();
    writeFiveMegabytes(writer);
    await clock.advance(999);
    expect(fileSize()).toBe(before);
    await clock.advance(1);
    const afterFirst = fileSize();
    expect(afterFirst).toBeGreaterThan(before + 3 * MEGABYTE);

    writeFiveMegabytes(writer);
    await clock.advance(1000);
    expect(fileSize()).toBeGreaterThan(afterFirst + 3 * MEGABYTE);

    cancel();
    const afterCancel = fileSize();
    writeFiveMegabytes(writer);
    await clock.advance(5000);
    expect(fileSize()).toBe(afterCancel);
    expect(clock.pendingTimers()).toEqual([]);
    expect(errors).toEqual([]);
    writer.close();
    checkpointer.close();
  });

  it('reports a checkpoint that fails and tries again next period', async () => {
    const clock = new FakeClock();
    const database = openDatabase(file);
    const errors: string[] = [];
    const cancel = checkpointPeriodically(database.sqlite, clock, (error) => errors.push(String(error)), 1000);
    database.close();
    await clock.advance(2000);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/not open/);
    cancel();
  });
});

describe('the two halves of npm start', () => {
  it('the answering half never checkpoints; the job half checkpoints what it wrote each second', async () => {
    const clock = new FakeClock();
    const { config } = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      KLAXON_DB: file,
      KLAXON_CONFIG: join(dir, 'none.yml'),
      RUNBOOKS_DIR: join(dir, 'runbooks'),
      LOG_LEVEL: 'error',
    });
    const logger = createLogger('error', () => {});
    const requests = await createKlaxon(config, { role: 'requests', clock, logger });
    const jobs = await createKlaxon(config, { role: 'jobs', clock, logger });
    expect(await jobs.start()).toBe(0);

    const before = fileSize();
    writeFiveMegabytes({ sqlite: requests.database.sqlite! });
    expect(fileSize()).toBe(before);
    await clock.advance(1000);
    expect(fileSize()).toBeGreaterThan(before + 3 * MEGABYTE);

    await jobs.stop();
    await requests.database.close();
  });
});
