/**
 * Slack messages as a person reads them, in plain text: mrkdwn's mentions, channel links and links resolved to
 * names, Block Kit flattened to lines (buttons as `[Label]`, menus as `[Label ▾]`, context in brackets).
 */

type Json = Record<string, unknown>;

export interface Names {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
}

const asObject = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `<@U…>`, `<#C…|name>`, `<!here>`, `<url|label>` and the three escaped characters, as Slack shows them. */
export function mrkdwnToText(text: string, names: Names): string {
  return text
    .replace(/<([^<>]+)>/g, (_all, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) return `@${names.user(target.slice(1)) ?? label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? names.channel(target.slice(1)) ?? target.slice(1)}`;
      if (target.startsWith('!date^')) return label ?? target;
      if (target.startsWith('!subteam^')) return label ?? `@${target.slice('!subteam^'.length)}`;
      if (target.startsWith('!')) return `@${label ?? target.slice(1)}`;
      return label ? `${label} (${target})` : target;
    })
    .replace(/:([a-z0-9_+-]+):/g, (code, name: string) => EMOJI[name] ?? code)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The emoji Klaxon's messages use, as the characters Slack shows for them; others stay `:name:`. */
const EMOJI: Record<string, string> = {
  rotating_light: '🚨',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_blue_circle: '🔵',
  white_check_mark: '✅',
  mag: '🔍',
  eyes: '👀',
  bulb: '💡',
  pager: '📟',
  book: '📖',
  clipboard: '📋',
  page_facing_up: '📄',
  pushpin: '📌',
  memo: '📝',
  warning: '⚠️',
  arrow_double_up: '⏫',
  white_large_square: '⬜',
  ballot_box_with_check: '☑️',
  bell: '🔔',
  hourglass_flowing_sand: '⏳',
  repeat: '🔁',
  busts_in_silhouette: '👥',
  link: '🔗',
};

function textObject(value: unknown, names: Names): string {
  const text = asObject(value);
  if (!text || typeof text.text !== 'string') return '';
  return text.type === 'mrkdwn' ? mrkdwnToText(text.text, names) : text.text;
}

function elementText(element: Json, names: Names): string {
  switch (element.type) {
    case 'button':
      return `[${textObject(element.text, names)}]`;
    case 'static_select':
    case 'users_select':
    case 'overflow':
    case 'conversations_select':
    case 'channels_select':
      return `[${textObject(element.placeholder, names) || 'Choose'} ▾]`;
    case 'datepicker':
      return `[${typeof element.initial_date === 'string' ? element.initial_date : 'Pick a date'} 📅]`;
    case 'image':
      return `(image: ${String(element.alt_text ?? '')})`;
    default:
      return textObject(element, names);
  }
}

function richText(block: Json, names: Names): string {
  const walk = (node: unknown): string => {
    const n = asObject(node);
    if (!n) return '';
    if (n.type === 'text') return String(n.text ?? '');
    if (n.type === 'user') return `@${names.user(String(n.user_id)) ?? String(n.user_id)}`;
    if (n.type === 'channel') return `#${names.channel(String(n.channel_id)) ?? String(n.channel_id)}`;
    if (n.type === 'link') return String(n.text ?? n.url ?? '');
    if (n.type === 'emoji') return `:${String(n.name)}:`;
    const children = asArray(n.elements).map(walk);
    if (n.type === 'rich_text_list') return children.map((c) => `• ${c}`).join('\n');
    if (n.type === 'rich_text_preformatted') return children.join('');
    return children.join('');
  };
  return asArray(block.elements).map(walk).join('\n');
}

/** One block as lines of text. */
export function blockToText(raw: unknown, names: Names): string {
  const block = asObject(raw);
  if (!block) return '';
  switch (block.type) {
    case 'header':
      return textObject(block.text, names).toUpperCase();
    case 'section': {
      // Fields sit side by side in Slack: each one's lines make one "label value" item.
      const fields = asArray(block.fields).map((f) => textObject(f, names).split('\n').join(' ')).join(' · ');
      const parts = [textObject(block.text, names), fields].filter(Boolean);
      const accessory = asObject(block.accessory);
      return [parts.join('\n'), accessory ? elementText(accessory, names) : ''].filter(Boolean).join('  ');
    }
    case 'context':
      return asArray(block.elements).map((e) => elementText(asObject(e) ?? {}, names)).filter(Boolean).join(' · ');
    case 'actions':
      return asArray(block.elements).map((e) => elementText(asObject(e) ?? {}, names)).join(' ');
    case 'divider':
      return '—';
    case 'rich_text':
      return richText(block, names);
    case 'image':
      return `(image: ${String(block.alt_text ?? '')})`;
    case 'input':
      return `${textObject(block.label, names)}: ${elementText(asObject(block.element) ?? {}, names)}`;
    default:
      return '';
  }
}

/** A message as text: its blocks when it has them (what Slack shows), otherwise its text. */
export function messageToText(message: { text?: string; blocks?: unknown[] }, names: Names): string {
  const blocks = message.blocks ?? [];
  if (blocks.length > 0) return blocks.map((b) => blockToText(b, names)).filter(Boolean).join('\n');
  return mrkdwnToText(message.text ?? '', names);
}
