/**
 * Durable, idempotent Slack side effects. Each call is recorded under a key built from domain ids
 * (`summary:INC-42`): a key that was sent returns its stored result instead of calling Slack again, so a flow
 * that is run again after a crash or a failure repeats only the steps that did not happen.
 *
 * `sending` means the call went out and nobody saw the answer: the process died in between, or the call timed
 * out or broke off (SlackCallError.outcomeUnknown). The next attempt asks `recover` first (for example: look
 * for the message carrying this key in its metadata) and only calls Slack again when that finds nothing.
 * Every chat.postMessage carries its key in metadata and is recovered that way without the caller asking.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, gte, lt, or, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema.ts';
import type { Clock } from './clock.ts';
import { param, preparedStatements, type Db } from './db.ts';
import { errorMessage } from './errors.ts';
import { SlackCallError, type SlackGateway, type SlackResult } from './slack-gateway.ts';
import type { Counter } from './counter.ts';

/** What a step keeps for later: the channel and message it made, and anything a caller picks. */
export type OutboxResult = Record<string, unknown>;

export interface SendOptions {
  /** Looks for the outcome of an earlier attempt whose answer was lost. */
  recover?: () => Promise<OutboxResult | undefined>;
  /** Slack errors that mean "already done" (`already_pinned`): stored as success. */
  alreadyDone?: string[];
  /** What to keep from Slack's answer; by default the channel id and message ts. */
  pick?: (result: SlackResult) => OutboxResult;
}

export const OUTBOX_METADATA_EVENT = 'klaxon_outbox';

const statements = preparedStatements((db) => {
  const key = sql.placeholder('key');
  const at = sql.placeholder('at');
  return {
    get: db.select().from(outbox).where(eq(outbox.key, key)).prepare(),
    markSending: db
      .insert(outbox)
      .values({ key, method: sql.placeholder('method'), status: 'sending', attempts: 1, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({ target: outbox.key, set: { status: 'sending', method: sql`excluded.method`, attempts: sql`${outbox.attempts} + 1`, updatedAt: sql`excluded.updated_at` } })
      .prepare(),
    markSent: db.update(outbox).set({ status: 'sent', result: param('result'), lastError: null, updatedAt: param('at') }).where(eq(outbox.key, key)).prepare(),
    markFailed: db.update(outbox).set({ status: 'failed', lastError: param('error'), updatedAt: param('at') }).where(eq(outbox.key, key)).prepare(),
    lastSentOf: db
      .select({ result: outbox.result })
      .from(outbox)
      .where(and(eq(outbox.status, 'sent'), or(eq(outbox.key, sql.placeholder('surface')), and(gte(outbox.key, sql.placeholder('from')), lt(outbox.key, sql.placeholder('to'))))))
      .orderBy(desc(outbox.updatedAt), desc(outbox.id))
      .limit(1)
      .prepare(),
    // Stays `sending`: the next attempt must look for the effect before making it again.
    markUnknown: db.update(outbox).set({ lastError: param('error'), updatedAt: param('at') }).where(eq(outbox.key, key)).prepare(),
  };
});

export class Outbox {
  constructor(
    private readonly db: Db,
    private readonly slack: SlackGateway,
    private readonly clock: Clock,
    private readonly metrics?: { slackApiRetries: Counter<'method'> },
  ) {}

  async send(key: string, method: string, args: Record<string, unknown>, opts: SendOptions = {}): Promise<OutboxResult> {
    if (method === 'chat.postMessage') {
      const channel = String(args.channel);
      args = { metadata: outboxMetadata(key), ...args };
      opts = { recover: () => findMessageByKey(this.slack, channel, key), ...opts };
    }
    const content = SURFACE_METHODS.has(method) ? { content: contentOf(args) } : {};
    return this.deliver(key, method, opts, async () => {
      const result = await this.slack.call(method, args);
      return { ...(opts.pick ?? defaultPick)(result), ...content };
    });
  }

  /**
   * Brings a standing surface (a message edited in place, a channel topic) to show `args`, as the step
   * `${surface}:${version}`. When what the surface last showed (the last call sent under `surface` or
   * `${surface}:…`) had the same content, nothing is called: every edit changes something people see.
   */
  async edit(surface: string, version: string, method: string, args: Record<string, unknown>): Promise<OutboxResult> {
    const last = await statements(this.db).lastSentOf.get({ surface, from: `${surface}:`, to: `${surface};` });
    if (last?.result && last.result.content === contentOf(args)) return last.result;
    return this.send(`${surface}:${version}`, method, args);
  }

  /** A side effect of several calls (a file upload) recorded under one key, like `send`. */
  async perform(key: string, label: string, run: () => Promise<OutboxResult>, opts: Pick<SendOptions, 'recover' | 'alreadyDone'> = {}): Promise<OutboxResult> {
    return this.deliver(key, label, opts, run);
  }

  /** Posts to a response_url once (the reply to a slash command or modal). */
  async respond(key: string, responseUrl: string, body: Record<string, unknown>): Promise<OutboxResult> {
    return this.deliver(key, 'response_url', {}, async () => {
      await this.slack.respond(responseUrl, body);
      return {};
    });
  }

  private async deliver(key: string, method: string, opts: SendOptions, perform: () => Promise<OutboxResult>): Promise<OutboxResult> {
    const stmt = statements(this.db);
    const row = await stmt.get.get({ key });
    if (row?.status === 'sent') return row.result ?? {};
    if (row?.status === 'sending' && opts.recover) {
      const recovered = await lookFor(opts.recover);
      if (recovered) return this.markSent(key, recovered);
    }
    // A row not sent means an earlier attempt failed or its answer was lost: this call is made again.
    if (row) this.metrics?.slackApiRetries.inc({ method });
    await stmt.markSending.run({ key, method, at: this.clock.now() });
    try {
      return this.markSent(key, await perform());
    } catch (error) {
      if (error instanceof SlackCallError && opts.alreadyDone?.includes(error.code)) return this.markSent(key, { alreadyDone: error.code });
      if (error instanceof SlackCallError && error.outcomeUnknown) {
        await stmt.markUnknown.run({ key, error: errorMessage(error), at: this.clock.now() });
        throw error;
      }
      // The call was answered with an error, so nothing happened: the next attempt calls again.
      await stmt.markFailed.run({ key, error: errorMessage(error), at: this.clock.now() });
      throw error;
    }
  }

  private async markSent(key: string, result: OutboxResult): Promise<OutboxResult> {
    await statements(this.db).markSent.run({ key, result: JSON.stringify(result), at: this.clock.now() });
    return result;
  }
}

/** Calls whose content stays on show, so that `edit` can tell whether a new call would change it. */
const SURFACE_METHODS = new Set(['chat.postMessage', 'chat.update', 'conversations.setTopic']);

/** Where a call goes and how it is delivered are not what people see. */
const NOT_CONTENT = new Set(['channel', 'ts', 'metadata', 'unfurl_links', 'unfurl_media']);

/** A short hash of what a call shows (its text, blocks, topic). */
export function contentOf(args: Record<string, unknown>): string {
  const shown = Object.entries(args).filter(([name, value]) => !NOT_CONTENT.has(name) && value !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 16);
}

/** A search Slack refuses for good (Klaxon cannot read that channel) cannot tell, so the call is made again. */
async function lookFor(recover: () => Promise<OutboxResult | undefined>): Promise<OutboxResult | undefined> {
  try {
    return await recover();
  } catch (error) {
    if (error instanceof SlackCallError && !error.retryable) return undefined;
    throw error;
  }
}

function defaultPick(result: SlackResult): OutboxResult {
  const channel = typeof result.channel === 'string' ? result.channel : (result.channel as { id?: string } | undefined)?.id;
  return { ...(channel ? { channel } : {}), ...(typeof result.ts === 'string' ? { ts: result.ts } : {}) };
}

/** Message metadata that lets `recover` find a message by its outbox key. */
export function outboxMetadata(key: string): { event_type: string; event_payload: { key: string } } {
  return { event_type: OUTBOX_METADATA_EVENT, event_payload: { key } };
}

/** Finds a message Klaxon posted with this outbox key in its metadata (for `recover`: the answer to that post was lost). */
export async function findMessageByKey(slack: SlackGateway, channel: string, key: string): Promise<OutboxResult | undefined> {
  return findRecentMessage(slack, channel, (m) => m.metadata?.event_payload?.key === key);
}

export interface RecentMessage {
  ts: string;
  user?: string;
  metadata?: { event_payload?: { key?: string } };
  files?: { id: string; name?: string }[];
}

/** Finds one of a conversation's last hundred messages (see `recentMessages`). */
export async function findRecentMessage(slack: SlackGateway, channel: string, matches: (message: RecentMessage) => boolean): Promise<OutboxResult | undefined> {
  const { conversation, messages } = await recentMessages(slack, channel);
  const found = messages.find(matches);
  return found ? { channel: conversation, ts: found.ts } : undefined;
}

/**
 * A conversation's last hundred messages. A user id (a DM posted to the person) is opened first, since history
 * is read from the DM's own id.
 */
export async function recentMessages(slack: SlackGateway, channel: string): Promise<{ conversation: string; messages: RecentMessage[] }> {
  const conversation = /^[UW]/.test(channel) ? ((await slack.call('conversations.open', { users: channel })).channel as { id: string }).id : channel;
  const history = await slack.call('conversations.history', { channel: conversation, limit: 100, include_all_metadata: true });
  return { conversation, messages: (history.messages ?? []) as RecentMessage[] };
}
