import { messageObject } from '../objects.ts';
import { isResponse, ok, str, type MethodDef } from './common.ts';
import { isContent, postTarget, readContent } from './message-content.ts';

/**
 * chat.postMessage: `text` and/or `blocks` (else `no_text`), text at most 40,000 characters, blocks validated,
 * `metadata` stored. Returns the channel id, a unique increasing `ts` and the message.
 */
export const chatPostMessage: MethodDef = {
  name: 'chat.postMessage',
  scopes: ['chat:write'],
  required: ['channel'],
  handle: (ctx) => {
    const content = readContent(ctx.args);
    if (!isContent(content)) return content;
    const channel = postTarget(ctx);
    if (isResponse(channel)) return channel;
    const threadTs = str(ctx.args, 'thread_ts');
    const message = ctx.ws.post(channel, {
      ...content,
      user: ctx.token.userId,
      ...(ctx.token.type === 'bot' ? { bot_id: ctx.ws.botId } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return ok({ channel: channel.id, ts: message.ts, message: messageObject(ctx.ws, message) });
  },
};
