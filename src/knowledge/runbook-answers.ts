/** The answers to `/incident runbook …`: a search, the list, and what a reload changed. */
import type { KnownBlock } from '@slack/types';
import type { KlaxonFile } from '../core/config.ts';
import type { Kit } from '../core/kit.ts';
import { escape } from '../core/mrkdwn.ts';
import { incidentRef } from '../incidents/index.ts';
import { runbookListAnswer, runbookSearchAnswer } from './blocks.ts';
import type { IndexReport } from './index-runbooks.ts';
import { searchRunbooks } from './search.ts';
import { allRunbooks, linkedRunbooks } from './store.ts';
import { runbookItem, runbookUrl } from './suggest.ts';

export interface RunbookAnswerDeps extends Pick<Kit, 'db' | 'clock' | 'links'> {
  file: KlaxonFile;
  dir: string;
}

const SEARCH_RESULTS = 5;

export async function runbookSearchReply(deps: RunbookAnswerDeps, query: string, incidentId: number | undefined): Promise<{ text: string; blocks: KnownBlock[] }> {
  const hits = (await searchRunbooks(deps.db, query, SEARCH_RESULTS)).map((hit) => ({ ...runbookItem(deps, hit.runbook), snippet: hit.snippet }));
  const linkTo = incidentId === undefined ? undefined : { ref: incidentRef(incidentId), incidentId, linked: new Set((await linkedRunbooks(deps.db, incidentId)).map((r) => r.slug)) };
  return runbookSearchAnswer(query, hits, linkTo, deps.clock.now());
}

export async function runbookListReply(deps: RunbookAnswerDeps): Promise<{ text: string; blocks: KnownBlock[] }> {
  return runbookListAnswer((await allRunbooks(deps.db)).map((r) => ({ title: r.title, url: runbookUrl(deps.links, r.slug) })), deps.dir);
}

/** What a reload changed, and what is wrong with which file. */
export function reloadReply(report: IndexReport): string {
  if (report.missing) return `:warning: \`${escape(report.dir)}\` does not exist, so there are no runbooks. Set RUNBOOKS_DIR to the directory that holds them.`;
  const changes = [
    report.added.length ? `added ${report.added.map((s) => `\`${escape(s)}\``).join(', ')}` : '',
    report.updated.length ? `updated ${report.updated.map((s) => `\`${escape(s)}\``).join(', ')}` : '',
    report.removed.length ? `removed ${report.removed.map((s) => `\`${escape(s)}\``).join(', ')}` : '',
  ].filter(Boolean);
  const lines = [`:arrows_counterclockwise: ${report.indexed} runbook${report.indexed === 1 ? '' : 's'} indexed; ${changes.length ? changes.join('; ') : 'nothing changed'}.`];
  for (const file of report.problems.slice(0, 10)) {
    const worst = file.problems.map((p) => `${escape(p.field)}: ${escape(p.message)}`).join('; ');
    lines.push(`${file.skipped ? ':x:' : ':warning:'} \`${escape(file.path)}\`${file.skipped ? ' (not indexed)' : ''}: ${worst}`);
  }
  if (report.problems.length > 10) lines.push(`…and ${report.problems.length - 10} more files with problems: \`npx klaxon runbooks check\` lists them all.`);
  return lines.join('\n');
}
