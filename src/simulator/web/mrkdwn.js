/**
 * Slack's mrkdwn as DOM nodes: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes, `<@U…>` mentions,
 * `<#C…|name>` channel links, `<url|label>` links, `<!here>`, `<!date^…>` dates in the reader's zone, :emoji:
 * names, and the three escaped characters shown as themselves. Every piece of text becomes a text node.
 */
import { el, externalLink } from './dom.js';
import { slackDate } from './zoned-time.js';

/** The emoji Klaxon's messages use and the common ones people type; others stay `:name:`. */
const EMOJI = {
  rotating_light: '🚨', red_circle: '🔴', large_orange_circle: '🟠', large_yellow_circle: '🟡', large_green_circle: '🟢',
  large_blue_circle: '🔵', white_circle: '⚪', black_circle: '⚫', white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌',
  mag: '🔍', eyes: '👀', bulb: '💡', pager: '📟', book: '📖', clipboard: '📋', page_facing_up: '📄', pushpin: '📌',
  memo: '📝', warning: '⚠️', arrow_double_up: '⏫', white_large_square: '⬜', ballot_box_with_check: '☑️', bell: '🔔',
  hourglass_flowing_sand: '⏳', hourglass: '⌛', repeat: '🔁', busts_in_silhouette: '👥', bust_in_silhouette: '👤',
  link: '🔗', calendar: '📆', spiral_calendar_pad: '🗓️', test_tube: '🧪', no_entry_sign: '🚫', no_entry: '⛔',
  arrows_counterclockwise: '🔄', memory: '🧠', lock: '🔒', unlock: '🔓', loudspeaker: '📢', mega: '📣',
  file_cabinet: '🗄️', alarm_clock: '⏰', wastebasket: '🗑️', stopwatch: '⏱️', speech_balloon: '💬',
  small_blue_diamond: '🔹', dart: '🎯', chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', bar_chart: '📊',
  thumbsup: '👍', '+1': '👍', thumbsdown: '👎', '-1': '👎', tada: '🎉', fire: '🔥', rocket: '🚀', bug: '🐛',
  wrench: '🔧', hammer_and_wrench: '🛠️', gear: '⚙️', sos: '🆘', question: '❓', information_source: 'ℹ️', wave: '👋',
  pray: '🙏', ok_hand: '👌', sparkles: '✨', heart: '❤️', smile: '😄', slightly_smiling_face: '🙂', joy: '😂',
  thinking_face: '🤔', raised_hands: '🙌', clap: '👏', muscle: '💪', coffee: '☕', zzz: '💤', robot_face: '🤖',
  checkered_flag: '🏁', construction: '🚧', scroll: '📜', paperclip: '📎', inbox_tray: '📥', outbox_tray: '📤',
  arrow_right: '➡️', heavy_plus_sign: '➕', pencil2: '✏️', telephone_receiver: '📞', shield: '🛡️', key: '🔑',
};

const HANDLE = /^[A-Za-z0-9]$/;
const MARKS = { '*': 'strong', _: 'em', '~': 's' };

/** `&lt;`, `&gt;` and `&amp;` as the characters they stand for. */
export function unescapeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Text with :emoji: names as characters. */
function withEmoji(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (code, name) => EMOJI[name] ?? code);
}

function textNode(text) {
  return document.createTextNode(withEmoji(unescapeEntities(text)));
}

/**
 * One `<…>` token. ctx: { users: {id: name}, channels: {id: name}, timeZone, now, onChannel(id) }.
 */
function angleToken(inner, ctx) {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? unescapeEntities(inner.slice(bar + 1)) : null;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return el('span', { class: 'mention', dataset: { userId: id }, text: `@${ctx.users[id] ?? label ?? id}` });
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = ctx.channels[id] ?? label;
    if (!name) return el('span', { class: 'channel-link private', text: '🔒 private channel' });
    return el('button', { type: 'button', class: 'channel-link', dataset: { channelLink: id }, text: `#${name}`, on: { click: () => ctx.onChannel?.(id) } });
  }
  if (target.startsWith('!date^')) {
    const [, seconds, format] = target.split('^');
    const at = Number(seconds);
    if (!Number.isFinite(at) || !format) return document.createTextNode(label ?? target);
    return el('time', { datetime: new Date(at * 1000).toISOString(), title: label ?? '', text: slackDate(at, format, ctx.timeZone, ctx.now) });
  }
  if (target.startsWith('!subteam^')) return el('span', { class: 'mention', text: label ?? `@${target.slice('!subteam^'.length)}` });
  if (target.startsWith('!')) return el('span', { class: 'mention broadcast', text: `@${target.slice(1)}` });
  return externalLink(unescapeEntities(target), label ?? unescapeEntities(target));
}

/** Formatting marks and `<…>` tokens, left to right; a mark counts only at a word's edge, as in Slack. */
function formatted(text, ctx, parent) {
  const token = /<([^<>\n]+)>|([*_~])(?=\S)([^\n]*?\S)\2(?![A-Za-z0-9])/g;
  let last = 0;
  let match;
  while ((match = token.exec(text))) {
    if (match[2] && match.index > 0 && HANDLE.test(text[match.index - 1])) {
      token.lastIndex = match.index + 1;
      continue;
    }
    if (match.index > last) parent.append(textNode(text.slice(last, match.index)));
    if (match[1] !== undefined) parent.append(angleToken(match[1], ctx));
    else {
      const node = el(MARKS[match[2]]);
      formatted(match[3], ctx, node);
      parent.append(node);
    }
    last = token.lastIndex;
  }
  if (last < text.length) parent.append(textNode(text.slice(last)));
}

/** Inline code first: nothing inside backticks is formatted. */
function inline(text, ctx, parent) {
  const code = /`([^`\n]+)`/g;
  let last = 0;
  let match;
  while ((match = code.exec(text))) {
    if (match.index > last) formatted(text.slice(last, match.index), ctx, parent);
    parent.append(el('code', { text: unescapeEntities(match[1]) }));
    last = code.lastIndex;
  }
  if (last < text.length) formatted(text.slice(last), ctx, parent);
}

/** Lines, with runs of `> ` lines as one quote. */
function lines(text, ctx, parent) {
  const all = text.split('\n');
  let quote = null;
  all.forEach((line, index) => {
    const quoted = /^&gt; ?/.exec(line);
    if (quoted) {
      if (!quote) {
        quote = el('blockquote');
        parent.append(quote);
      } else quote.append('\n');
      inline(line.slice(quoted[0].length), ctx, quote);
      return;
    }
    quote = null;
    inline(line, ctx, parent);
    if (index < all.length - 1 && !/^&gt; ?/.test(all[index + 1])) parent.append('\n');
  });
}

/** A fragment for mrkdwn `text`, to put in an element whose white-space is pre-wrap. */
export function renderMrkdwn(text, ctx) {
  const fragment = document.createDocumentFragment();
  const parts = String(text ?? '').split('```');
  parts.forEach((part, index) => {
    if (index % 2 === 1 && index < parts.length - 1) {
      fragment.append(el('pre', { text: unescapeEntities(part.replace(/^\n/, '')) }));
      return;
    }
    // An unclosed fence is text; a newline right after a closed one belongs to the fence.
    const source = index % 2 === 1 ? `\`\`\`${part}` : index > 0 ? part.replace(/^\n/, '') : part;
    lines(source, ctx, fragment);
  });
  return fragment;
}

/** A plain_text or mrkdwn text object. */
export function renderText(object, ctx) {
  if (!object || typeof object.text !== 'string') return document.createDocumentFragment();
  if (object.type === 'mrkdwn') return renderMrkdwn(object.text, ctx);
  const fragment = document.createDocumentFragment();
  fragment.append(object.emoji === false ? object.text : withEmoji(object.text));
  return fragment;
}

/** What a text object says, for labels and options (plain text, emoji as characters). */
export function plainText(object) {
  if (!object || typeof object.text !== 'string') return '';
  return withEmoji(object.type === 'mrkdwn' ? unescapeEntities(object.text) : object.text);
}
