import { fileObject } from '../objects.ts';
import type { Channel, StoredFile } from '../state.ts';
import type { SlackResponse } from '../types.ts';
import { fail, invalidArguments, isResponse, ok, str, type MethodContext, type MethodDef } from './common.ts';
import { checkBlocks, postTarget, TEXT_MAX } from './message-content.ts';

/**
 * Slack checks `channel_id` against `^[CGDZ][A-Z0-9]{8,}$` (so a user id is `invalid_arguments`). The fake keeps
 * the prefix and the alphabet but not the minimum length, so short fixture ids (`C0OPS`) still work.
 */
const CHANNEL_ID = /^[CGDZ][A-Z0-9]+$/;

interface FileEntry {
  id: string;
  title?: string;
}

/**
 * files.completeUploadExternal: finishes uploads the caller started (files.getUploadURLExternal) and posted bytes
 * for; Slack allows it once per file. `files` is a JSON array of `{ id, title? }` (a JSON string in a form body).
 * With `channel_id` (or Slack's comma-separated `channels`, where user ids mean the IM), the files are shared by a
 * message from the caller whose `files` carry them, its text `initial_comment` (or `blocks`, which Slack ignores
 * when there is an initial_comment), in the thread `thread_ts` when given. The channel is refused as
 * chat.postMessage would refuse it (`channel_not_found`, `not_in_channel`, `is_archived`). Without a channel the
 * files stay private. Unknown ids, other callers' uploads, uploads with no bytes posted and files already
 * completed are `file_not_found` (Slack: "Could not find the file from the upload ticket"). Nothing changes
 * unless the whole call succeeds.
 */
export const filesCompleteUploadExternal: MethodDef = {
  name: 'files.completeUploadExternal',
  scopes: ['files:write'],
  required: ['files'],
  handle: (ctx) => {
    const { args, ws, token } = ctx;
    const entries = readEntries(args.files);
    if (!Array.isArray(entries)) return entries;
    const targets = readTargets(ctx);
    if (!Array.isArray(targets)) return targets;

    const files: { file: StoredFile; title: string | undefined }[] = [];
    for (const entry of entries) {
      const file = ws.storedFile(entry.id);
      if (!file || file.completed || file.deleted || file.user !== token.userId || file.bytes === undefined) return fail('file_not_found');
      if (!files.some((f) => f.file === file)) files.push({ file, title: entry.title });
    }

    const channels: Channel[] = [];
    for (const target of targets) {
      const channel = postTarget({ ...ctx, args: { channel: target } });
      if (isResponse(channel)) return channel;
      if (!channels.includes(channel)) channels.push(channel);
    }
    const threadTs = str(args, 'thread_ts') || undefined;
    if (threadTs !== undefined && channels.length > 1) return invalidArguments(['thread_ts needs exactly one channel']);
    const text = str(args, 'initial_comment') ?? '';
    if (text.length > TEXT_MAX) return fail('msg_too_long');
    const blocks = text === '' && Array.isArray(args.blocks) && args.blocks.length > 0 ? args.blocks : undefined;
    const blockProblem = checkBlocks(blocks);
    if (blockProblem) return blockProblem;

    for (const { file, title } of files) {
      file.completed = true;
      if (title) file.title = title;
    }
    const ids = files.map((f) => f.file.id);
    for (const channel of channels) {
      const message = ws.post(channel, {
        user: token.userId,
        ...(token.type === 'bot' ? { bot_id: ws.botId } : {}),
        text,
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        files: [...ids],
      });
      for (const { file } of files) file.shares.push({ channel: channel.id, ts: message.ts });
    }
    return ok({ files: files.map(({ file }) => fileObject(ws, file)) });
  },
};

/** The `files` argument: a JSON array (or a JSON string of one) of `{ id, title? }`. */
function readEntries(value: unknown): FileEntry[] | SlackResponse {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return invalidArguments(['failed to parse json [json-pointer:/files]']);
    }
  }
  if (!Array.isArray(parsed)) return invalidArguments(['must be an array [json-pointer:/files]']);
  if (parsed.length === 0) return invalidArguments(['must provide at least 1 items [json-pointer:/files]']);
  const entries: FileEntry[] = [];
  for (const [i, item] of parsed.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return invalidArguments([`must be an object [json-pointer:/files/${i}]`]);
    const { id, title } = item as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') return invalidArguments([`missing required field: id [json-pointer:/files/${i}/id]`]);
    if (title !== undefined && typeof title !== 'string') return invalidArguments([`must be a string [json-pointer:/files/${i}/title]`]);
    entries.push(title === undefined ? { id } : { id, title });
  }
  return entries;
}

/** Where to share: `channel_id` (a conversation id), else the ids in `channels`; none for a private file. */
function readTargets(ctx: MethodContext): string[] | SlackResponse {
  const channelId = str(ctx.args, 'channel_id');
  if (channelId !== undefined && channelId !== '') {
    if (!CHANNEL_ID.test(channelId)) return invalidArguments([`input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ [json-pointer:/channel_id]`]);
    return [channelId];
  }
  const channels = str(ctx.args, 'channels') ?? '';
  return channels.split(',').map((c) => c.trim()).filter((c) => c !== '');
}
