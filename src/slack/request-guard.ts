/**
 * What every HTTP request goes through before Bolt's receiver sees it.
 *
 * - A path Bolt could not decode (a malformed percent-escape such as `/runbooks/%ZZ`) is answered 400: Bolt's
 *   router would throw on it (500 and an error log line, or a crash in Socket Mode).
 * - A POST to the events endpoint, under any spelling Bolt resolves to it (`/slack/./events`,
 *   `/slack/events#x`), is refused before its body is read when it does not say its length (411), says more
 *   than MAX_BODY_BYTES (413), or is dated more than five minutes from now either way (401: Bolt checks only
 *   the past). Its body is then read, its signature verified (401), and its payload parsed and its shape checked
 *   (400), so that no signed body of an unexpected shape reaches Bolt's code.
 * - A request whose signature was seen before is a replay: it is marked (`isReplay`) so that it gets the first
 *   answer, or an empty one, without acting again (delivery.ts).
 * Bolt then takes the request with its body already read (Bolt reads `rawBody` when present) and verifies it again.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, verifySlackRequest, type BufferedIncomingMessage } from '@slack/bolt';
import type { Logger } from '../core/logger.ts';
import { SIGNATURE_WINDOW_MS } from '../core/signed-requests.ts';
import { payloadProblem } from './payload-shape.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Slack's largest payloads (a big modal's submission) are tens of kilobytes; anything past this is not Slack. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface RequestGuardOptions {
  /** The path Slack posts to (none in Socket Mode, where only pages are served over HTTP). */
  eventsPath?: string;
  signingSecret: string;
  logger: Logger;
  /** Wall-clock time in epoch ms, which Slack's request timestamps are compared with. */
  now: () => number;
  /** Records a verified request's signature; false when it was recorded before (the request is a replay). */
  firstSighting: (signature: string, signedAt: number) => Promise<boolean>;
}

export class RequestGuard {
  private readonly replays = new WeakSet<IncomingMessage>();

  constructor(private readonly opts: RequestGuardOptions) {}

  /** Whether this request repeats one already taken (same signature). */
  isReplay(req: IncomingMessage): boolean {
    return this.replays.has(req);
  }

  /** Wraps Bolt's request listener: requests it should not see are answered here. */
  wrap(listener: Listener): Listener {
    return (req, res) => {
      const path = decodablePath(req.url);
      if (path === undefined) return this.refuse(req, res, 400, 'Bad request: the address has a malformed percent-escape.', {});
      if (path !== this.opts.eventsPath || req.method?.toUpperCase() !== 'POST') return listener(req, res);
      const length = req.headers['content-length'];
      if (length === undefined) return this.refuse(req, res, 411, 'Length required.', { length: 'none' });
      if (!(Number(length) <= MAX_BODY_BYTES)) return this.refuse(req, res, 413, 'Payload too large.', { length });
      const signedAt = Number(req.headers['x-slack-request-timestamp']) * 1000;
      if (!(Math.abs(this.opts.now() - signedAt) <= SIGNATURE_WINDOW_MS)) return this.refuse(req, res, 401, 'Unauthorized.', { timestamp: String(req.headers['x-slack-request-timestamp'] ?? 'none') });
      void readBody(req).then(
        (rawBody) => this.check(Object.assign(req, { rawBody }), res, signedAt, listener),
        () => this.refuse(req, res, 400, 'Bad request: the body could not be read.', {}),
      );
    };
  }

  /** Verifies, parses and shape-checks a body read in full, records its signature, and hands it to Bolt. */
  private async check(req: BufferedIncomingMessage, res: ServerResponse, signedAt: number, listener: Listener): Promise<void> {
    const signature = req.headers['x-slack-signature'];
    try {
      verifySlackRequest({ signingSecret: this.opts.signingSecret, body: req.rawBody.toString(), headers: { 'x-slack-signature': String(signature), 'x-slack-request-timestamp': signedAt / 1000 } });
    } catch {
      return this.refuse(req, res, 401, 'Unauthorized.', { signature: 'invalid' });
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(req);
    } catch {
      return this.refuse(req, res, 400, 'Bad request: the body is not a Slack payload.', { problem: 'unparsable' });
    }
    const problem = payloadProblem(body);
    if (problem) return this.refuse(req, res, 400, 'Bad request: the body is not a Slack payload.', { problem });
    let first: boolean;
    try {
      first = await this.opts.firstSighting(String(signature), signedAt);
    } catch (error) {
      // Nothing was done: Slack retries an event; a person sees Slack's error and can send the command again.
      this.opts.logger.error('a request could not be recorded: the database did not answer', { error });
      return this.refuse(req, res, 503, 'Service unavailable: Klaxon cannot reach its database.', { database: 'unreachable' });
    }
    if (!first) {
      this.replays.add(req);
      this.opts.logger.info('a signed request was received again: answered without acting on it again', { signedAt: new Date(signedAt).toISOString() });
    }
    listener(req, res);
  }

  private refuse(req: IncomingMessage, res: ServerResponse, status: number, text: string, details: Record<string, string>): void {
    this.opts.logger.warn('an HTTP request was refused', { status, method: req.method ?? '', path: (req.url ?? '').slice(0, 200), ...details });
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end(`${text}\n`);
    // Whatever body is on its way is discarded, never buffered.
    req.resume();
  }
}

/**
 * The path as Bolt routes it (WHATWG URL resolution: dot segments removed, fragment dropped), or undefined when
 * it cannot be parsed or one of its percent-escapes cannot be decoded (Bolt decodes route parameters).
 */
export function decodablePath(url: string | undefined): string | undefined {
  try {
    const { pathname } = new URL(url ?? '/', 'http://localhost');
    decodeURIComponent(pathname);
    return pathname;
  } catch {
    return undefined;
  }
}

/** The whole body; the caller has checked its announced length. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
