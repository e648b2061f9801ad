import { fail, isResponse, ok, str, visibleChannel, type MethodDef } from './common.ts';

/**
 * chat.getPermalink: no scope needed. `https://<domain>.slack.com/archives/<channel>/p<ts without the dot>`; a
 * thread reply gets `?thread_ts=<parent ts>&cid=<channel>`. Private channels and IMs the caller is not in are
 * `channel_not_found`, like unknown ids; a public channel needs no membership.
 */
export const chatGetPermalink: MethodDef = {
  name: 'chat.getPermalink',
  scopes: [],
  required: ['channel', 'message_ts'],
  handle: (ctx) => {
    const { args, ws } = ctx;
    const channel = visibleChannel(ctx);
    if (isResponse(channel)) return channel;
    const message = ws.message(channel, str(args, 'message_ts') ?? '');
    if (!message) return fail('message_not_found');
    let permalink = `https://${ws.team.domain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
    if (message.thread_ts !== undefined && message.thread_ts !== message.ts) {
      permalink += `?thread_ts=${message.thread_ts}&cid=${channel.id}`;
    }
    return ok({ channel: channel.id, permalink });
  },
};
