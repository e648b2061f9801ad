import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A Slack-looking id: prefix plus upper-case alphanumerics (`C07ABCDEF12`). */
export function slackId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * Message timestamps: `"<seconds>.<6-digit micros>"`, following the wall clock but strictly increasing,
 * so two messages never share a ts.
 */
export class TsClock {
  private lastMicros = 0n;

  next(nowMs: number = Date.now()): string {
    let micros = BigInt(Math.floor(nowMs)) * 1000n;
    if (micros <= this.lastMicros) micros = this.lastMicros + 1n;
    this.lastMicros = micros;
    const seconds = micros / 1_000_000n;
    const rest = (micros % 1_000_000n).toString().padStart(6, '0');
    return `${seconds}.${rest}`;
  }
}
