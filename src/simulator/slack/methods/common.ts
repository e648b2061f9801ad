/**
 * What every Web API method file shares: the method definition shape, argument readers, answer builders and the
 * channel lookups that decide between `channel_not_found`, `not_in_channel` and `is_archived` the way Slack does.
 */
import type { Channel, Workspace } from '../state.ts';
import type { Args, SlackResponse, TokenInfo, TokenType } from '../types.ts';

/** Services of the running fake that some methods need. */
export interface Services {
  now(): number;
  triggerTtlMs: number;
  /** Registers a one-time Socket Mode ticket and returns the WebSocket URL for it. */
  openSocketUrl(): string;
  /** The upload URL (on the fake's own server) for a file of files.getUploadURLExternal. */
  uploadUrl(fileId: string): string;
}

export interface MethodContext {
  args: Args;
  ws: Workspace;
  token: TokenInfo;
  services: Services;
}

/**
 * Scopes: the token needs at least one of them (Slack lists alternatives, e.g. `channels:manage` or
 * `channels:write.topic`); the first is reported as `needed`. A function picks them from the arguments, for
 * methods whose scope depends on the conversation type.
 */
export type ScopeRule = readonly string[] | ((args: Args, ws: Workspace) => readonly string[]);

export interface MethodDef {
  name: string;
  /** Token types allowed to call the method (default: bot and user tokens). */
  tokenTypes?: readonly TokenType[];
  scopes: ScopeRule;
  /** Arguments whose absence is `invalid_arguments` (`missing required field: x`). */
  required?: readonly string[];
  handle(ctx: MethodContext): SlackResponse;
}

// ---- answers -------------------------------------------------------------------------------------------------

export function ok(data: Record<string, unknown> = {}): SlackResponse {
  return { ok: true, ...data };
}

export function fail(error: string, extra: Record<string, unknown> = {}): SlackResponse {
  return { ok: false, error, ...extra };
}

/** `invalid_arguments` with Slack's `[ERROR] ...` lines. */
export function invalidArguments(messages: string[]): SlackResponse {
  return fail('invalid_arguments', { response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } });
}

// ---- argument readers ----------------------------------------------------------------------------------------

/** A string argument (numbers and booleans from JSON bodies are turned into strings, as Slack reads them). */
export function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function bool(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function int(args: Args, key: string): number | undefined {
  const value = args[key];
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

// ---- channel lookups -----------------------------------------------------------------------------------------

/** Scopes that depend on the conversation named by `channel`: public, private or IM. */
export function byConversationType(scopes: { public: readonly string[]; private: readonly string[]; im: readonly string[] }): ScopeRule {
  return (args, ws) => {
    const channel = ws.channel(str(args, 'channel') ?? '');
    if (!channel) return scopes.public;
    if (channel.is_im) return scopes.im;
    return channel.is_private ? scopes.private : scopes.public;
  };
}

/**
 * The channel named by `channel` as the caller sees it: unknown ids, and private channels or IMs the caller is
 * not in, are `channel_not_found` (Slack does not reveal them).
 */
export function visibleChannel(ctx: MethodContext, key = 'channel'): Channel | SlackResponse {
  const id = str(ctx.args, key) ?? '';
  const channel = ctx.ws.channel(id);
  if (!channel) return fail('channel_not_found');
  if ((channel.is_private || channel.is_im) && !channel.members.has(ctx.token.userId)) return fail('channel_not_found');
  return channel;
}

/** A visible channel the caller is a member of (`not_in_channel` otherwise). */
export function memberChannel(ctx: MethodContext, key = 'channel'): Channel | SlackResponse {
  const channel = visibleChannel(ctx, key);
  if (isResponse(channel)) return channel;
  if (!channel.members.has(ctx.token.userId)) return fail('not_in_channel');
  return channel;
}

export function isResponse(value: Channel | SlackResponse): value is SlackResponse {
  return 'ok' in value;
}

/** Scopes for methods that act on a conversation (create, topic, purpose, invite, archive). */
export const MANAGE_SCOPES = byConversationType({
  public: ['channels:manage'],
  private: ['groups:write'],
  im: ['im:write'],
});

export const READ_SCOPES = byConversationType({
  public: ['channels:read'],
  private: ['groups:read'],
  im: ['im:read'],
});

export function missingScope(token: TokenInfo, needed: string): SlackResponse {
  return fail('missing_scope', { needed, provided: token.scopes.join(',') });
}

export function hasScope(token: TokenInfo, scope: string): boolean {
  return token.scopes.includes(scope);
}

// ---- pagination ----------------------------------------------------------------------------------------------

export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

/** The offset in a cursor: 0 without one, undefined when it is not one of ours (`invalid_cursor`). */
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** `limit` as Slack reads it: default when absent, capped at max; 0 or less means the default. */
export function pageLimit(args: Args, fallback: number, max: number): number {
  const limit = int(args, 'limit');
  if (limit === undefined || limit <= 0) return fallback;
  return Math.min(limit, max);
}

/** Whether a message ts lies within `oldest`/`latest` (both ends counted with `inclusive`), as history and replies read them. */
export function inRange(ts: string, oldest: string | undefined, latest: string | undefined, inclusive: boolean): boolean {
  const t = Number(ts);
  if (oldest !== undefined && (inclusive ? t < Number(oldest) : t <= Number(oldest))) return false;
  if (latest !== undefined && (inclusive ? t > Number(latest) : t >= Number(latest))) return false;
  return true;
}
