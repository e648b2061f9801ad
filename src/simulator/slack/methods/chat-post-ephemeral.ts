import { fail, isResponse, ok, str, type MethodDef } from './common.ts';
import { isContent, postTarget, readContent } from './message-content.ts';

/** chat.postEphemeral: only `user` sees it, so `user` must be in the channel (`user_not_in_channel`). */
export const chatPostEphemeral: MethodDef = {
  name: 'chat.postEphemeral',
  scopes: ['chat:write'],
  required: ['channel', 'user'],
  handle: (ctx) => {
    const content = readContent(ctx.args);
    if (!isContent(content)) return content;
    const channel = postTarget(ctx);
    if (isResponse(channel)) return channel;
    const userId = str(ctx.args, 'user') ?? '';
    if (!ctx.ws.user(userId)) return fail('user_not_found');
    if (!channel.members.has(userId)) return fail('user_not_in_channel');
    const ts = ctx.ws.nextTs();
    ctx.ws.addEphemeral({
      channel: channel.id,
      user: userId,
      ts,
      text: content.text,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      via: 'chat.postEphemeral',
    });
    return ok({ message_ts: ts });
  },
};
