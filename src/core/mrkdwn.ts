/**
 * Everything Klaxon posts goes through these: user text is escaped so it can never mention, link or format,
 * and mentions, channel links and dates are written only here.
 */

/** Escapes the three characters Slack gives meaning to in mrkdwn and plain text. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

export function mention(userId: string): string {
  if (!USER_ID.test(userId)) throw new Error(`not a Slack user id: ${userId}`);
  return `<@${userId}>`;
}

/** The user id in a mention as Slack sends it in command text (`<@U123|name>` or `<@U123>`); undefined otherwise. */
export function parseMention(word: string): string | undefined {
  return /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word.trim())?.[1];
}

export function channelLink(channelId: string): string {
  if (!CHANNEL_ID.test(channelId)) throw new Error(`not a Slack channel id: ${channelId}`);
  return `<#${channelId}>`;
}

/** A link whose label is escaped user text. */
export function link(url: string, label: string): string {
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escape(label)}>`;
}

/**
 * A date Slack renders in each reader's own time zone; `fallback` (UTC) is shown where it cannot.
 * Format tokens: https://api.slack.com/reference/surfaces/formatting#date-formatting
 */
export function date(at: number, format = '{date_short_pretty} {time}'): string {
  const seconds = Math.floor(at / 1000);
  const fallback = `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^${format}|${fallback}>`;
}

/**
 * `text` escaped, cut (never inside an entity) so the result has at most `max` characters; `shown` is how many
 * characters of `text` it holds, all of them when nothing was cut.
 */
export function escapeWithin(text: string, max: number): { escaped: string; shown: number; cut: boolean } {
  const chars = Array.from(text);
  let escaped = '';
  let shown = 0;
  for (const char of chars) {
    const next = escape(char);
    if (escaped.length + next.length > max) break;
    escaped += next;
    shown += 1;
  }
  return { escaped, shown, cut: shown < chars.length };
}

/** Truncates to `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * What a person typed, from the text Slack sends with a command (which encodes mentions as `<@U…|name>` and
 * escapes `&`, `<`, `>`): mentions become `@name`, channel links `#name`, links their URL, entities characters.
 * For free text such as titles; sub-commands that take a user read the raw `<@U…>` tokens instead.
 */
export function typedText(slackText: string): string {
  return slackText
    .replace(/<([@#!])([^>|]+)(?:\|([^>]*))?>/g, (_m, sigil: string, id: string, label: string | undefined) => {
      if (sigil === '!') return `@${label?.replace(/^@/, '') ?? id.split('^')[0]}`;
      return `${sigil}${label ?? id}`;
    })
    .replace(/<([^>|]+)(?:\|([^>]*))?>/g, (_m, url: string) => url)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
