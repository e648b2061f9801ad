/**
 * `POST /alerts/<integration>`: monitoring's webhook. Answers 404 for an integration klaxon.yml does not name,
 * 401 without its bearer token, 413 for a body over MAX_ALERT_BODY_BYTES, 400 with a one-line reason for a body
 * that is not that kind's payload, and 200 with what was done once the alerts are recorded (so that the source
 * does not send again what Klaxon has). 503 when the database cannot record them: the source tries again.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IntegrationConfig } from '../core/config.ts';
import type { Counter } from '../core/counter.ts';
import { isDatabaseUnavailable } from '../core/errors.ts';
import { readBoundedBody } from '../core/http-body.ts';
import type { Logger } from '../core/logger.ts';
import { parseAlertBody } from './payloads.ts';
import { receiveAlertsAndHeartbeats } from './heartbeats.ts';
import type { ReceiveDeps } from './receive.ts';

/** Alertmanager's largest batches (a thousand alerts with their labels) stay well under this. */
export const MAX_ALERT_BODY_BYTES = 4 * 1024 * 1024;

export interface AlertRouteDeps extends ReceiveDeps {
  integrations: IntegrationConfig[];
  /** Each integration's bearer token, by id. */
  tokens: Record<string, string>;
  logger: Logger;
  /** Requests refused, by integration (`unknown` for a 404, so that made-up ids add no series) and status. */
  refused?: Counter<'integration' | 'status'>;
}

/** A request both webhooks accept: its integration, its body, and how to refuse it still (logged and counted). */
export interface IntegrationRequest {
  integration: IntegrationConfig;
  body: Buffer;
  refuse(status: number, reason: string): void;
}

/**
 * What both webhooks of an integration check first, in this order: the integration (404; `expects` may refuse one
 * that does not take this kind of request, also 404), its bearer token (401), the body's size (413). Answers a
 * refusal itself (one line, logged as `what was refused`, counted when `refused` is given) and returns undefined.
 */
export async function acceptIntegrationRequest(
  deps: Pick<AlertRouteDeps, 'integrations' | 'tokens' | 'logger'>,
  req: IncomingMessage & { params?: Record<string, string> },
  res: ServerResponse,
  opts: { what: string; refused?: Counter<'integration' | 'status'>; expects?: (integration: IntegrationConfig) => string | undefined },
): Promise<IntegrationRequest | undefined> {
  const id = req.params?.integration ?? '';
  const integration = deps.integrations.find((i) => i.id === id);
  const refuse = (status: number, reason: string, headers: Record<string, string> = {}): void => {
    deps.logger.warn(`${opts.what} was refused`, { integration: id.slice(0, 100), status, reason });
    opts.refused?.inc({ integration: integration?.id ?? 'unknown', status: String(status) });
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(`${reason}\n`);
    req.resume();
  };
  if (!integration) return void refuse(404, 'No integration by that name: integrations are listed in klaxon.yml.');
  const unexpected = opts.expects?.(integration);
  if (unexpected) return void refuse(404, unexpected);
  if (!hasToken(req.headers.authorization, deps.tokens[integration.id] ?? '')) {
    return void refuse(401, `Unauthorized: send the integration's token as "Authorization: Bearer <token>".`, { 'www-authenticate': 'Bearer' });
  }
  const read = await readBoundedBody(req, MAX_ALERT_BODY_BYTES);
  if (!read.ok) return void refuse(413, `Payload too large: at most ${MAX_ALERT_BODY_BYTES / 1024 / 1024} MB.`);
  return { integration, body: read.body, refuse };
}

export function alertsHandler(deps: AlertRouteDeps) {
  return async (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse): Promise<void> => {
    const accepted = await acceptIntegrationRequest(deps, req, res, { what: 'an alert webhook', ...(deps.refused ? { refused: deps.refused } : {}) });
    if (!accepted) return;
    const { integration, refuse } = accepted;
    let json: unknown;
    try {
      json = JSON.parse(accepted.body.toString('utf8'));
    } catch {
      return refuse(400, 'Bad request: the body is not JSON.');
    }
    const parsed = parseAlertBody(integration.kind, json, { receivedAt: deps.clock.now() });
    if (!parsed.ok) return refuse(400, `Bad request: ${parsed.reason}`);
    try {
      const summary = await receiveAlertsAndHeartbeats(deps, integration, parsed.batch);
      deps.logger.info('alerts received', { integration: integration.id, ...summary });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(summary));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      deps.logger.error('alerts could not be recorded: the database did not answer', { integration: integration.id, error });
      refuse(503, 'Service unavailable: Klaxon cannot reach its database. Nothing was recorded; send the alerts again.');
    }
  };
}

/** Compares in constant time (of the hashes), so that the answer's timing tells nothing about the token. */
function hasToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match || !token) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
