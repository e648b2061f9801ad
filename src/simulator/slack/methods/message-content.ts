/** Rules shared by the methods that post or change a message: text, blocks, attachments and metadata. */
import { validateMessageBlocks } from '../block-kit.ts';
import type { Channel, Message } from '../state.ts';
import type { Args, SlackResponse } from '../types.ts';
import { fail, hasScope, str, type MethodContext } from './common.ts';

export const TEXT_MAX = 40_000;

export type Content = Pick<Message, 'text' | 'blocks' | 'attachments' | 'metadata'>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `invalid_blocks` as Slack answers it: the problems in `errors` and as `[ERROR]` lines in response_metadata. */
export function invalidBlocks(errors: string[]): SlackResponse {
  return fail('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
}

/** Checks blocks only (used by response_url too). */
export function checkBlocks(blocks: unknown): SlackResponse | undefined {
  if (blocks === undefined) return undefined;
  const errors = validateMessageBlocks(blocks);
  return errors.length > 0 ? invalidBlocks(errors) : undefined;
}

/** The content of a message from the arguments, or Slack's error for it. */
export function readContent(args: Args): Content | SlackResponse {
  const text = str(args, 'text');
  const blocks = args.blocks;
  const attachments = args.attachments;
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (!text && !hasBlocks && !hasAttachments) return fail('no_text');
  if (text !== undefined && text.length > TEXT_MAX) return fail('msg_too_long');
  const blockProblem = checkBlocks(blocks);
  if (blockProblem) return blockProblem;
  if (attachments !== undefined && !Array.isArray(attachments)) return fail('invalid_attachments');
  const content: Content = { text: text ?? '' };
  if (Array.isArray(blocks)) content.blocks = blocks;
  if (Array.isArray(attachments)) content.attachments = attachments;
  const metadata = args.metadata;
  const emptyMetadata = isObject(metadata) && Object.keys(metadata).length === 0;
  if (metadata !== undefined && !emptyMetadata) {
    if (!isObject(metadata) || typeof metadata.event_type !== 'string' || !isObject(metadata.event_payload)) {
      return fail('invalid_metadata_format');
    }
    content.metadata = { event_type: metadata.event_type, event_payload: metadata.event_payload };
  }
  return content;
}

export function isContent(value: Content | SlackResponse): value is Content {
  return !('ok' in value);
}

/**
 * Where a message goes: a channel id (or name), or a user id for the IM with that user. The bot must be in the
 * channel, except in public channels when it has chat:write.public.
 */
export function postTarget(ctx: MethodContext): Channel | SlackResponse {
  const { ws, token } = ctx;
  const id = (str(ctx.args, 'channel') ?? '').replace(/^#/, '');
  const user = /^[UW]/.test(id) ? ws.user(id) : undefined;
  const channel = user ? ws.imWith(user.id) : (ws.channel(id) ?? ws.channelByName(id));
  if (!channel) return fail('channel_not_found');
  const member = channel.members.has(token.userId);
  if ((channel.is_private || channel.is_im) && !member) return fail('channel_not_found');
  if (channel.archived) return fail('is_archived');
  if (!member && !hasScope(token, 'chat:write.public')) return fail('not_in_channel');
  return channel;
}
