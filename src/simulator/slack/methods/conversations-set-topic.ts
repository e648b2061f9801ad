import { channelObject } from '../objects.ts';
import { byConversationType, fail, isResponse, memberChannel, ok, str, type MethodContext, type MethodDef } from './common.ts';
import type { SlackResponse } from '../types.ts';

export const TOPIC_MAX = 250;

export const TOPIC_SCOPES = byConversationType({
  public: ['channels:manage', 'channels:write.topic'],
  private: ['groups:write', 'groups:write.topic'],
  im: ['im:write'],
});

/** Shared by setTopic and setPurpose: the caller must be in the (unarchived) channel; at most 250 characters. */
export function setTopicLike(ctx: MethodContext, key: 'topic' | 'purpose'): SlackResponse {
  const channel = memberChannel(ctx);
  if (isResponse(channel)) return channel;
  if (channel.archived) return fail('is_archived');
  const value = str(ctx.args, key) ?? '';
  if (value.length > TOPIC_MAX) return fail('too_long');
  channel[key] = { value, creator: ctx.token.userId, last_set: Math.floor(ctx.services.now() / 1000) };
  return ok({ channel: channelObject(ctx.ws, channel) });
}

/** conversations.setTopic */
export const conversationsSetTopic: MethodDef = {
  name: 'conversations.setTopic',
  scopes: TOPIC_SCOPES,
  required: ['channel', 'topic'],
  handle: (ctx) => setTopicLike(ctx, 'topic'),
};
