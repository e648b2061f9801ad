import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Args } from './types.ts';

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The body as bytes, for uploads (readBody decodes it as UTF-8 text). */
export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export type ParsedBody =
  | { ok: true; args: Args; isJson: boolean }
  | { ok: false; error: 'invalid_json' | 'invalid_form_data' | 'invalid_post_type' };

/**
 * Parses a Web API request body as Slack does: `application/x-www-form-urlencoded` (every value a string) or
 * `application/json` (typed values). Query-string arguments are merged in underneath.
 */
export function parseBody(contentType: string | undefined, body: string, query: URLSearchParams): ParsedBody {
  const args: Args = Object.fromEntries(query.entries());
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length === 0) return { ok: true, args, isJson: type === 'application/json' };
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, error: 'invalid_json' };
    return { ok: true, args: { ...args, ...(parsed as Record<string, unknown>) }, isJson: true };
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    for (const [key, value] of new URLSearchParams(body)) args[key] = value;
    return { ok: true, args, isJson: false };
  }
  return { ok: false, error: 'invalid_post_type' };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
