/**
 * The `fetch` the Slack gateway hands to the WebClient: one POST with a string body over node:http(s) and its
 * keep-alive agents, answered as a standard Response; redirects are not followed (the WebClient refuses them
 * anyway). Global fetch (undici) spends more CPU per call on streams and bookkeeping, and the job worker makes
 * several Slack calls per declaration on a core it may share with the thread answering Slack (bench/README.md,
 * History). Bodies that are not strings (multipart uploads, which Klaxon does not make) go to global fetch.
 */
import http from 'node:http';
import https from 'node:https';

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

export async function nodeHttpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body;
  if (typeof input !== 'string' || (body !== undefined && body !== null && typeof body !== 'string')) return fetch(input, init);
  const transport = input.startsWith('https:') ? https : http;
  const headers = init.headers instanceof Headers ? Object.fromEntries(init.headers) : (init.headers as Record<string, string> | undefined);
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = transport.request(input, { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined }, resolve);
    request.on('error', reject);
    request.end(body ?? undefined);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const status = response.statusCode ?? 502;
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage ?? '', headers: responseHeaders });
}
