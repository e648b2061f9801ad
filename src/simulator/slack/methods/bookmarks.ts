import type { Bookmark, Channel } from '../state.ts';
import { slackId } from '../ids.ts';
import { fail, isResponse, memberChannel, ok, str, type MethodDef } from './common.ts';

/** Slack's limit on bookmarks per conversation ("Conversations are limited to 100 bookmarks"). */
export const MAX_BOOKMARKS = 100;

/**
 * bookmarks.add: a `link` bookmark (the only type Slack accepts) in a channel the caller is in. `channel_id`,
 * `title` and `type` are required; a link bookmark needs a `link` that begins with http:// or https://.
 * Slack documents no limit on the title's length, so none is enforced here.
 */
export const bookmarksAdd: MethodDef = {
  name: 'bookmarks.add',
  scopes: ['bookmarks:write'],
  required: ['channel_id', 'title', 'type'],
  handle: (ctx) => {
    const channel = memberChannel(ctx, 'channel_id');
    if (isResponse(channel)) return channel;
    if (channel.archived) return fail('is_archived');
    if (str(ctx.args, 'type') !== 'link') return fail('invalid_bookmark_type');
    const link = str(ctx.args, 'link') ?? '';
    if (!isHttpUrl(link)) return fail('invalid_link');
    if (channel.bookmarks.length >= MAX_BOOKMARKS) return fail('too_many_bookmarks');
    const bookmark: Bookmark = {
      id: slackId('Bk'),
      channel_id: channel.id,
      title: str(ctx.args, 'title') ?? '',
      link,
      emoji: str(ctx.args, 'emoji') ?? null,
      type: 'link',
      date_created: Math.floor(ctx.services.now() / 1000),
      date_updated: 0,
      rank: nextRank(channel),
      last_updated_by_user_id: ctx.token.userId,
      last_updated_by_team_id: ctx.ws.team.id,
    };
    channel.bookmarks.push(bookmark);
    return ok({ bookmark: bookmarkObject(bookmark) });
  },
};

/** bookmarks.list: the bookmarks of a channel the caller is in, in the order they were added. */
export const bookmarksList: MethodDef = {
  name: 'bookmarks.list',
  scopes: ['bookmarks:read'],
  required: ['channel_id'],
  handle: (ctx) => {
    const channel = memberChannel(ctx, 'channel_id');
    if (isResponse(channel)) return channel;
    return ok({ bookmarks: channel.bookmarks.map(bookmarkObject) });
  },
};

/** A bookmark in Slack's shape, with its keys in the order Slack's documented answer has them. */
function bookmarkObject(b: Bookmark): Record<string, unknown> {
  return {
    id: b.id,
    channel_id: b.channel_id,
    title: b.title,
    link: b.link,
    emoji: b.emoji,
    icon_url: null,
    type: b.type,
    entity_id: null,
    date_created: b.date_created,
    date_updated: b.date_updated,
    rank: b.rank,
    last_updated_by_user_id: b.last_updated_by_user_id,
    last_updated_by_team_id: b.last_updated_by_team_id,
    shortcut_id: null,
    app_id: null,
  };
}

/** Ranks that sort (as strings) in the order the bookmarks were added: `aa`, `ab`, … (100 fit in two letters). */
function nextRank(channel: Channel): string {
  const i = channel.bookmarks.length;
  return String.fromCharCode(97 + Math.floor(i / 26)) + String.fromCharCode(97 + (i % 26));
}

/** Slack: "link should begin with either http:// or https://"; the rest must parse as a URL with a host. */
function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    return new URL(text).hostname !== '';
  } catch {
    return false;
  }
}
