/**
 * Shared types of the fake Slack. Nothing here depends on a test framework: the same code is meant to grow into a
 * local Slack simulator.
 */

/** Arguments of a Web API call after parsing: form fields are strings, JSON bodies keep their types. */
export type Args = Record<string, unknown>;

/** Every Web API answer: `{ ok: true, ... }` or `{ ok: false, error, ... }`. */
export type SlackResponse = { ok: boolean; error?: string } & Record<string, unknown>;

export type TokenType = 'bot' | 'app' | 'user';

export interface TokenInfo {
  token: string;
  type: TokenType;
  scopes: readonly string[];
  /** The user the token acts as (the bot user for a bot token). */
  userId: string;
}

export interface UserSeed {
  id: string;
  name: string;
  real_name?: string;
  display_name?: string;
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
}

export interface ChannelSeed {
  id: string;
  name: string;
  is_private?: boolean;
  is_archived?: boolean;
  /** Member user ids; the bot is a member only when listed (use the bot user id, default U0KLAXON). */
  members?: string[];
  creator?: string;
  topic?: string;
  purpose?: string;
}

export interface FakeSlackOptions {
  /** Scopes of the bot token (pass the manifest's bot scopes). */
  scopes?: readonly string[];
  botToken?: string;
  appToken?: string;
  users?: UserSeed[];
  channels?: ChannelSeed[];
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** How long an issued trigger_id stays valid (Slack: 3 s). */
  triggerTtlMs?: number;
  /** How long a response_url stays valid (Slack: 30 minutes) and how often it can be used (Slack: 5). */
  responseUrlTtlMs?: number;
  responseUrlMaxUses?: number;
  /** How long socketMode.send waits for the ack (Slack: 3 s). */
  ackTimeoutMs?: number;
  /** Interval of the server's WebSocket pings (0 = none). Slack pings its clients regularly. */
  socketPingIntervalMs?: number;
  /** Latency added to every Web API answer (the call itself takes effect on arrival). */
  latencyMs?: number;
  /** The fake's clock: trigger and response_url expiry, message ts, creation times (default Date.now). */
  now?: () => number;
  /** The port on 127.0.0.1 (default: a free one). */
  port?: number;
}

/**
 * A fault to inject into the next call(s) of a method. 429, 500 and `{ error }` answer at once and change
 * nothing; `{ delayMs }` lets the call take effect (and be recorded) at once but holds the answer back. With
 * `channel`, only a call whose `channel` argument is that one meets it (a post to one person's DM, say).
 */
export type Failure = ({ status: 429; retryAfter: number } | { status: 500 } | { error: string } | { delayMs: number }) & { channel?: string };

export interface RecordedCall {
  method: string;
  args: Args;
  token: string | undefined;
  /** When the call arrived (ms since epoch, on the fake's clock). */
  at: number;
  /** Its place in the order of everything the workspace saw (calls, answers, people's actions). */
  seq: number;
  ok: boolean;
  error?: string;
  /** HTTP status the fake answered with. */
  status: number;
  /** The body sent back (parsed JSON, or the text for a 500). */
  response: unknown;
  /** The injected fault, when the call was faulted. */
  fault?: Failure;
}

export interface RecordedResponse {
  url: string;
  body: unknown;
  at: number;
  ok: boolean;
  error?: string;
  status: number;
}

/** A POST to an upload URL (files.getUploadURLExternal), refused ones included. */
export interface RecordedUpload {
  fileId: string;
  /** When the request arrived (ms since epoch). */
  at: number;
  /** HTTP status the fake answered with (200, or 400/404/405). */
  status: number;
  /** The request's Content-Type header, as sent. */
  contentType: string | undefined;
  /** For a multipart body: the form field that carried the bytes, and the filename it gave. */
  field?: string;
  filename?: string;
  /** Bytes stored (0 when refused). */
  size: number;
}

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface AckMessage {
  envelope_id: string;
  payload?: unknown;
}
