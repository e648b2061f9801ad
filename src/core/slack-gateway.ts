/**
 * The only user of the Slack Web API. Calls go out once (the WebClient's own retries are off); what went wrong
 * comes back as a SlackCallError that says whether trying again can help and when, so the durable scheduler,
 * not an in-memory loop, owns every retry.
 */
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient, type WebAPICallResult } from '@slack/web-api';
import type { Logger } from './logger.ts';
import { nodeHttpFetch } from './node-http-fetch.ts';
import { slackSdkLogger } from './slack-sdk-logger.ts';
import type { ProcessMetrics } from '../metrics/process-metrics.ts';

export type SlackResult = WebAPICallResult & Record<string, unknown>;

/** Slack error codes that describe a passing fault on Slack's side. */
const TRANSIENT_CODES = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'team_added_to_org']);

export class SlackCallError extends Error {
  override readonly name = 'SlackCallError';
  constructor(
    readonly method: string,
    /** Slack's error code (`name_taken`), or `http_500`, `rate_limited`, `network`. */
    readonly code: string,
    readonly retryable: boolean,
    /** From Retry-After, when Slack said how long to wait. */
    readonly retryAfterMs?: number,
    readonly data?: Record<string, unknown>,
  ) {
    super(`${method} failed: ${code}`);
  }
}

export interface SlackGateway {
  call(method: string, args: Record<string, unknown>): Promise<SlackResult>;
  /** Posts to a response_url from a slash command or interaction. */
  respond(responseUrl: string, body: Record<string, unknown>): Promise<void>;
  /** The bot's own user id (auth.test), fetched once. */
  botUserId(): Promise<string>;
}

export function createSlackGateway(opts: { token: string; slackApiUrl: string; logger: Logger; timeoutMs?: number; metrics?: Pick<ProcessMetrics, 'slackApiCalls' | 'slackApiErrors'> }): SlackGateway {
  const client = new WebClient(opts.token, {
    slackApiUrl: opts.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
    fetch: nodeHttpFetch,
    logger: slackSdkLogger(opts.logger.child({ component: 'web-api' })),
  });
  let botUser: Promise<string> | undefined;
  const counted = (failure: SlackCallError): SlackCallError => {
    opts.metrics?.slackApiErrors.inc({ method: failure.method, code: errorCodeLabel(failure.code) });
    return failure;
  };

  const call = async (method: string, args: Record<string, unknown>): Promise<SlackResult> => {
    opts.metrics?.slackApiCalls.inc({ method });
    try {
      return (await client.apiCall(method, args)) as SlackResult;
    } catch (error) {
      const failure = counted(toSlackCallError(method, error));
      opts.logger.warn('slack call failed', { method, code: failure.code, retryable: failure.retryable });
      throw failure;
    }
  };

  return {
    call,
    async respond(responseUrl, body) {
      opts.metrics?.slackApiCalls.inc({ method: 'response_url' });
      let response: Response;
      try {
        response = await nodeHttpFetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
      } catch {
        throw counted(new SlackCallError('response_url', 'network', true));
      }
      if (!response.ok) {
        const retryAfter = Number(response.headers.get('retry-after'));
        throw counted(new SlackCallError('response_url', `http_${response.status}`, response.status === 429 || response.status >= 500, retryAfter > 0 ? retryAfter * 1000 : undefined));
      }
    },
    botUserId() {
      botUser ??= call('auth.test', {}).then((result) => String(result.user_id));
      botUser.catch(() => (botUser = undefined));
      return botUser;
    },
  };
}

export function toSlackCallError(method: string, error: unknown): SlackCallError {
  if (error instanceof SlackCallError) return error;
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    return new SlackCallError(method, code, TRANSIENT_CODES.has(code), undefined, error.data as unknown as Record<string, unknown>);
  }
  if (error instanceof WebAPIRateLimitedError) return new SlackCallError(method, 'rate_limited', true, error.retryAfter * 1000);
  if (error instanceof WebAPIHTTPError) return new SlackCallError(method, `http_${error.statusCode}`, error.statusCode >= 500 || error.statusCode === 408);
  if (error instanceof WebAPIRequestError) return new SlackCallError(method, 'network', true);
  return new SlackCallError(method, error instanceof Error ? error.message : String(error), false);
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
