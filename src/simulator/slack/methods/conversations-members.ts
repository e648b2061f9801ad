import { decodeCursor, encodeCursor, fail, isResponse, pageLimit, READ_SCOPES, str, visibleChannel, ok, type MethodDef } from './common.ts';

/**
 * conversations.members: the members of a channel the caller can see (a private channel it is not in is
 * `channel_not_found`), with cursor pagination (`limit` default 100, at most 1000).
 */
export const conversationsMembers: MethodDef = {
  name: 'conversations.members',
  scopes: READ_SCOPES,
  required: ['channel'],
  handle: (ctx) => {
    const channel = visibleChannel(ctx);
    if (isResponse(channel)) return channel;
    const offset = decodeCursor(str(ctx.args, 'cursor'));
    if (offset === undefined) return fail('invalid_cursor');
    const limit = pageLimit(ctx.args, 100, 1000);
    const members = [...channel.members];
    const next = offset + limit < members.length ? encodeCursor(offset + limit) : '';
    return ok({ members: members.slice(offset, offset + limit), response_metadata: { next_cursor: next } });
  },
};
