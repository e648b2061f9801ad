import { channelObject } from '../objects.ts';
import { CHANNEL_NAME_MAX } from '../state.ts';
import { bool, fail, ok, str, type MethodDef } from './common.ts';

/**
 * conversations.create. Names: lowercase letters, digits, `-` and `_`, at most 80 characters, not only
 * punctuation, unique among all channels including archived ones. The creator becomes the first member.
 */
export const conversationsCreate: MethodDef = {
  name: 'conversations.create',
  scopes: (args) => (bool(args, 'is_private') ? ['groups:write'] : ['channels:manage']),
  handle: ({ args, ws, token }) => {
    const name = str(args, 'name') ?? '';
    const problem = nameProblem(name);
    if (problem) return fail(problem);
    if (ws.channelByName(name)) return fail('name_taken');
    const channel = ws.createChannel(name, bool(args, 'is_private'), token.userId);
    return ok({ channel: channelObject(ws, channel) });
  },
};

export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'invalid_name_required';
  if (name.length > CHANNEL_NAME_MAX) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (!/[a-z0-9]/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}
