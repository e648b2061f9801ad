/**
 * The frame of Klaxon's web pages (runbooks, post-mortems): a plain HTML document with one stylesheet, served
 * with headers that let the browser run nothing: no scripts, no inline styles, no framing, no sniffing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const STYLESHEET_PATH = '/assets/klaxon.css';

/** The CSP: with `images`, pictures over https (runbooks, which operators write); without, none but the page's own icon. */
function securityHeaders(images: boolean): Record<string, string> {
  return {
    'content-security-policy': `default-src 'none'; style-src 'self'; img-src ${images ? "'self' https: data:" : 'data:'}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * A whole page around `body` (already HTML, escaped by the caller); the title and lang are escaped here.
 * `standalone`: a file to open from disk (an export), which carries its stylesheet instead of linking to
 * Klaxon's server; served pages link to it, as their CSP allows no inline style.
 */
export function htmlPage(opts: { title: string; body: string; lang?: string; standalone?: boolean }): string {
  return `<!doctype html>
<html lang="${escapeHtml(opts.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(opts.title)} · Klaxon</title>
${opts.standalone ? `<style>\n${PAGE_CSS}</style>` : `<link rel="stylesheet" href="${STYLESHEET_PATH}">`}
<link rel="icon" href="data:,">
</head>
<body>
<header><span class="brand">Klaxon</span></header>
<main>
${opts.body}
</main>
</body>
</html>
`;
}

/**
 * Writes a page with headers that let it run no script, load no inline style, and never be framed or cached;
 * `images: false` for pages of people's words (post-mortems), which show no pictures at all.
 */
export function sendHtml(res: ServerResponse, status: number, html: string, opts: { images?: boolean } = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders(opts.images ?? true) });
  res.end(html);
}

/** `GET /assets/klaxon.css`: the one stylesheet every page links to. */
export function stylesheetHandler() {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' });
    res.end(PAGE_CSS);
  };
}

export const PAGE_CSS = `:root { color-scheme: light dark; --fg: #1b1b1f; --muted: #5b5b66; --bg: #ffffff; --rule: #d9d9e0; --code: #f4f4f7; --warn-bg: #fff4d6; --warn-fg: #5c3d00; --accent: #9b1c1c; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8ee; --muted: #a3a3b0; --bg: #16161a; --rule: #34343c; --code: #22222a; --warn-bg: #3d2f0a; --warn-fg: #ffe2a3; --accent: #f2a3a3; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { border-bottom: 1px solid var(--rule); padding: 0.6rem 1rem; }
header .brand { font-weight: 700; color: var(--accent); letter-spacing: 0.02em; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1, h2, h3, h4 { line-height: 1.25; margin: 1.8em 0 0.5em; }
h1 { font-size: 1.8rem; margin-top: 0.5em; }
h2 { font-size: 1.35rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2em; }
a { color: var(--accent); }
p.summary { font-size: 1.1rem; color: var(--muted); }
code, pre { font: 0.9em/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code); border-radius: 4px; }
code { padding: 0.1em 0.3em; }
pre { padding: 0.8rem 1rem; overflow-x: auto; }
pre code { padding: 0; background: none; }
table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--rule); padding: 0.35rem 0.7rem; text-align: left; vertical-align: top; }
th { background: var(--code); }
th.align-center, td.align-center { text-align: center; }
th.align-right, td.align-right { text-align: right; }
blockquote { margin: 1rem 0; padding: 0 1rem; border-left: 4px solid var(--rule); color: var(--muted); }
img { max-width: 100%; }
.warning { background: var(--warn-bg); color: var(--warn-fg); border-radius: 6px; padding: 0.7rem 1rem; margin: 1rem 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 1rem 0 2rem; font-size: 0.95rem; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
dl.meta ul { margin: 0; padding-left: 1.1rem; }
`;
