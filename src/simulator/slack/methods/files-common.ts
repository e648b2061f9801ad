/** What the files.* methods share: finding a file the caller may see. */
import type { StoredFile } from '../state.ts';
import type { SlackResponse } from '../types.ts';
import { fail, str, type MethodContext } from './common.ts';

/**
 * The completed file named by `file` as the caller sees it. Unknown ids, uploads never completed and files the
 * caller can neither own nor see in a channel are `file_not_found`; a deleted file is `file_deleted`.
 */
export function visibleFile(ctx: MethodContext): StoredFile | SlackResponse {
  const { ws, token } = ctx;
  const file = ws.storedFile(str(ctx.args, 'file') ?? '');
  if (!file || !file.completed) return fail('file_not_found');
  const seen = file.user === token.userId || file.shares.some((share) => {
    const channel = ws.channel(share.channel);
    return channel !== undefined && (channel.members.has(token.userId) || (!channel.is_private && !channel.is_im));
  });
  if (!seen) return fail('file_not_found');
  if (file.deleted) return fail('file_deleted');
  return file;
}

export function isFile(value: StoredFile | SlackResponse): value is StoredFile {
  return !('ok' in value);
}
