/**
 * GET /healthz: whether the database answers (503 when it does not: a restart may help) and whether Slack does.
 * Slack out of reach is reported in the body with a 200, since restarting Klaxon would not bring Slack back.
 * The body also names the instance (host:pid) and its database engine.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackReachability } from '../core/slack-gateway.ts';

export function healthzHandler(isDatabaseReachable: () => Promise<boolean>, slackReachability: () => Promise<SlackReachability>, instance: { instance: string; engine: string }) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void Promise.all([slackReachability(), isDatabaseReachable()]).then(([slack, database]) => {
      const body = {
        ok: database && slack.reachable === true,
        ...instance,
        database: database ? 'reachable' : 'unreachable',
        slack: slack.reachable === undefined ? 'unknown' : slack.reachable ? 'reachable' : 'unreachable',
        ...(slack.reachable === false ? { slackUnreachableSince: new Date(slack.since).toISOString(), slackError: slack.lastError } : {}),
      };
      res.writeHead(database ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    });
  };
}
