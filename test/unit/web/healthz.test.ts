import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { healthzHandler } from '../../../src/web/healthz.ts';

async function get(reachable: boolean): Promise<{ status: number; body: unknown }> {
  const server = createServer(healthzHandler(() => reachable));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
    return { status: response.status, body: await response.json() };
  } finally {
    server.close();
  }
}

describe('healthzHandler', () => {
  it('answers 200 when the database is reachable and 503 when it is not', async () => {
    expect(await get(true)).toEqual({ status: 200, body: { ok: true, database: 'reachable' } });
    expect(await get(false)).toEqual({ status: 503, body: { ok: false, database: 'unreachable' } });
  });
});
