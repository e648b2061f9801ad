import { fail, isResponse, memberChannel, ok, str, type MethodDef } from './common.ts';

/** pins.add: a message (by `timestamp`) in a channel the caller is in. */
export const pinsAdd: MethodDef = {
  name: 'pins.add',
  scopes: ['pins:write'],
  required: ['channel'],
  handle: (ctx) => {
    const channel = memberChannel(ctx);
    if (isResponse(channel)) return channel;
    const ts = str(ctx.args, 'timestamp');
    if (ts === undefined) return fail('no_item_specified');
    if (!ctx.ws.message(channel, ts)) return fail('message_not_found');
    if (channel.pins.includes(ts)) return fail('already_pinned');
    channel.pins.push(ts);
    return ok();
  },
};
