/**
 * A Postgres database of the test's own: made on the server `npm run setup` starts (or KLAXON_TEST_POSTGRES_URL)
 * and dropped afterwards. Without a running server the test fails with one line saying how to start one.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../../src/core/urls.ts';

export const POSTGRES_ADMIN_URL = process.env.KLAXON_TEST_POSTGRES_URL ?? 'postgres://klaxon:klaxon@127.0.0.1:5432/postgres';

export const POSTGRES_MISSING = `No Postgres answers at ${redactUrl(POSTGRES_ADMIN_URL)}: the tests of the Postgres engine need one. Run \`npm run setup\` (it installs and starts Debian's postgresql and creates the role klaxon), or set KLAXON_TEST_POSTGRES_URL, then run the tests again.`;

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch {
    throw new Error(POSTGRES_MISSING);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The rows one statement returns, on a connection of its own to `url` (closed after). */
export async function queryRows<T = unknown>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function scratchDatabase(): Promise<ScratchDatabase> {
  const name = `klaxon_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => dropDatabase(name) };
}

/**
 * Drops it, ending its connections; tried again a few times, since a connection of Postgres's own (autovacuum)
 * may hold it for a moment, and the role klaxon may not end those.
 */
async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin((client) => client.query(`drop database if exists ${name} with (force)`));
      return;
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
