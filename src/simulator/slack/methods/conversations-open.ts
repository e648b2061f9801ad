import { channelObject } from '../objects.ts';
import { bool, fail, ok, str, type MethodDef } from './common.ts';

/**
 * conversations.open: opens (or finds) the IM between the caller and one user from `users`. Slack answers
 * `users_list_not_supplied` without users, `user_not_found` for an unknown id, `user_disabled` for a
 * deactivated account and `cannot_dm_bot` for a bot user; several users would be a multi-person IM, which Klaxon
 * never opens (`not_supported` here, so a test notices). `return_im` returns the whole channel object.
 */
export const conversationsOpen: MethodDef = {
  name: 'conversations.open',
  scopes: ['im:write'],
  required: [],
  handle: ({ args, ws }) => {
    if (str(args, 'channel')) {
      const channel = ws.channel(str(args, 'channel')!);
      if (!channel?.is_im) return fail('channel_not_found');
      return ok({ no_op: true, already_open: true, channel: { id: channel.id } });
    }
    const users = (str(args, 'users') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    if (users.length === 0) return fail('users_list_not_supplied');
    if (users.length > 1) return fail('not_supported');
    const user = ws.user(users[0]!);
    if (!user) return fail('user_not_found');
    if (user.deleted) return fail('user_disabled');
    if (user.is_bot) return fail('cannot_dm_bot');
    const existing = ws.hasImWith(user.id);
    const channel = ws.imWith(user.id);
    return ok({ ...(existing ? { no_op: true, already_open: true } : {}), channel: bool(args, 'return_im') ? channelObject(ws, channel) : { id: channel.id } });
  },
};
