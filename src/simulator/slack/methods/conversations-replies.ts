import { messageObject } from '../objects.ts';
import type { Message } from '../state.ts';
import {
  bool, byConversationType, inRange, decodeCursor, encodeCursor, fail, isResponse, memberChannel, ok, pageLimit, str, type MethodDef,
} from './common.ts';

/**
 * conversations.replies: a whole thread, the parent first and then its replies oldest first. `ts` may name the
 * parent or one of the replies; a message without replies is a thread of one. `oldest`/`latest`/`inclusive` filter
 * the thread, then `limit` (default 1000, at most 1000) and the cursor page it. Metadata only with
 * `include_all_metadata`. Scopes and channel errors as conversations.history; an unknown `ts` is `thread_not_found`.
 */
export const conversationsReplies: MethodDef = {
  name: 'conversations.replies',
  scopes: byConversationType({ public: ['channels:history'], private: ['groups:history'], im: ['im:history'] }),
  required: ['channel', 'ts'],
  handle: (ctx) => {
    const { args, ws } = ctx;
    const channel = memberChannel(ctx);
    if (isResponse(channel)) return channel;
    const offset = decodeCursor(str(args, 'cursor'));
    if (offset === undefined) return fail('invalid_cursor');
    const named = ws.message(channel, str(args, 'ts') ?? '');
    if (!named) return fail('thread_not_found');
    const parentTs = named.thread_ts ?? named.ts;
    const parent = ws.message(channel, parentTs);
    const replies = channel.messages.filter((m) => m.thread_ts === parentTs && m.ts !== parentTs);
    const thread: Message[] = [...(parent ? [parent] : []), ...replies];

    const limit = pageLimit(args, 1000, 1000);
    const oldest = str(args, 'oldest');
    const latest = str(args, 'latest');
    const inclusive = bool(args, 'inclusive');
    const withMetadata = bool(args, 'include_all_metadata');
    const all = thread.filter((m) => inRange(m.ts, oldest, latest, inclusive));
    const page = all.slice(offset, offset + limit);
    const hasMore = offset + limit < all.length;
    const replyUsers = [...new Set(replies.map((m) => m.user))];
    return ok({
      messages: page.map((m) => {
        const object = messageObject(ws, m, { metadata: withMetadata });
        if (m.ts === parentTs && replies.length > 0) {
          object.thread_ts = parentTs;
          object.reply_count = replies.length;
          object.reply_users_count = replyUsers.length;
          object.latest_reply = replies[replies.length - 1]?.ts;
          object.reply_users = replyUsers;
        } else if (m.ts !== parentTs && parent) {
          object.parent_user_id = parent.user;
        }
        return object;
      }),
      has_more: hasMore,
      response_metadata: { next_cursor: hasMore ? encodeCursor(offset + limit) : '' },
    });
  },
};
