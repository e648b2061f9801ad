/**
 * On declaration: find the runbooks and the past incidents that fit, record them (the timeline says "runbook
 * linked"; the post-mortem will list them), post them in the incident channel and bookmark the runbooks there.
 * The choice is made once, in a transaction, and the Slack calls go through the outbox, so a job repeated after
 * a crash or a Slack failure posts the same message once. Also: a responder linking a runbook by hand, and
 * `/incident similar`.
 */
import type { KnownBlock } from '@slack/types';
import type { KlaxonFile } from '../core/config.ts';
import { transaction, type Db } from '../core/db.ts';
import { DeferError, UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import type { Scheduler } from '../core/scheduler/index.ts';
import type { WebLinks } from '../core/web-links.ts';
import { isChannelMember, SlackCallError, type SlackGateway } from '../core/slack-gateway.ts';
import { truncate } from '../core/mrkdwn.ts';
import { getIncident, incidentRef, type Incident } from '../incidents/index.ts';
import { addTimelineEvent } from '../timeline/index.ts';
import { runbookLinkedText, similarAnswer, suggestionsMessage, type PastIncidentItem, type RunbookItem } from './blocks.ts';
import { jobKinds } from './ids.ts';
import { runbooksForIncident, similarIncidents } from './search.ts';
import { linkedRunbooks, linkRunbook, pastIncidents, recordSuggestions, runbookBySlug, setSuggestionMessage, similarFoundFor, suggestionsOf, type PastIncident, type StoredRunbook } from './store.ts';
import { serviceNameOf } from '../core/service-names.ts';

export interface KnowledgeDeps extends Pick<Kit, 'db' | 'clock' | 'slack' | 'outbox' | 'logger' | 'links'> {
  file: KlaxonFile;
  /** Runs in the transaction that records the similar past incidents found on declaration (recurrences). */
  onSimilarFound?: (incidentId: number, similarIds: number[], at: number) => Promise<void>;
  /** The address of a past incident's post-mortem page, when it has one. */
  postmortemUrlOf?: (incidentId: number) => Promise<string | undefined>;
}

/** How long the suggestions wait for the incident channel to exist, looking again this often. */
const CHANNEL_WAIT_MS = 30_000;
const CHANNEL_POLL_MS = 50;

/** Called in the transaction that records the incident's channel: the suggestions are posted as soon as it commits. */
export async function scheduleSuggestions(deps: { db: Db; scheduler: Scheduler }, incidentId: number, at: number): Promise<void> {
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.suggest, key: `suggest:${incidentRef(incidentId)}`, dueAt: at, payload: { incidentId } });
}

export async function postSuggestions(deps: KnowledgeDeps, incidentId: number): Promise<void> {
  const { db, clock } = deps;
  const incident = await getIncident(db, incidentId);
  if (!incident) return;
  await decideSuggestions(deps, incident);
  if (!incident.channelId) {
    if (incident.provisioning === 'pending' && clock.now() - incident.declaredAt < CHANNEL_WAIT_MS) throw new DeferError('waiting for the incident channel', CHANNEL_POLL_MS);
    deps.logger.warn('no channel to post runbooks and similar incidents in', { incident: incidentRef(incidentId), provisioning: incident.provisioning });
    return;
  }

  const now = clock.now();
  const runbooks = (await linkedRunbooks(db, incidentId)).filter((r) => r.linkedBy === null);
  const found = await similarFoundFor(db, incidentId);
  const matched = new Map(found.map((s) => [s.id, s.matched]));
  const runbookItems: RunbookItem[] = [];
  for (const r of runbooks) runbookItems.push(runbookItem(deps, (await runbookBySlug(db, r.slug)) ?? r));
  const pastItems: PastIncidentItem[] = [];
  for (const p of await pastIncidents(db, found.map((s) => s.id))) pastItems.push(await pastIncidentItem(deps, p, matched.get(p.id) ?? []));
  const message = suggestionsMessage(runbookItems, pastItems, now);
  if (message === undefined) return;
  const ref = incidentRef(incidentId);
  const key = `suggest:${ref}`;
  const channel = incident.channelId;
  const posted = await deps.outbox.send(key, 'chat.postMessage', { channel, ...message, unfurl_links: false, unfurl_media: false });
  await setSuggestionMessage(db, incidentId, String(posted.ts));
  for (const r of runbooks) await bookmark(deps, incident, r);
}

/**
 * Chooses, once per incident, what to suggest, and records it with a timeline entry per linked runbook. The
 * searches only read, so they run before the write transaction: SQLite has one writer at a time, and a
 * declaration waiting behind a search would be answered that much later.
 */
async function decideSuggestions(deps: KnowledgeDeps, incident: Incident): Promise<void> {
  const { db, clock } = deps;
  if (await suggestionsOf(db, incident.id)) return;
  const service = deps.file.services.find((s) => s.id === incident.serviceId);
  const runbooks = (await runbooksForIncident(db, incident, { serviceId: incident.serviceId, serviceTags: service?.runbook_tags ?? [] })).map((r) => r.runbook);
  // Posted in a channel whose members are not known in advance: only public past incidents.
  const similar = await similarIncidents(db, incident, { includePrivate: false });
  await transaction(db, async () => {
    if (await suggestionsOf(db, incident.id)) return;
    const at = clock.now();
    await recordSuggestions(db, incident.id, { runbooks, similar }, at);
    if (similar.length) await deps.onSimilarFound?.(incident.id, similar.map((s) => s.id), at);
    for (const r of runbooks) await addTimelineEvent(db, runbookLinkedEvent(deps, incident.id, r, null, at));
  });
}

/** A responder links a runbook from a search answer: recorded now, bookmarked and announced by a job. */
export async function linkRunbookByHand(deps: KnowledgeDeps & { scheduler: Scheduler }, incidentId: number, slug: string, userId: string): Promise<string> {
  const { db } = deps;
  const at = deps.clock.now();
  return transaction(db, async () => {
    const incident = await getIncident(db, incidentId);
    const runbook = await runbookBySlug(db, slug);
    if (!incident) throw new UserError(`${incidentRef(incidentId)} does not exist.`);
    if (!runbook) throw new UserError('That runbook is no longer there: search again with `/incident runbook <words>`.');
    const ref = incidentRef(incidentId);
    if (!(await linkRunbook(db, incidentId, runbook, userId, at))) return `:book: That runbook is already linked to ${ref}.`;
    await addTimelineEvent(db, runbookLinkedEvent(deps, incidentId, runbook, userId, at));
    await deps.scheduler.schedule(db, { kind: jobKinds.linked, key: `linked:${ref}:${slug}`, dueAt: at, payload: { incidentId, slug, userId } });
    return `:book: Linked to ${ref}: it is bookmarked in the channel and in the timeline.`;
  });
}

export async function announceLinkedRunbook(deps: KnowledgeDeps, incidentId: number, slug: string, userId: string): Promise<void> {
  const incident = await getIncident(deps.db, incidentId);
  const linked = (await linkedRunbooks(deps.db, incidentId)).find((r) => r.slug === slug);
  if (!incident?.channelId || !linked) return;
  const url = runbookUrl(deps.links, slug);
  await deps.outbox.send(`linked:${incidentRef(incidentId)}:${slug}`, 'chat.postMessage', { channel: incident.channelId, text: runbookLinkedText(userId, { title: linked.title, url }), unfurl_links: false });
  await bookmark(deps, incident, linked);
}

/** `/incident similar`: searched again now (notes may have added words), with the private incidents the asker may see. */
export async function similarForAsker(deps: KnowledgeDeps, incidentId: number, userId: string): Promise<{ text: string; blocks: KnownBlock[] }> {
  const incident = await getIncident(deps.db, incidentId);
  if (!incident) throw new UserError(`${incidentRef(incidentId)} does not exist.`);
  const ranked = await similarIncidents(deps.db, incident, { includePrivate: true, limit: 6 });
  const past = await pastIncidents(deps.db, ranked.map((r) => r.id));
  const visible: PastIncident[] = [];
  for (const p of past) if (!p.isPrivate || (await isChannelMember(deps.slack, p.channelId, userId))) visible.push(p);
  const matched = new Map(ranked.map((r) => [r.id, r.matched]));
  const items: PastIncidentItem[] = [];
  for (const p of visible.slice(0, 3)) items.push(await pastIncidentItem(deps, p, matched.get(p.id) ?? []));
  return similarAnswer(incidentRef(incidentId), items, deps.clock.now());
}

export function runbookUrl(links: WebLinks, slug: string): string {
  return links.url(`/runbooks/${encodeURIComponent(slug)}`);
}

export function runbookItem(deps: Pick<KnowledgeDeps, 'file' | 'links'>, r: StoredRunbook | { slug: string; title: string }): RunbookItem {
  const full = 'body' in r ? r : undefined;
  return {
    slug: r.slug,
    title: r.title,
    url: runbookUrl(deps.links, r.slug),
    summary: full?.summary ?? '',
    serviceNames: (full?.services ?? []).map((id) => serviceNameOf(deps.file.services, id)),
    owner: full?.owner ?? null,
    lastReviewed: full?.lastReviewed ?? null,
  };
}

async function pastIncidentItem(deps: Pick<KnowledgeDeps, 'postmortemUrlOf'>, p: PastIncident, matched: string[]): Promise<PastIncidentItem> {
  const postmortemUrl = await deps.postmortemUrlOf?.(p.id);
  return {
    ...(postmortemUrl ? { postmortemUrl } : {}),
    ref: incidentRef(p.id),
    title: p.title,
    status: p.status,
    isPrivate: p.isPrivate,
    declaredAt: p.declaredAt,
    startedAt: p.impactStartedAt ?? p.declaredAt,
    endedAt: p.impactEndedAt ?? p.resolvedAt,
    channelId: p.channelId,
    rootCause: p.rootCause,
    resolution: p.resolution,
    matched,
  };
}

function runbookLinkedEvent(deps: Pick<KnowledgeDeps, 'links'>, incidentId: number, r: { slug: string; title: string }, userId: string | null, at: number) {
  return { incidentId, kind: 'runbook_linked', at, actorId: userId, text: r.title, data: { slug: r.slug, url: runbookUrl(deps.links, r.slug) }, key: `runbook:${incidentRef(incidentId)}:${r.slug}`, recordedAt: at };
}

/**
 * Bookmarks a runbook in the incident channel. The channel works without it, so a refusal (a missing scope, the
 * 100-bookmark limit) is logged rather than failing the job; passing faults still retry.
 */
async function bookmark(deps: KnowledgeDeps, incident: Incident, r: { slug: string; title: string }): Promise<void> {
  const channel = incident.channelId!;
  const url = runbookUrl(deps.links, r.slug);
  try {
    await deps.outbox.send(
      `bookmark:${incidentRef(incident.id)}:${r.slug}`,
      'bookmarks.add',
      { channel_id: channel, title: truncate(r.title, 150), type: 'link', link: url, emoji: ':book:' },
      { recover: () => findBookmark(deps.slack, channel, url) },
    );
  } catch (error) {
    if (!(error instanceof SlackCallError) || error.retryable) throw error;
    deps.logger.warn('could not bookmark a runbook in the incident channel', { incident: incidentRef(incident.id), runbook: r.slug, code: error.code });
  }
}

async function findBookmark(slack: SlackGateway, channel: string, url: string): Promise<Record<string, unknown> | undefined> {
  const listed = await slack.call('bookmarks.list', { channel_id: channel });
  const found = ((listed.bookmarks ?? []) as { id: string; link?: string }[]).find((b) => b.link === url);
  return found ? { bookmark: found } : undefined;
}
