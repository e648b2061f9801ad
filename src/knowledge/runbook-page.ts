/**
 * A runbook as a web page: title, summary, what it is for (services, tags, alerts, owner), when it was last
 * reviewed (with a warning when that is long ago), then the Markdown rendered. Every field is escaped; the
 * Markdown renderer shows raw HTML as text. Pure: `now` is passed in.
 */
import { escapeHtml, htmlPage } from '../web/page.ts';
import { renderMarkdown } from '../web/markdown.ts';
import { daysSinceReview, isStale, STALE_AFTER_DAYS, type Runbook } from './runbook.ts';

export function runbookPageHtml(runbook: Runbook, now: number, serviceNames: ReadonlyMap<string, string> = new Map()): string {
  const days = daysSinceReview(runbook, now);
  const reviewed = runbook.lastReviewed === null ? 'Never reviewed' : `Last reviewed ${escapeHtml(runbook.lastReviewed)} (${days === 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`})`;
  const warning = isStale(runbook, now)
    ? `<p class="warning"><strong>${runbook.lastReviewed === null ? 'This runbook has never been reviewed.' : `This runbook was last reviewed ${days} days ago,`}</strong> ${runbook.lastReviewed === null ? '' : `more than ${STALE_AFTER_DAYS} days. `}Check that its steps still match the systems before you follow them, and update <code>last_reviewed</code> once you have.</p>`
    : '';
  const list = (items: readonly string[]): string => (items.length === 1 ? escapeHtml(items[0]!) : `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
  const meta: [string, string][] = [];
  if (runbook.services.length) meta.push(['Services', list(runbook.services.map((s) => serviceNames.get(s) ?? s))]);
  if (runbook.alerts.length) meta.push(['Alerts', list(runbook.alerts)]);
  if (runbook.tags.length) meta.push(['Tags', escapeHtml(runbook.tags.join(', '))]);
  if (runbook.owner) meta.push(['Owner', escapeHtml(runbook.owner)]);
  meta.push(['Reviewed', reviewed]);
  const body = [
    `<h1>${escapeHtml(runbook.title)}</h1>`,
    runbook.summary ? `<p class="summary">${escapeHtml(runbook.summary)}</p>` : '',
    warning,
    `<dl class="meta">${meta.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl>`,
    `<article>${renderMarkdown(runbook.body)}</article>`,
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
