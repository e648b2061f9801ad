import { setTopicLike, TOPIC_SCOPES } from './conversations-set-topic.ts';
import type { MethodDef } from './common.ts';

/** conversations.setPurpose: same rules as setTopic (250 characters, member of the channel). */
export const conversationsSetPurpose: MethodDef = {
  name: 'conversations.setPurpose',
  scopes: TOPIC_SCOPES,
  required: ['channel', 'purpose'],
  handle: (ctx) => setTopicLike(ctx, 'purpose'),
};
