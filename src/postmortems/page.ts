/**
 * The post-mortem as a web page: the stored Markdown rendered with raw HTML shown as text and images as their
 * alt text (the document is people's words, so it loads nothing from elsewhere). Pure.
 */
import { renderMarkdown } from '../web/markdown.ts';
import { escapeHtml, htmlPage } from '../web/page.ts';

export function postmortemPageHtml(ref: string, title: string, markdown: string, opts: { standalone?: boolean } = {}): string {
  return markdownPageHtml(`Post-mortem ${ref}: ${title}`, markdown, opts);
}

/** Any Klaxon document (a post-mortem, a timeline export) as a page; `standalone` for a file opened from disk. */
export function markdownPageHtml(title: string, markdown: string, opts: { standalone?: boolean } = {}): string {
  return htmlPage({ title, body: `<article>\n${renderMarkdown(markdown, { images: false })}</article>`, ...opts });
}

/** The same page for a post-mortem that does not exist, is not written yet, or may not be shown without a valid link. */
export function postmortemNotFoundHtml(ref: string): string {
  return htmlPage({
    title: 'Post-mortem not found',
    body: `<h1>Post-mortem not found</h1>\n<p>There is no post-mortem to show for <code>${escapeHtml(ref.slice(0, 40))}</code>. It may not be written yet (<code>/incident postmortem</code> in the incident channel), or this link has expired: ask in the channel for a new one.</p>`,
  });
}
