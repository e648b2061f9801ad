import { messageObject } from '../objects.ts';
import type { Message } from '../state.ts';
import {
  bool, byConversationType, inRange, decodeCursor, encodeCursor, fail, isResponse, memberChannel, ok, pageLimit, str, type MethodDef,
} from './common.ts';

/**
 * conversations.history: newest first, top-level messages and thread parents only, `limit` (default 100, at most
 * 999), cursor, `oldest`/`latest`/`inclusive`. Message metadata only with `include_all_metadata`.
 */
export const conversationsHistory: MethodDef = {
  name: 'conversations.history',
  scopes: byConversationType({ public: ['channels:history'], private: ['groups:history'], im: ['im:history'] }),
  required: ['channel'],
  handle: (ctx) => {
    const { args, ws } = ctx;
    const channel = memberChannel(ctx);
    if (isResponse(channel)) return channel;
    const offset = decodeCursor(str(args, 'cursor'));
    if (offset === undefined) return fail('invalid_cursor');
    const limit = pageLimit(args, 100, 999);
    const oldest = str(args, 'oldest');
    const latest = str(args, 'latest');
    const inclusive = bool(args, 'inclusive');
    const withMetadata = bool(args, 'include_all_metadata');
    const all = channel.messages
      .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
      .filter((m) => inRange(m.ts, oldest, latest, inclusive))
      .reverse();
    const page = all.slice(offset, offset + limit);
    const hasMore = offset + limit < all.length;
    const replies = (parent: Message) => channel.messages.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
    return ok({
      messages: page.map((m) => {
        const object = messageObject(ws, m, { metadata: withMetadata });
        const threadReplies = replies(m);
        if (threadReplies.length > 0) {
          object.thread_ts = m.ts;
          object.reply_count = threadReplies.length;
          object.latest_reply = threadReplies[threadReplies.length - 1]?.ts;
        }
        return object;
      }),
      has_more: hasMore,
      pin_count: channel.pins.length,
      channel_actions_ts: null,
      channel_actions_count: 0,
      response_metadata: { next_cursor: hasMore ? encodeCursor(offset + limit) : '' },
    });
  },
};
