import { fail, isResponse, MANAGE_SCOPES, ok, visibleChannel, type MethodDef } from './common.ts';

/** conversations.archive */
export const conversationsArchive: MethodDef = {
  name: 'conversations.archive',
  scopes: MANAGE_SCOPES,
  required: ['channel'],
  handle: (ctx) => {
    const channel = visibleChannel(ctx);
    if (isResponse(channel)) return channel;
    if (channel.is_im) return fail('method_not_supported_for_channel_type');
    if (channel.is_general) return fail('cant_archive_general');
    if (channel.archived) return fail('already_archived');
    if (!channel.members.has(ctx.token.userId)) return fail('not_in_channel');
    channel.archived = true;
    return ok();
  },
};
