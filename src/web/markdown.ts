/**
 * Markdown to HTML for Klaxon's pages (runbooks, post-mortems): one markdown-it configuration. Raw HTML in the
 * Markdown is shown as text, never passed through, so a `<script>` in a runbook is inert; only http(s) and
 * mailto links, relative paths and #anchors become links (a link with another scheme stays as its source text);
 * external links get rel="nofollow noopener noreferrer"; images load only over https (as the CSP allows), others show their alt
 * text, and pages of people's words (post-mortems) show none. Headings get ids, so sections can be linked. Table column alignment becomes a class (`align-right`),
 * not a `style` attribute, because the pages are served with a CSP that forbids inline styles.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const SAFE_SCHEME = /^(https?:|mailto:)/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const EXTERNAL = /^(https?:)?\/\//i;

/**
 * markdown-it calls this with the normalised (entity-decoded, percent-encoded) destination of every link,
 * autolink, linkified URL and image. No scheme at all means a relative path or an #anchor.
 */
md.validateLink = (url: string): boolean => {
  const trimmed = url.trim();
  return SAFE_SCHEME.test(trimmed) || !SCHEME.test(trimmed);
};

const renderLinkOpen = md.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  const token = tokens[i]!;
  if (EXTERNAL.test(String(token.attrGet('href') ?? ''))) token.attrSet('rel', 'nofollow noopener noreferrer');
  return renderLinkOpen(tokens, i, options, env, self);
};

/** What a render is for: `images: false` shows every image as its alt text (pages of people's words). */
interface RenderEnv {
  images?: boolean;
}

const renderImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, i, options, env, self) => {
  const token = tokens[i]!;
  // Relative images would resolve against Klaxon's own server, which serves none: show the alt text instead.
  const shown = (env as RenderEnv | undefined)?.images !== false && /^https:\/\//i.test(String(token.attrGet('src') ?? ''));
  if (!shown) return md.utils.escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
  return renderImage(tokens, i, options, env, self);
};

md.core.ruler.push('klaxon_attributes', (state) => {
  const used = new Set<string>();
  state.tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      const inline = state.tokens[i + 1];
      const text = (inline?.children ?? []).map((child) => (child.type === 'text' || child.type === 'code_inline' ? child.content : '')).join('');
      const base = slugify(text) || 'section';
      let id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      token.attrSet('id', id);
    }
    if (token.type === 'th_open' || token.type === 'td_open') {
      const align = /^text-align:(left|center|right)$/.exec(String(token.attrGet('style') ?? ''))?.[1];
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      if (align) token.attrJoin('class', `align-${align}`);
    }
  });
});

/** The HTML for `text`: safe to put inside a page as is; with `images: false`, images show as their alt text. */
export function renderMarkdown(text: string, opts: RenderEnv = {}): string {
  return md.render(text, { ...opts });
}

/** `Roll back the deploy` → `roll-back-the-deploy`; letters and digits of every script are kept. */
function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}
