/**
 * Markdown to HTML for Klaxon's pages (runbooks, post-mortems): one markdown-it configuration. Raw HTML in the
 * Markdown is shown as text, never passed through, so a `<script>` in a runbook is inert; only http(s) and
 * mailto links, relative paths and #anchors become links; external links get rel="nofollow noopener
 * noreferrer"; images load only over http(s). Headings get ids, so sections can be linked.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const SAFE_LINK = /^(https?:|mailto:)/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

md.validateLink = (url: string): boolean => {
  const trimmed = url.trim();
  return SAFE_LINK.test(trimmed) || !SCHEME.test(trimmed);
};

const renderLinkOpen = md.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  const token = tokens[i]!;
  if (/^(https?:)?\/\//i.test(String(token.attrGet('href') ?? ''))) token.attrSet('rel', 'nofollow noopener noreferrer');
  return renderLinkOpen(tokens, i, options, env, self);
};

const renderImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, i, options, env, self) => {
  const token = tokens[i]!;
  // Relative images would resolve against Klaxon's own server, which serves none: show the alt text.
  if (!/^https?:/i.test(String(token.attrGet('src') ?? ''))) return md.utils.escapeHtml(token.content);
  return renderImage(tokens, i, options, env, self);
};

md.core.ruler.push('heading_ids', (state) => {
  const used = new Map<string, number>();
  state.tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = state.tokens[i + 1]?.children?.map((child) => child.content).join('') ?? '';
    const base = slugify(text) || 'section';
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    token.attrSet('id', seen === 0 ? base : `${base}-${seen + 1}`);
  });
});

export function renderMarkdown(text: string): string {
  return md.render(text);
}

function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}
