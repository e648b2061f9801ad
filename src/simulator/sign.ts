/** Signs request bodies exactly as Slack does: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"). */
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export function signedHeaders(secret: string, body: string, contentType: string, timestampSec = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': slackSignature(secret, timestampSec, body),
  };
}
