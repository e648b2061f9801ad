/**
 * `POST /heartbeats/<integration>`: a cron job's or a monitoring tool's "still alive". Answers as
 * `POST /alerts/<integration>` does: 404 for an integration klaxon.yml does not name or that expects no
 * heartbeats, 401 without its bearer token, 413 for a body over MAX_ALERT_BODY_BYTES (any other body is ignored),
 * 503 when the database cannot record it; and 200 with when the next heartbeat is due once it is recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDatabaseUnavailable } from '../core/errors.ts';
import { recordHeartbeat } from './heartbeats.ts';
import { acceptIntegrationRequest, type AlertRouteDeps } from './route.ts';

export function heartbeatsHandler(deps: AlertRouteDeps) {
  return async (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse): Promise<void> => {
    const accepted = await acceptIntegrationRequest(deps, req, res, {
      what: 'a heartbeat',
      expects: (integration) => (integration.heartbeat ? undefined : `${integration.id} expects no heartbeats: give it "heartbeat: 10m" (say) in klaxon.yml.`),
    });
    if (!accepted) return;
    const { integration, refuse } = accepted;
    try {
      const beat = await recordHeartbeat(deps, integration, deps.clock.now());
      const answer = { integration: integration.id, nextDueAt: new Date(beat.nextDueAt).toISOString(), resolved: beat.resolved };
      deps.logger.debug('heartbeat received', answer);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      deps.logger.error('a heartbeat could not be recorded: the database did not answer', { integration: integration.id, error });
      refuse(503, 'Service unavailable: Klaxon cannot reach its database. Nothing was recorded; send the heartbeat again.');
    }
  };
}
