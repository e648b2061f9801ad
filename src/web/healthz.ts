/** GET /healthz: 200 when the database answers, 503 when it does not. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function healthzHandler(isDatabaseReachable: () => boolean) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    const ok = isDatabaseReachable();
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ ok, database: ok ? 'reachable' : 'unreachable' }));
  };
}
