import type { Bookmark } from '../state.ts';
import { slackId } from '../ids.ts';
import { fail, isResponse, memberChannel, ok, str, type MethodDef } from './common.ts';

/** Slack's limit on bookmarks per conversation. */
export const MAX_BOOKMARKS = 100;

/**
 * bookmarks.add: a `link` bookmark (the only type Slack accepts) in a channel the caller is in. `channel_id`,
 * `title` and `type` are required; a link bookmark needs an absolute http(s) `link`.
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
      title: str(ctx.args, 'title')!,
      link,
      emoji: str(ctx.args, 'emoji') ?? null,
      type: 'link',
      date_created: Math.floor(ctx.services.now() / 1000),
      last_updated_by_user_id: ctx.token.userId,
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

function bookmarkObject(b: Bookmark): Record<string, unknown> {
  return { ...b, icon_url: null, entity_id: null, date_updated: 0, rank: String.fromCharCode(97 + Math.min(25, b.date_created % 26)), last_updated_by_team_id: null, shortcut_id: null, app_id: null };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
