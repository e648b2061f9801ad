/**
 * The only user of the Slack Web API. Calls go out once (the WebClient's own retries are off); what went wrong
 * comes back as a SlackCallError that says whether trying again can help and when, so the durable scheduler,
 * not an in-memory loop, owns every retry.
 */
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient, type WebAPICallResult } from '@slack/web-api';
import type { Logger } from './logger.ts';
import { nodeHttpFetch } from './node-http-fetch.ts';
import { slackSdkLogger } from './slack-sdk-logger.ts';
import type { Counter } from './counter.ts';

export type SlackResult = WebAPICallResult & Record<string, unknown>;

/** Slack error codes that describe a passing fault on Slack's side. */
const TRANSIENT_CODES = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'team_added_to_org']);

/** How a failed call may have ended, beyond the code. */
export interface FailureDetail {
  /**
   * True when Slack may have done what was asked although no answer said so: the call timed out, the connection
   * broke after the request was sent, or a 5xx came back. Anything with a side effect must look for that effect
   * (by its outbox key) before calling again.
   */
  outcomeUnknown?: boolean;
  /** Where the call went and what the network said (`slack.com: ECONNREFUSED`), for logs and /healthz. */
  cause?: string;
}

export class SlackCallError extends Error {
  override readonly name = 'SlackCallError';
  readonly outcomeUnknown: boolean;
  /** Where the call went and what the network said, when it got no answer from Slack. */
  readonly networkDetail: string | undefined;
  constructor(
    readonly method: string,
    /** Slack's error code (`name_taken`), or `http_500`, `rate_limited`, `network`, `timeout`. */
    readonly code: string,
    readonly retryable: boolean,
    /** From Retry-After, when Slack said how long to wait. */
    readonly retryAfterMs?: number,
    readonly data?: Record<string, unknown>,
    detail: FailureDetail = {},
  ) {
    super(`${method} failed: ${code}${detail.cause ? ` (${detail.cause})` : ''}`);
    this.outcomeUnknown = detail.outcomeUnknown ?? false;
    this.networkDetail = detail.cause;
  }
}

export interface BotIdentity {
  botUserId: string;
  botId: string;
}

/** Whether Slack answered the last call this process made, and since when (for /healthz and /metrics). */
export interface SlackReachability {
  /** undefined until the first call. */
  reachable: boolean | undefined;
  /** When the last call ended (epoch ms). */
  checkedAt: number;
  /** When `reachable` last changed. */
  since: number;
  /** The last failure that meant Slack could not be reached: method, host and what the network said. */
  lastError?: string;
}

export interface SlackGateway {
  call(method: string, args: Record<string, unknown>): Promise<SlackResult>;
  /** Posts to a response_url from a slash command or interaction. */
  respond(responseUrl: string, body: Record<string, unknown>): Promise<void>;
  /** The bot's own user id (auth.test), fetched once. */
  botUserId(): Promise<string>;
  /** The bot's user and bot ids when auth.test has already answered; never waits for Slack. */
  knownIdentity(): BotIdentity | undefined;
  /** What the last call said about reaching Slack. */
  reachability(): SlackReachability;
  /** The same gateway (identity and reachability shared) with calls that give up after `timeoutMs`. */
  withTimeout(timeoutMs: number): SlackGateway;
}

/** What gateways made from one another share: who the bot is, and whether Slack answered the last call. */
interface SharedState {
  botUser: Promise<string> | undefined;
  identity: BotIdentity | undefined;
  reachability: SlackReachability;
}

export interface GatewayOptions {
  token: string;
  slackApiUrl: string;
  logger: Logger;
  timeoutMs?: number;
  now?: () => number;
  metrics?: { slackApiCalls: Counter<'method'>; slackApiErrors: Counter<'method' | 'code'> };
}

export function createSlackGateway(opts: GatewayOptions, shared: SharedState = { botUser: undefined, identity: undefined, reachability: { reachable: undefined, checkedAt: 0, since: 0 } }): SlackGateway {
  const now = opts.now ?? Date.now;
  const host = hostOf(opts.slackApiUrl);
  const client = new WebClient(opts.token, {
    slackApiUrl: opts.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
    fetch: nodeHttpFetch,
    logger: slackSdkLogger(opts.logger.child({ component: 'web-api' })),
  });
  const observe = (failure: SlackCallError | undefined): void => {
    const at = now();
    // Any answer from Slack, an error code or a 429 included, means it can be reached.
    const reachable = failure === undefined || !isUnreachable(failure);
    shared.reachability = {
      reachable,
      checkedAt: at,
      since: shared.reachability.reachable === reachable ? shared.reachability.since : at,
      ...(reachable ? {} : { lastError: `${failure!.method} to ${failure!.networkDetail ?? host}` }),
    };
  };
  const counted = (failure: SlackCallError): SlackCallError => {
    opts.metrics?.slackApiErrors.inc({ method: failure.method, code: errorCodeLabel(failure.code) });
    observe(failure);
    return failure;
  };

  const call = async (method: string, args: Record<string, unknown>): Promise<SlackResult> => {
    opts.metrics?.slackApiCalls.inc({ method });
    try {
      const result = (await client.apiCall(method, args)) as SlackResult;
      observe(undefined);
      return result;
    } catch (error) {
      const failure = counted(toSlackCallError(method, error, host));
      opts.logger.warn('slack call failed', { method, host, code: failure.code, retryable: failure.retryable, outcomeUnknown: failure.outcomeUnknown, ...(failure.networkDetail ? { cause: failure.networkDetail } : {}) });
      throw failure;
    }
  };

  return {
    call,
    async respond(responseUrl, body) {
      opts.metrics?.slackApiCalls.inc({ method: 'response_url' });
      let response: Response;
      const urlHost = hostOf(responseUrl);
      try {
        response = await nodeHttpFetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
      } catch (error) {
        throw counted(networkFailure('response_url', error, urlHost));
      }
      if (!response.ok) {
        const retryAfter = Number(response.headers.get('retry-after'));
        throw counted(new SlackCallError('response_url', `http_${response.status}`, response.status === 429 || response.status >= 500, retryAfter > 0 ? retryAfter * 1000 : undefined, undefined, { outcomeUnknown: response.status >= 500, cause: `${urlHost}: HTTP ${response.status}` }));
      }
    },
    botUserId() {
      const asked = (shared.botUser ??= call('auth.test', {}).then((result) => {
        shared.identity = { botUserId: String(result.user_id), botId: String(result.bot_id ?? '') };
        return shared.identity.botUserId;
      }));
      asked.catch(() => (shared.botUser = undefined));
      return asked;
    },
    knownIdentity: () => shared.identity,
    reachability: () => shared.reachability,
    withTimeout: (timeoutMs) => createSlackGateway({ ...opts, timeoutMs }, shared),
  };
}

export function toSlackCallError(method: string, error: unknown, host = 'Slack'): SlackCallError {
  if (error instanceof SlackCallError) return error;
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    return new SlackCallError(method, code, TRANSIENT_CODES.has(code), undefined, error.data as unknown as Record<string, unknown>);
  }
  if (error instanceof WebAPIRateLimitedError) return new SlackCallError(method, 'rate_limited', true, error.retryAfter * 1000);
  if (error instanceof WebAPIHTTPError) {
    const status = error.statusCode;
    return new SlackCallError(method, `http_${status}`, status >= 500 || status === 408, undefined, undefined, { outcomeUnknown: status >= 500 || status === 408, cause: `${host}: HTTP ${status}` });
  }
  if (error instanceof WebAPIRequestError) return networkFailure(method, error.original, host);
  return new SlackCallError(method, error instanceof Error ? error.message : String(error), false);
}

/** Errors that mean the request never reached Slack, so nothing can have happened. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/** A call that got no answer: `timeout` when it took too long, else `network`; both retryable. */
function networkFailure(method: string, original: unknown, host: string): SlackCallError {
  const err = original as { name?: string; code?: string; message?: string; cause?: { name?: string } } | undefined;
  const timedOut = err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError' || err?.code === 'ETIMEDOUT' || err?.code === 'UND_ERR_HEADERS_TIMEOUT';
  const what = timedOut ? 'no answer in time' : (err?.code ?? err?.message ?? 'network error');
  const neverSent = !timedOut && err?.code !== undefined && NEVER_SENT.has(err.code);
  return new SlackCallError(method, timedOut ? 'timeout' : 'network', true, undefined, undefined, { outcomeUnknown: !neverSent, cause: `${host}: ${what}` });
}

/** Failures that say Slack did not answer at all (as opposed to answering with an error). */
function isUnreachable(failure: SlackCallError): boolean {
  return failure.code === 'network' || failure.code === 'timeout' || /^http_5\d\d$/.test(failure.code);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'Slack';
  }
}

/** Slack's codes are short snake_case words; an unexpected error's message would make a new series each time. */
function errorCodeLabel(code: string): string {
  return /^[a-z0-9_]{1,64}$/.test(code) ? code : 'other';
}

/** Walks a cursor-paginated method page by page until `find` returns something; undefined when no page has it. */
export async function findInPages<T>(slack: SlackGateway, method: string, args: Record<string, unknown>, find: (page: SlackResult) => T | undefined): Promise<T | undefined> {
  let cursor: string | undefined;
  do {
    const page = await slack.call(method, { ...args, ...(cursor ? { cursor } : {}) });
    const found = find(page);
    if (found !== undefined) return found;
    cursor = (page.response_metadata as { next_cursor?: string } | undefined)?.next_cursor || undefined;
  } while (cursor);
  return undefined;
}

/** Whether a person is a member of a channel (private incidents are shown only to their members). */
export async function isChannelMember(slack: SlackGateway, channelId: string | null, userId: string): Promise<boolean> {
  if (channelId === null) return false;
  try {
    return (await findInPages(slack, 'conversations.members', { channel: channelId, limit: 1000 }, (page) => ((page.members ?? []) as string[]).includes(userId) || undefined)) === true;
  } catch (error) {
    if (error instanceof SlackCallError && !error.retryable) return false;
    throw error;
  }
}

/**
 * Whether Slack can be reached now: what the last call said, or, when that is older than `maxAgeMs`, what a
 * fresh auth.test says (a failure is the answer, not an error).
 */
export async function currentReachability(slack: SlackGateway, now: number, maxAgeMs = 30_000): Promise<SlackReachability> {
  if (now - slack.reachability().checkedAt > maxAgeMs) await slack.call('auth.test', {}).catch(() => undefined);
  return slack.reachability();
}
