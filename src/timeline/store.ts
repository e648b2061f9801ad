/**
 * The timeline feature's queries over `timeline_events`, prepared once per database, and the table's one writer:
 * other features add their entries through addTimelineEvent. Captured messages are found by their key
 * (`message:<channel>:<ts>`), and entries taken back are kept with `deleted_at` set.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { timelineEvents } from '../../db/schema.ts';
import { param, preparedStatements, type Db } from '../core/db.ts';
import type { NewTimelineEvent, TimelineEvent } from '../incidents/index.ts';

/** Who brought a captured message into the timeline: the :pushpin: reactions and the shortcut. */
export interface CaptureData extends Record<string, unknown> {
  pinnedBy: string[];
  addedBy: string[];
  editedAt?: number;
  deletedInSlack?: boolean;
}

const p = sql.placeholder;

const statements = preparedStatements((db) => ({
  insert: db
    .insert(timelineEvents)
    .values({ incidentId: p('incidentId'), kind: p('kind'), at: p('at'), actorId: p('actorId'), text: p('text'), data: p('data'), key: p('key'), recordedAt: p('recordedAt') })
    .onConflictDoNothing({ target: timelineEvents.key })
    .returning({ id: timelineEvents.id })
    .prepare(),
  byKey: db.select().from(timelineEvents).where(eq(timelineEvents.key, p('key'))).prepare(),
  byId: db.select().from(timelineEvents).where(eq(timelineEvents.id, p('id'))).prepare(),
  insertMessage: db
    .insert(timelineEvents)
    .values({
      incidentId: p('incidentId'),
      kind: 'message',
      at: p('at'),
      actorId: p('actorId'),
      text: p('text'),
      data: p('data'),
      key: p('key'),
      sourceChannelId: p('channelId'),
      sourceTs: p('ts'),
      permalink: p('permalink'),
      recordedAt: p('recordedAt'),
    })
    .onConflictDoNothing({ target: timelineEvents.key })
    .returning({ id: timelineEvents.id })
    .prepare(),
  update: db
    .update(timelineEvents)
    .set({ actorId: param('actorId'), text: param('text'), permalink: param('permalink'), data: param('data'), deletedAt: param('deletedAt') })
    .where(eq(timelineEvents.id, p('id')))
    .prepare(),
  visibleTimes: db
    .select({ at: timelineEvents.at })
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, p('incidentId')), isNull(timelineEvents.deletedAt)))
    .orderBy(asc(timelineEvents.at), asc(timelineEvents.id))
    .prepare(),
  visibleSlice: db
    .select()
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, p('incidentId')), isNull(timelineEvents.deletedAt)))
    .orderBy(asc(timelineEvents.at), asc(timelineEvents.id))
    .limit(p('limit'))
    .offset(p('offset'))
    .prepare(),
  visible: db
    .select()
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, p('incidentId')), isNull(timelineEvents.deletedAt)))
    .orderBy(asc(timelineEvents.at), asc(timelineEvents.id))
    .prepare(),
}));

/** Adds an entry and returns its id; an entry whose key exists already is left as it is (undefined). */
export async function addTimelineEvent(db: Db, event: NewTimelineEvent): Promise<number | undefined> {
  return (await statements(db).insert.get({ actorId: null, text: null, data: null, key: null, ...event }))?.id;
}

export function messageKey(channelId: string, ts: string): string {
  return `message:${channelId}:${ts}`;
}

export async function entryByKey(db: Db, key: string): Promise<TimelineEvent | undefined> {
  return statements(db).byKey.get({ key });
}

export async function entryById(db: Db, id: number): Promise<TimelineEvent | undefined> {
  return statements(db).byId.get({ id });
}

export async function insertMessageEntry(
  db: Db,
  entry: { incidentId: number; channelId: string; ts: string; at: number; actorId: string | null; text: string | null; permalink: string | null; data: CaptureData; recordedAt: number },
): Promise<number | undefined> {
  return (await statements(db).insertMessage.get({ ...entry, key: messageKey(entry.channelId, entry.ts) }))?.id;
}

export async function updateEntry(db: Db, entry: Pick<TimelineEvent, 'id' | 'actorId' | 'text' | 'permalink' | 'deletedAt'> & { data: Record<string, unknown> | null }): Promise<void> {
  await statements(db).update.run({ ...entry, data: entry.data === null ? null : JSON.stringify(entry.data) });
}

/** The incident's timeline as people see it: oldest first, without entries taken back. */
export async function visibleEntries(db: Db, incidentId: number): Promise<TimelineEvent[]> {
  return statements(db).visible.all({ incidentId });
}

/** The times of the visible entries, oldest first: enough to cut the timeline into pages. */
export async function visibleTimes(db: Db, incidentId: number): Promise<number[]> {
  return (await statements(db).visibleTimes.all({ incidentId })).map((row) => row.at);
}

/** The visible entries from position `from` (0 = oldest) up to, not including, `to`. */
export async function visibleSlice(db: Db, incidentId: number, from: number, to: number): Promise<TimelineEvent[]> {
  return statements(db).visibleSlice.all({ incidentId, offset: from, limit: Math.max(0, to - from) });
}

export function captureData(entry: TimelineEvent): CaptureData {
  const data = entry.data ?? {};
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return { ...data, pinnedBy: list(data.pinnedBy), addedBy: list(data.addedBy) };
}
