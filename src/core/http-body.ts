/**
 * A request body read with a bound: refused as soon as it is announced or found to be longer than `maxBytes`,
 * whatever its Content-Length says, so that no sender can make Klaxon buffer more.
 */
import type { IncomingMessage } from 'node:http';

export type BodyRead = { ok: true; body: Buffer } | { ok: false; tooLarge: true };

export function readBoundedBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const announced = req.headers['content-length'];
  if (announced !== undefined && !(Number(announced) <= maxBytes)) {
    req.resume();
    return Promise.resolve({ ok: false, tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        resolve({ ok: false, tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', reject);
  });
}
