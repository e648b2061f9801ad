/**
 * What the knowledge feature posts: the runbooks and similar past incidents on declaration (and again for
 * `/incident similar`), and the answers to `/incident runbook …`. Pure: the caller passes the facts and `now`;
 * every word from a runbook, an incident or a person is escaped.
 */
import type { KnownBlock } from '@slack/types';
import { actions, button, context, section } from '../core/blockkit.ts';
import { formatDuration } from '../core/duration.ts';
import { channelLink, date, escape, link, mention, truncate } from '../core/mrkdwn.ts';
import { ids } from './ids.ts';
import { daysSinceReview, isStale } from './runbook.ts';

export interface RunbookItem {
  slug: string;
  title: string;
  summary: string;
  url: string;
  serviceNames: string[];
  owner: string | null;
  lastReviewed: string | null;
}

export interface PastIncidentItem {
  ref: string;
  title: string;
  status: string;
  isPrivate: boolean;
  declaredAt: number;
  /** When the impact started and ended, where known (ended: null while open). */
  startedAt: number;
  endedAt: number | null;
  channelId: string | null;
  rootCause: string | null;
  resolution: string | null;
  matched: string[];
  /** Its post-mortem page, when it has one. */
  postmortemUrl?: string;
}

const SUMMARY_SHOWN = 220;
const CAUSE_SHOWN = 300;

/** The channel message on declaration. Undefined when there is nothing to show (nothing is posted then). */
export function suggestionsMessage(runbooks: readonly RunbookItem[], similar: readonly PastIncidentItem[], now: number): { text: string; blocks: KnownBlock[] } | undefined {
  if (runbooks.length === 0 && similar.length === 0) return undefined;
  const blocks: KnownBlock[] = [];
  if (runbooks.length) blocks.push(section(`:book: *${runbooks.length === 1 ? 'A runbook that may help' : 'Runbooks that may help'}*`), ...runbooks.flatMap((r) => runbookBlocks(r, now)));
  if (similar.length) blocks.push(section(`:mag: *Similar past incidents*`), ...similar.flatMap((i) => pastIncidentBlocks(i, now)));
  const parts = [runbooks.length ? `${runbooks.length} runbook${runbooks.length === 1 ? '' : 's'}` : '', similar.length ? `${similar.length} similar past incident${similar.length === 1 ? '' : 's'}` : ''].filter(Boolean);
  return { text: `${parts.join(' and ')}: ${[...runbooks.map((r) => r.title), ...similar.map((i) => `${i.ref} ${i.title}`)].map(escape).join('; ')}`, blocks };
}

/** The answer to `/incident similar`. */
export function similarAnswer(ref: string, similar: readonly PastIncidentItem[], now: number): { text: string; blocks: KnownBlock[] } {
  if (similar.length === 0) {
    const text = `No past incident looks like ${ref}. As notes and the post-mortem add words to it, ask again.`;
    return { text, blocks: [section(text)] };
  }
  return {
    text: `Past incidents like ${ref}: ${similar.map((i) => `${i.ref} ${escape(i.title)}`).join('; ')}`,
    blocks: [section(`:mag: *Past incidents like ${ref}*`), ...similar.flatMap((i) => pastIncidentBlocks(i, now))],
  };
}

export interface RunbookSearchHit extends RunbookItem {
  snippet: string;
}

/** The answer to `/incident runbook <query>`; in an incident channel each hit can be linked to the incident. */
export function runbookSearchAnswer(query: string, hits: readonly RunbookSearchHit[], linkTo: { ref: string; incidentId: number; linked: ReadonlySet<string> } | undefined, now: number): { text: string; blocks: KnownBlock[] } {
  const quoted = `“${escape(truncate(query, 100))}”`;
  if (hits.length === 0) {
    const text = `No runbook matches ${quoted}. Try other words, or \`/incident runbook\` to list them all.`;
    return { text, blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [section(`:book: *Runbooks for ${quoted}*`)];
  for (const hit of hits) {
    blocks.push(...runbookBlocks(hit, now, hit.snippet ? snippetMrkdwn(hit.snippet) : undefined));
    if (linkTo && !linkTo.linked.has(hit.slug)) blocks.push(actions(`${ids.linkRunbookActions}:${hit.slug}`, [button(`Link to ${linkTo.ref}`, ids.linkRunbookButton, `${linkTo.incidentId}:${hit.slug}`)]));
  }
  return { text: `Runbooks for ${quoted}: ${hits.map((h) => escape(h.title)).join('; ')}`, blocks };
}

/** The answer to `/incident runbook` with nothing to search for: what there is. */
export function runbookListAnswer(runbooks: readonly { title: string; url: string }[], dir: string): { text: string; blocks: KnownBlock[] } {
  if (runbooks.length === 0) {
    const text = `There are no runbooks yet. Add Markdown files with front matter to \`${escape(dir)}\` (see the README); Klaxon picks them up without a restart.`;
    return { text, blocks: [section(text)] };
  }
  const shown = runbooks.slice(0, 40);
  const list = shown.map((r) => `• ${link(r.url, r.title)}`).join('\n');
  const more = runbooks.length > shown.length ? `\n…and ${runbooks.length - shown.length} more.` : '';
  const text = `${runbooks.length} runbook${runbooks.length === 1 ? '' : 's'}. Search them with \`/incident runbook <words>\`.`;
  return { text, blocks: [section(text), section(`${list}${more}`)] };
}

/** A runbook link in the channel after a responder linked it. */
export function runbookLinkedText(userId: string, runbook: { title: string; url: string }): string {
  return `:book: ${mention(userId)} linked the runbook ${link(runbook.url, runbook.title)}.`;
}

function runbookBlocks(r: RunbookItem, now: number, passage?: string): KnownBlock[] {
  const lines = [`*${link(r.url, r.title)}*`];
  if (r.summary) lines.push(escape(truncate(r.summary, SUMMARY_SHOWN)));
  if (passage) lines.push(`> ${passage}`);
  const facts = [r.serviceNames.length ? `For ${r.serviceNames.map(escape).join(', ')}` : '', r.owner ? `Owner: ${owner(r.owner)}` : '', reviewed(r, now)].filter(Boolean);
  return [section(lines.join('\n')), context([facts.join(' · ')])];
}

function reviewed(r: Pick<RunbookItem, 'lastReviewed'>, now: number): string {
  if (r.lastReviewed === null) return ':warning: never reviewed';
  const stale = isStale(r, now) ? `:warning: last reviewed ${daysSinceReview(r, now)} days ago` : `Reviewed ${r.lastReviewed}`;
  return stale;
}

function owner(text: string): string {
  if (/^[UW][A-Z0-9]{2,}$/.test(text)) return mention(text);
  if (/^S[A-Z0-9]{2,}$/.test(text)) return `<!subteam^${text}>`;
  return escape(text);
}

function pastIncidentBlocks(i: PastIncidentItem, now: number): KnownBlock[] {
  const where = i.channelId ? ` · ${channelLink(i.channelId)}` : '';
  const lock = i.isPrivate ? ':lock: ' : '';
  const lasted = i.endedAt !== null ? `lasted ${formatDuration(i.endedAt - i.startedAt)}` : `open for ${formatDuration(now - i.startedAt)} so far`;
  const lines = [`${lock}*${i.ref}*${where} · ${escape(i.title)}`, `Declared ${date(i.declaredAt, '{date_short_pretty}')}, ${lasted}, ${i.status}.`];
  if (i.rootCause) lines.push(`*Root cause:* ${escape(truncate(oneLine(i.rootCause), CAUSE_SHOWN))}`);
  else if (i.resolution) lines.push(`*Resolved with:* ${escape(truncate(oneLine(i.resolution), CAUSE_SHOWN))}`);
  if (i.postmortemUrl) lines.push(link(i.postmortemUrl, 'Read the post-mortem'));
  const blocks: KnownBlock[] = [section(lines.join('\n'))];
  if (i.matched.length) blocks.push(context([`In common: ${i.matched.slice(0, 8).map(escape).join(', ')}`]));
  return blocks;
}

/** An FTS5 snippet (matches between \uE000 and \uE001) as one line of mrkdwn with the matches in bold. */
export function snippetMrkdwn(snippet: string): string {
  const plainText = oneLine(snippet.replace(/^#+\s*/gm, '').replace(/[`*_~]/g, ''));
  return plainText
    .split(/(\uE000[^\uE001]*\uE001)/)
    .map((part) => (part.startsWith('\uE000') ? `*${escape(part.slice(1, -1))}*` : escape(part.replace(/[\uE000\uE001]/g, ''))))
    .join('');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
