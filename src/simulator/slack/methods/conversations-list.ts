import { channelObject } from '../objects.ts';
import type { Channel } from '../state.ts';
import { bool, decodeCursor, encodeCursor, fail, hasScope, missingScope, ok, pageLimit, str, type MethodDef } from './common.ts';

const TYPE_SCOPES: Record<string, string> = {
  public_channel: 'channels:read',
  private_channel: 'groups:read',
  mpim: 'mpim:read',
  im: 'im:read',
};

function typeOf(channel: Channel): string {
  if (channel.is_im) return 'im';
  return channel.is_private ? 'private_channel' : 'public_channel';
}

/**
 * conversations.list: `types` (default public_channel; every type needs its read scope), `exclude_archived`,
 * cursor pagination with `limit` (default 100, at most 1000). Private channels and IMs only when the caller is a
 * member.
 */
export const conversationsList: MethodDef = {
  name: 'conversations.list',
  scopes: [],
  handle: ({ args, ws, token }) => {
    const types = (str(args, 'types') ?? 'public_channel').split(',').map((t) => t.trim()).filter(Boolean);
    for (const type of types) {
      const scope = TYPE_SCOPES[type];
      if (!scope) return fail('invalid_types');
      if (!hasScope(token, scope)) return missingScope(token, scope);
    }
    const offset = decodeCursor(str(args, 'cursor'));
    if (offset === undefined) return fail('invalid_cursor');
    const limit = pageLimit(args, 100, 1000);
    const excludeArchived = bool(args, 'exclude_archived');
    const visible = ws.channels().filter(
      (c) =>
        types.includes(typeOf(c)) &&
        (!excludeArchived || !c.archived) &&
        (!(c.is_private || c.is_im) || c.members.has(token.userId)),
    );
    const page = visible.slice(offset, offset + limit);
    const next = offset + limit < visible.length ? encodeCursor(offset + limit) : '';
    return ok({
      channels: page.map((c) => channelObject(ws, c, { numMembers: !c.is_im })),
      response_metadata: { next_cursor: next },
    });
  },
};
