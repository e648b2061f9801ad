/**
 * The audit log: one row per consequential act (who, what, to what, when), written in the transaction of the
 * act itself, so that it exists exactly when the act does. `npx klaxon audit` prints it.
 */
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { auditLog } from '../../db/schema.ts';
import { many, preparedStatements, type Db } from './db.ts';

export interface AuditEntry {
  at: number;
  actorId: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
}

export type AuditRow = typeof auditLog.$inferSelect;

const statements = preparedStatements((db) => ({
  insert: db
    .insert(auditLog)
    .values({ at: sql.placeholder('at'), actorId: sql.placeholder('actorId'), action: sql.placeholder('action'), subject: sql.placeholder('subject'), details: sql.placeholder('details') })
    .prepare(),
}));

/** Records an act; call inside the transaction that performs it. */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await statements(db).insert.run({ ...entry, details: entry.details ?? null });
}

/** The log from `since`, oldest first, optionally for one actor or subject. */
export function auditSince(db: Db, filter: { since: number; actorId?: string; subject?: string; limit: number }): Promise<AuditRow[]> {
  const where = and(gte(auditLog.at, filter.since), filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined, filter.subject ? eq(auditLog.subject, filter.subject) : undefined);
  return many(db, db.select().from(auditLog).where(where).orderBy(asc(auditLog.at), asc(auditLog.id)).limit(filter.limit));
}
