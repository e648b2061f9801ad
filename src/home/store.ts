/** Who has opened the Home tab lately: they get it published again when incidents change. */
import { desc, gte, sql } from 'drizzle-orm';
import { homeVisitors } from '../../db/schema.ts';
import { preparedStatements, type Db } from '../core/db.ts';

const statements = preparedStatements((db) => ({
  visited: db
    .insert(homeVisitors)
    .values({ userId: sql.placeholder('userId'), openedAt: sql.placeholder('at') })
    .onConflictDoUpdate({ target: homeVisitors.userId, set: { openedAt: sql`excluded.opened_at` } })
    .prepare(),
  since: db.select({ userId: homeVisitors.userId }).from(homeVisitors).where(gte(homeVisitors.openedAt, sql.placeholder('since'))).orderBy(desc(homeVisitors.openedAt)).limit(sql.placeholder('limit')).prepare(),
}));

export async function recordVisit(db: Db, userId: string, at: number): Promise<void> {
  await statements(db).visited.run({ userId, at });
}

export async function visitorsSince(db: Db, since: number, limit: number): Promise<string[]> {
  return (await statements(db).since.all({ since, limit })).map((row) => row.userId);
}
