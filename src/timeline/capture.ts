/**
 * Adding to the timeline: notes, and messages captured with the "Add to incident timeline" shortcut or a
 * :pushpin: reaction. A message is one entry however many people capture it (keyed by channel and ts), keeps
 * its author and its own time, and stays while anyone still has it pinned or added; removing the last pin
 * takes it back. Edits and deletions in Slack are reflected. What Slack has to be asked for (the text of a
 * pinned message, the permalink) is filled in by a job, so a Slack failure loses nothing.
 */
import { transaction } from '../core/db.ts';
import { refuseTooLong, UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { SlackCallError, type SlackGateway } from '../core/slack-gateway.ts';
import { getIncidentAccess, incidentRef } from '../incidents/index.ts';
import { NOTE_MAX } from './blocks.ts';
import { jobKinds } from './ids.ts';
import { addTimelineEvent, captureData, entryById, entryByKey, insertMessageEntry, messageKey, updateEntry, type CaptureData } from './store.ts';

export type CaptureDeps = Pick<Kit, 'db' | 'clock' | 'scheduler'>;

export async function addNote(deps: CaptureDeps, incidentId: number, text: string, by: string): Promise<void> {
  const note = text.trim();
  if (!note) throw new UserError('Write the note after the command: `/incident note Rolled back release 4.2`.');
  refuseTooLong('note', note, NOTE_MAX);
  if ((await getIncidentAccess(deps.db, incidentId))!.closedAt !== null) throw new UserError(`${incidentRef(incidentId)} is closed.`);
  const at = deps.clock.now();
  await addTimelineEvent(deps.db, { incidentId, kind: 'note', at, actorId: by, text: note, recordedAt: at });
}

export interface CapturedMessage {
  incidentId: number;
  channelId: string;
  ts: string;
  /** Known from the shortcut's payload or the reaction's `item_user`; filled in later otherwise. */
  authorId?: string;
  text?: string;
}

/** Slack's message ts (`1700000000.000100`) as epoch milliseconds. */
export function tsToMs(ts: string): number {
  return Math.floor(Number(ts) * 1000);
}

/** What capturing a message did: added it, found it there already, or found it deleted in Slack. */
export type CaptureOutcome = 'added' | 'already' | 'deleted';

export async function captureMessage(deps: CaptureDeps, message: CapturedMessage, by: string, via: 'pin' | 'shortcut'): Promise<CaptureOutcome> {
  const { db } = deps;
  const at = deps.clock.now();
  return transaction(db, async (): Promise<CaptureOutcome> => {
    const existing = await entryByKey(db, messageKey(message.channelId, message.ts));
    if (!existing) {
      const data: CaptureData = { pinnedBy: via === 'pin' ? [by] : [], addedBy: via === 'shortcut' ? [by] : [] };
      const id = await insertMessageEntry(db, { incidentId: message.incidentId, channelId: message.channelId, ts: message.ts, at: tsToMs(message.ts), actorId: message.authorId ?? null, text: message.text ?? null, permalink: null, data, recordedAt: at });
      if (id !== undefined) await deps.scheduler.schedule(db, { kind: jobKinds.fill, key: `fill:${id}`, dueAt: at, payload: { entryId: id } });
      return 'added';
    }
    const data = captureData(existing);
    if (data.deletedInSlack) return 'deleted';
    const list = via === 'pin' ? data.pinnedBy : data.addedBy;
    if (!list.includes(by)) list.push(by);
    const wasHidden = existing.deletedAt !== null;
    await updateEntry(db, { id: existing.id, actorId: existing.actorId ?? message.authorId ?? null, text: existing.text ?? message.text ?? null, permalink: existing.permalink, data, deletedAt: null });
    return wasHidden ? 'added' : 'already';
  });
}

/** A :pushpin: removed: the entry goes when nobody has it pinned or added now. */
export async function releasePin(deps: CaptureDeps, channelId: string, ts: string, by: string): Promise<boolean> {
  const { db } = deps;
  return transaction(db, async () => {
    const existing = await entryByKey(db, messageKey(channelId, ts));
    if (!existing || existing.deletedAt !== null) return false;
    const data = captureData(existing);
    data.pinnedBy = data.pinnedBy.filter((u) => u !== by);
    const gone = data.pinnedBy.length === 0 && data.addedBy.length === 0;
    await updateEntry(db, { ...existing, data, deletedAt: gone ? deps.clock.now() : null });
    return gone;
  });
}

/**
 * A captured message was edited in Slack: the entry shows the new words. Read and written in one transaction,
 * so that a pin added or removed meanwhile is not lost (as for the two below).
 */
export async function reflectEdit(deps: CaptureDeps, channelId: string, ts: string, text: string): Promise<boolean> {
  const { db } = deps;
  return transaction(db, async () => {
    const existing = await entryByKey(db, messageKey(channelId, ts));
    if (!existing) return false;
    await updateEntry(db, { ...existing, text, data: { ...captureData(existing), editedAt: deps.clock.now() } });
    return true;
  });
}

/** A captured message was deleted in Slack: so is its entry. */
export async function reflectDeletion(deps: CaptureDeps, channelId: string, ts: string): Promise<boolean> {
  const { db } = deps;
  return transaction(db, async () => {
    const existing = await entryByKey(db, messageKey(channelId, ts));
    if (!existing) return false;
    await updateEntry(db, { ...existing, data: { ...captureData(existing), deletedInSlack: true }, deletedAt: existing.deletedAt ?? deps.clock.now() });
    return true;
  });
}

/** The job: asks Slack for what the capture did not carry (the text and author of a pinned message, the permalink). */
export async function fillEntry(deps: CaptureDeps & { slack: SlackGateway }, entryId: number): Promise<void> {
  const entry = await entryById(deps.db, entryId);
  if (!entry || entry.sourceChannelId === null || entry.sourceTs === null) return;
  const channel = entry.sourceChannelId;
  const ts = entry.sourceTs;
  let { text, actorId, permalink } = entry;
  if (text === null || actorId === null) {
    const found = await findMessage(deps.slack, channel, ts);
    if (!found) {
      await reflectDeletion(deps, channel, ts);
      return;
    }
    text ??= found.text;
    actorId ??= found.user ?? null;
  }
  if (permalink === null) permalink = String((await deps.slack.call('chat.getPermalink', { channel, message_ts: ts })).permalink ?? '') || null;
  // Re-read: a pin may have been removed or the message edited while Slack answered.
  await transaction(deps.db, async () => {
    const current = (await entryById(deps.db, entryId))!;
    await updateEntry(deps.db, { ...current, text: current.text ?? text, actorId: current.actorId ?? actorId, permalink });
  });
}

/** One message by its ts: top-level ones through conversations.history, thread replies through conversations.replies. */
async function findMessage(slack: SlackGateway, channel: string, ts: string): Promise<{ text: string; user?: string } | undefined> {
  const range = { channel, oldest: ts, latest: ts, inclusive: true, limit: 1 };
  const pick = (messages: unknown) => ((messages ?? []) as { ts: string; text?: string; user?: string }[]).find((m) => m.ts === ts);
  const top = pick((await slack.call('conversations.history', range)).messages);
  if (top) return { text: top.text ?? '', ...(top.user ? { user: top.user } : {}) };
  let found;
  try {
    found = pick((await slack.call('conversations.replies', { ...range, ts })).messages);
  } catch (error) {
    if (error instanceof SlackCallError && error.code === 'thread_not_found') return undefined;
    throw error;
  }
  return found ? { text: found.text ?? '', ...(found.user ? { user: found.user } : {}) } : undefined;
}
