/**
 * A runbook as a web page: title, summary, what it is for (services, tags, alerts, owner), when it was last
 * reviewed (with a warning when that is long ago or never), then the Markdown rendered. Every front matter field
 * is escaped; the Markdown renderer shows raw HTML as text. Pure: `now` is passed in.
 */
import { escapeHtml, htmlPage } from '../web/page.ts';
import { renderMarkdown } from '../web/markdown.ts';
import { daysSinceReview, isStale, STALE_AFTER_DAYS, type Runbook } from './runbook.ts';

/** `serviceNames` maps service ids to the names people know them by; ids without a name are shown as they are. */
export function runbookPageHtml(runbook: Runbook, now: number, serviceNames: ReadonlyMap<string, string> = new Map()): string {
  const days = daysSinceReview(runbook, now);
  const meta: [string, string][] = [];
  if (runbook.services.length) meta.push(['Services', htmlList(runbook.services.map((s) => serviceNames.get(s) ?? s))]);
  if (runbook.alerts.length) meta.push(['Alerts', htmlList(runbook.alerts)]);
  if (runbook.tags.length) meta.push(['Tags', escapeHtml(runbook.tags.join(', '))]);
  if (runbook.owner) meta.push(['Owner', escapeHtml(runbook.owner)]);
  meta.push(['Reviewed', runbook.lastReviewed === null ? 'Never reviewed' : `Last reviewed ${escapeHtml(runbook.lastReviewed)} (${ago(days)})`]);
  const body = [
    `<h1>${escapeHtml(runbook.title)}</h1>`,
    runbook.summary ? `<p class="summary">${escapeHtml(runbook.summary)}</p>` : '',
    isStale(runbook, now) ? staleWarning(runbook.lastReviewed === null ? null : days) : '',
    `<dl class="meta">${meta.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl>`,
    `<article>\n${renderMarkdown(runbook.body)}</article>`,
  ]
    .filter(Boolean)
    .join('\n');
  return htmlPage({ title: runbook.title, body });
}

export function runbookNotFoundHtml(slug: string): string {
  return htmlPage({
    title: 'Runbook not found',
    body: `<h1>Runbook not found</h1>\n<p>There is no runbook called <code>${escapeHtml(slug.slice(0, 200))}</code>. It may have been renamed or removed; search for it in Slack with <code>/incident runbook &lt;words&gt;</code>.</p>`,
  });
}

/** `days` is null when the runbook was never reviewed. */
function staleWarning(days: number | null): string {
  const when = days === null ? 'This runbook has never been reviewed.' : `This runbook was last reviewed ${days} days ago, more than ${STALE_AFTER_DAYS} days.`;
  return `<p class="warning"><strong>${when}</strong> Check that its steps still match the systems before you follow them, and update <code>last_reviewed</code> once you have.</p>`;
}

function ago(days: number): string {
  if (days < 0) return 'a date in the future';
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

function htmlList(items: readonly string[]): string {
  return `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}
