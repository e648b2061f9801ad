/**
 * What Slack's client makes of the text a person types before the app sees it: `&`, `<` and `>` escaped, and
 * `@name` / `#channel` turned into mention and channel tokens (`<@U…>` in messages; `<@U…|name>` in the text
 * of a slash command whose `should_escape` is on, left as typed when it is off). `@here`, `@channel` and
 * `@everyone` become `<!here>` and so on, as Slack writes them.
 */

export interface Directory {
  /** Seeded people (and the bot): id and handle. */
  users: { id: string; name: string }[];
  /** Channels the person can name: id and name without `#`. */
  channels: { id: string; name: string }[];
}

export type Encoding = 'message' | 'escaped-command' | 'plain-command';

const BROADCASTS = new Set(['here', 'channel', 'everyone']);

function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function encodeTypedText(typed: string, directory: Directory, encoding: Encoding): string {
  const escaped = escapeEntities(typed);
  if (encoding === 'plain-command') return escaped;
  const withLabel = encoding === 'escaped-command';
  const users = new Map(directory.users.map((u) => [u.name.toLowerCase(), u]));
  const channels = new Map(directory.channels.map((c) => [c.name.toLowerCase(), c]));
  // A handle starts after a space or the start of the text, as Slack's autocomplete would place it.
  return escaped.replace(/(^|[\s(])([@#])([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)/gi, (whole, before: string, sigil: string, name: string) => {
    const key = name.toLowerCase();
    if (sigil === '@' && BROADCASTS.has(key)) return `${before}<!${key}>`;
    if (sigil === '@') {
      const user = users.get(key);
      return user ? `${before}<@${user.id}${withLabel ? `|${user.name}` : ''}>` : whole;
    }
    const channel = channels.get(key);
    return channel ? `${before}<#${channel.id}${withLabel ? `|${channel.name}` : ''}>` : whole;
  });
}
