/** A real WebClient pointed at the fake Slack, for tests of the fake's methods, and its failures read back. */
import { LogLevel, WebAPIPlatformError, WebClient } from '@slack/web-api';
import type { FakeSlack } from '../../src/simulator/slack/index.ts';

/** WebClient logs Slack's `[ERROR]` response lines; the tests assert on them instead. */
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

/** No retries and rate limits rejected at once: each test sees exactly what the fake answered. */
export function fakeSlackClient(token: string | undefined, fake: FakeSlack): WebClient {
  return new WebClient(token, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: quiet });
}

/** The Slack answer of a call that failed with ok:false (WebClient throws WebAPIPlatformError). */
export async function slackError(call: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof WebAPIPlatformError)) throw new Error(`expected a Slack platform error, got ${String(error)}`);
  return error.data as unknown as Record<string, unknown>;
}
