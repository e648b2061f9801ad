/**
 * People's words in a Markdown document Klaxon writes (post-mortems, timeline exports), kept as text: Markdown
 * and HTML syntax typed in a title, a note or a form shows as typed, never as an image, a link with a made-up
 * label, emphasis, code or a table cell. Bare http(s) URLs stay links, labelled with the URL itself. Pure.
 */

const URL = /https?:\/\/[^\s<>"`]+/g;
/** Punctuation a URL usually ends a sentence with, rather than belonging to the URL. */
const TRAILING = /[.,;:!?'*_)\]]+$/;

/** One line of people's text for a paragraph, list item or table cell; line breaks become spaces. */
export function markdownText(text: string): string {
  const line = text.replace(/\r?\n/g, ' ').trim();
  let out = '';
  let from = 0;
  for (const match of line.matchAll(URL)) {
    const url = match[0].replace(TRAILING, '');
    out += escapeMarkdown(line.slice(from, match.index)) + autolink(url);
    from = match.index + url.length;
  }
  return (out + escapeMarkdown(line.slice(from))).replace(/^([#>+=-]|\d+[.)])/, '\\$1');
}

/** Backslash before everything that could start Markdown syntax inline; `<` as an entity, `&` only before an entity. */
function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]~|]/g, '\\$&')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/</g, '&lt;');
}

/** An autolink, its label the URL; `|` and `\` are percent-encoded so a table cell cannot be split by it. */
function autolink(url: string): string {
  return `<${url.replace(/[|\\]/g, encodeURIComponent)}>`;
}
