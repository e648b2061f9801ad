import { channelObject } from '../objects.ts';
import { fail, ok, str, type MethodDef } from './common.ts';

/** conversations.join: public channels only. Joining twice answers ok with the `already_in_channel` warning. */
export const conversationsJoin: MethodDef = {
  name: 'conversations.join',
  scopes: ['channels:join'],
  required: ['channel'],
  handle: ({ args, ws, token }) => {
    const channel = ws.channel(str(args, 'channel') ?? '');
    if (!channel) return fail('channel_not_found');
    if (channel.is_im || channel.is_private) return fail('method_not_supported_for_channel_type');
    if (channel.archived) return fail('is_archived');
    if (channel.members.has(token.userId)) {
      return ok({
        channel: channelObject(ws, channel),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      });
    }
    channel.members.add(token.userId);
    return ok({ channel: channelObject(ws, channel) });
  },
};
