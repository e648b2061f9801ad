import { messageObject } from '../objects.ts';
import { fail, isResponse, ok, str, visibleChannel, type MethodDef } from './common.ts';
import { isContent, readContent } from './message-content.ts';

/**
 * chat.update: only the caller's own messages (`cant_update_message`). Blocks, attachments and metadata that are
 * not given are kept, as Slack does.
 */
export const chatUpdate: MethodDef = {
  name: 'chat.update',
  scopes: ['chat:write'],
  required: ['channel', 'ts'],
  handle: (ctx) => {
    const { args, ws, token } = ctx;
    const content = readContent(args);
    if (!isContent(content)) return content;
    const channel = visibleChannel(ctx);
    if (isResponse(channel)) return channel;
    const message = ws.message(channel, str(args, 'ts') ?? '');
    if (!message) return fail('message_not_found');
    if (message.user !== token.userId) return fail('cant_update_message');
    if (channel.archived) return fail('is_inactive');
    message.text = content.text;
    if (content.blocks) message.blocks = content.blocks;
    if (content.attachments) message.attachments = content.attachments;
    if (args.metadata !== undefined) {
      if (content.metadata) message.metadata = content.metadata;
      else delete message.metadata;
    }
    message.edited = { user: token.userId, ts: ws.nextTs() };
    return ok({ channel: channel.id, ts: message.ts, text: message.text, message: messageObject(ws, message) });
  },
};
