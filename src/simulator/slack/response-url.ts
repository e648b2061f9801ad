/**
 * response_url endpoints (`POST /response/<id>`): JSON bodies, at most 5 uses within 30 minutes, blocks validated.
 * When the URL knows its channel (and message), `in_channel` posts, `replace_original` and `delete_original`
 * change the workspace like Slack would; ephemeral answers are kept as ephemerals for the user.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './http-util.ts';
import { randomHex } from './ids.ts';
import { checkBlocks } from './methods/message-content.ts';
import type { Workspace } from './state.ts';
import type { RecordedResponse, SlackResponse } from './types.ts';

export interface ResponseUrlOptions {
  /** The channel the interaction happened in. */
  channel?: string;
  /** The message the interaction came from (for replace_original / delete_original). */
  messageTs?: string;
  /** The user who interacted (who sees ephemeral answers). */
  user?: string;
}

interface Entry extends ResponseUrlOptions {
  createdAt: number;
  uses: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class ResponseUrls {
  readonly records: RecordedResponse[] = [];
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ws: Workspace,
    private readonly opts: { ttlMs: number; maxUses: number; now: () => number; baseUrl: () => string },
  ) {}

  create(options: ResponseUrlOptions = {}): string {
    const id = `T${randomHex(4).toUpperCase()}/${randomHex(6)}`;
    this.entries.set(id, { ...options, createdAt: this.opts.now(), uses: 0 });
    return `${this.opts.baseUrl()}/response/${id}`;
  }

  async handle(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const at = this.opts.now();
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // kept as text; answered below
    }
    const { status, answer } = this.answer(id, body);
    const record: RecordedResponse = { url: `${this.opts.baseUrl()}/response/${id}`, body, at, ok: answer.ok, status };
    if (typeof answer.error === 'string') record.error = answer.error;
    this.records.push(record);
    sendJson(res, status, answer);
  }

  private answer(id: string, body: unknown): { status: number; answer: SlackResponse } {
    const entry = this.entries.get(id);
    if (!entry) return { status: 404, answer: { ok: false, error: 'no_service' } };
    if (this.opts.now() - entry.createdAt > this.opts.ttlMs || entry.uses >= this.opts.maxUses) {
      return { status: 404, answer: { ok: false, error: 'expired_url' } };
    }
    if (!isObject(body)) return { status: 400, answer: { ok: false, error: 'invalid_payload' } };
    const blockProblem = checkBlocks(body.blocks);
    if (blockProblem) return { status: 200, answer: blockProblem };
    if (body.delete_original !== true && typeof body.text !== 'string' && !Array.isArray(body.blocks)) {
      return { status: 200, answer: { ok: false, error: 'no_text' } };
    }
    entry.uses += 1;
    this.apply(entry, body);
    return { status: 200, answer: { ok: true } };
  }

  private apply(entry: Entry, body: Record<string, unknown>): void {
    const channel = entry.channel ? this.ws.channel(entry.channel) : undefined;
    if (!channel) return;
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const original = entry.messageTs ? this.ws.message(channel, entry.messageTs) : undefined;
    // An interaction on an ephemeral message answers through the same URL; Slack changes that message in place.
    const ephemeral = !original && entry.messageTs && entry.user ? this.ws.ephemeral(channel.id, entry.messageTs, entry.user) : undefined;
    if (body.delete_original === true) {
      if (original) this.ws.deleteMessage(channel, original.ts);
      if (ephemeral) this.ws.deleteEphemeral(ephemeral);
      return;
    }
    const replaced = body.replace_original === true ? (original ?? ephemeral) : undefined;
    if (replaced) {
      replaced.text = text;
      if (blocks) replaced.blocks = blocks;
      else delete replaced.blocks;
      return;
    }
    if (body.response_type === 'in_channel') {
      this.ws.post(channel, { text, ...(blocks ? { blocks } : {}), user: this.ws.botUserId, bot_id: this.ws.botId });
      return;
    }
    this.ws.addEphemeral({
      channel: channel.id,
      user: entry.user ?? '',
      ts: this.ws.nextTs(),
      text,
      ...(blocks ? { blocks } : {}),
      via: 'response_url',
    });
  }
}
