import { channelObject } from '../objects.ts';
import { bool, isResponse, ok, READ_SCOPES, visibleChannel, type MethodDef } from './common.ts';

/** conversations.info: private channels and IMs the caller is not in are `channel_not_found`. */
export const conversationsInfo: MethodDef = {
  name: 'conversations.info',
  scopes: READ_SCOPES,
  required: ['channel'],
  handle: (ctx) => {
    const channel = visibleChannel(ctx);
    if (isResponse(channel)) return channel;
    return ok({ channel: channelObject(ctx.ws, channel, { numMembers: bool(ctx.args, 'include_num_members') }) });
  },
};
