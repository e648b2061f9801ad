import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SlackReachability } from '../../../src/core/slack-gateway.ts';
import { healthzHandler } from '../../../src/web/healthz.ts';

async function get(database: boolean, slack: SlackReachability): Promise<{ status: number; body: unknown }> {
  const server = createServer(healthzHandler(async () => database, async () => slack, { instance: 'klaxon-1:42', engine: 'postgres' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
    return { status: response.status, body: await response.json() };
  } finally {
    server.close();
  }
}

const reachable: SlackReachability = { reachable: true, checkedAt: 1, since: 1 };

describe('healthzHandler', () => {
  it('answers 200 when the database is reachable and 503 when it is not', async () => {
    expect(await get(true, reachable)).toEqual({ status: 200, body: { instance: 'klaxon-1:42', engine: 'postgres', ok: true, database: 'reachable', slack: 'reachable' } });
    expect(await get(false, reachable)).toEqual({ status: 503, body: { instance: 'klaxon-1:42', engine: 'postgres', ok: false, database: 'unreachable', slack: 'reachable' } });
  });

  it('says when Slack cannot be reached, since when and why, without a 503 (a restart would not help)', async () => {
    const down: SlackReachability = { reachable: false, checkedAt: Date.UTC(2026, 11, 7, 3, 1), since: Date.UTC(2026, 11, 7, 3, 0), lastError: 'auth.test to slack.com: ECONNREFUSED' };
    expect(await get(true, down)).toEqual({
      status: 200,
      body: { instance: 'klaxon-1:42', engine: 'postgres', ok: false, database: 'reachable', slack: 'unreachable', slackUnreachableSince: '2026-12-07T03:00:00.000Z', slackError: 'auth.test to slack.com: ECONNREFUSED' },
    });
  });
});
