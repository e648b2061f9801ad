import { channelObject } from '../objects.ts';
import { bool, byConversationType, fail, isResponse, ok, str, visibleChannel, type MethodDef } from './common.ts';

interface InviteError {
  user: string;
  ok: false;
  error: string;
}

/**
 * conversations.invite: `users` is a comma-separated list. The caller must be in the channel. Per-user problems
 * (`user_not_found`, `already_in_channel`) fail the whole call with an `errors` list, unless `force` is set, in
 * which case the valid users are still invited.
 */
export const conversationsInvite: MethodDef = {
  name: 'conversations.invite',
  scopes: byConversationType({
    public: ['channels:manage', 'channels:write.invites'],
    private: ['groups:write', 'groups:write.invites'],
    im: ['im:write'],
  }),
  required: ['channel', 'users'],
  handle: (ctx) => {
    const { args, ws, token } = ctx;
    const channel = visibleChannel(ctx);
    if (isResponse(channel)) return channel;
    if (channel.is_im) return fail('method_not_supported_for_channel_type');
    if (channel.archived) return fail('is_archived');
    if (!channel.members.has(token.userId)) return fail('not_in_channel');
    const users = (str(args, 'users') ?? '').split(',').map((u) => u.trim()).filter((u) => u.length > 0);
    if (users.length === 0) return fail('no_user');
    if (users.includes(token.userId)) return fail('cant_invite_self');
    const errors: InviteError[] = [];
    const valid: string[] = [];
    for (const id of users) {
      const user = ws.user(id);
      if (!user || user.deleted) errors.push({ user: id, ok: false, error: 'user_not_found' });
      else if (channel.members.has(id)) errors.push({ user: id, ok: false, error: 'already_in_channel' });
      else valid.push(id);
    }
    const force = bool(args, 'force');
    if (errors.length > 0 && (!force || valid.length === 0)) {
      return fail(errors[0]?.error ?? 'invalid_arguments', { errors });
    }
    for (const id of valid) channel.members.add(id);
    return ok({ channel: channelObject(ws, channel), ...(errors.length > 0 ? { errors } : {}) });
  },
};
