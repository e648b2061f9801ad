/** The post-mortem feature's queries, prepared once per database. */
import { eq, sql } from 'drizzle-orm';
import { postmortems } from '../../db/schema.ts';
import { param, preparedStatements, type Db } from '../core/db.ts';

export type PostmortemRow = typeof postmortems.$inferSelect;

const p = sql.placeholder;

const statements = preparedStatements((db) => ({
  get: db.select().from(postmortems).where(eq(postmortems.incidentId, p('incidentId'))).prepare(),
  saveDraft: db
    .insert(postmortems)
    .values({ incidentId: p('incidentId'), form: p('form'), state: 'draft', revision: 1, createdBy: p('by'), createdAt: p('at'), updatedBy: p('by'), updatedAt: p('at') })
    .onConflictDoUpdate({
      target: postmortems.incidentId,
      set: { form: sql`excluded.form`, state: 'draft', revision: sql`${postmortems.revision} + 1`, updatedBy: sql`excluded.updated_by`, updatedAt: sql`excluded.updated_at` },
    })
    .returning({ revision: postmortems.revision })
    .prepare(),
  saveComplete: db
    .insert(postmortems)
    .values({
      incidentId: p('incidentId'),
      form: p('form'),
      completeForm: p('form'),
      state: 'complete',
      rootCause: p('rootCause'),
      whys: p('whys'),
      revision: 1,
      completeRevision: 1,
      createdBy: p('by'),
      createdAt: p('at'),
      updatedBy: p('by'),
      updatedAt: p('at'),
      completedBy: p('by'),
      completedAt: p('at'),
    })
    .onConflictDoUpdate({
      target: postmortems.incidentId,
      set: {
        form: sql`excluded.form`,
        completeForm: sql`excluded.form`,
        state: 'complete',
        rootCause: sql`excluded.root_cause`,
        whys: sql`excluded.whys`,
        revision: sql`${postmortems.revision} + 1`,
        completeRevision: sql`${postmortems.revision} + 1`,
        updatedBy: sql`excluded.updated_by`,
        updatedAt: sql`excluded.updated_at`,
        completedBy: sql`excluded.updated_by`,
        completedAt: sql`excluded.updated_at`,
      },
    })
    .returning({ revision: postmortems.revision })
    .prepare(),
  setDocument: db.update(postmortems).set({ document: param('document') }).where(eq(postmortems.incidentId, p('incidentId'))).prepare(),
  setFile: db.update(postmortems).set({ fileId: param('fileId'), fileRevision: param('revision') }).where(eq(postmortems.incidentId, p('incidentId'))).prepare(),
}));

export async function getPostmortem(db: Db, incidentId: number): Promise<PostmortemRow | undefined> {
  return statements(db).get.get({ incidentId });
}

/** Saves a draft (the complete version, the search words and the document stay) and returns the new revision. */
export async function saveDraft(db: Db, row: { incidentId: number; form: Record<string, unknown>; by: string; at: number }): Promise<number> {
  return (await statements(db).saveDraft.get(row))!.revision;
}

/** Saves a complete version and returns its revision (which keys its publish job). */
export async function saveComplete(db: Db, row: { incidentId: number; form: Record<string, unknown>; rootCause: string; whys: string; by: string; at: number }): Promise<number> {
  return (await statements(db).saveComplete.get(row))!.revision;
}

export async function setDocument(db: Db, incidentId: number, document: string): Promise<void> {
  await statements(db).setDocument.run({ incidentId, document });
}

export async function setFile(db: Db, incidentId: number, fileId: string, revision: number): Promise<void> {
  await statements(db).setFile.run({ incidentId, fileId, revision });
}
