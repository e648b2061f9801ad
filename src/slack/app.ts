/**
 * The Bolt app: the HTTP receiver on POST /slack/events (signatures verified, 5-minute replay window) beside
 * Klaxon's own routes, or Socket Mode when an app token is configured. Bolt's conversation store is off:
 * Klaxon keeps its state in SQLite.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Env } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { slackSdkLogger } from '../core/slack-sdk-logger.ts';
import { deliverOnce } from './delivery.ts';
import { inRequestContext } from './request-context.ts';
import { ListenerTable } from './listeners.ts';
import { dropRepeatedEvents, userErrorsAsReplies } from './middleware.ts';

/** A second click or submission this soon after an identical one is the same gesture (a double click). */
const REPEAT_WINDOW_MS = 1500;

export const EVENTS_PATH = '/slack/events';

export interface HttpRoute {
  path: string;
  method: 'GET' | 'POST';
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface SlackApp {
  app: App;
  /** Where features register their commands, buttons, modals, shortcuts and events. */
  listeners: ListenerTable;
  /** Starts listening; resolves with the HTTP port (the custom routes' port in Socket Mode). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

export function createSlackApp(opts: { env: Env; logger: Logger; routes: HttpRoute[]; firstDelivery: (eventId: string) => boolean; onRepeat?: (kind: string) => void }): SlackApp {
  const { env } = opts;
  const logger = slackSdkLogger(opts.logger.child({ component: 'bolt' }));
  const customRoutes = opts.routes.map((r) => ({ path: r.path, method: [r.method], handler: r.handler }));
  const clientOptions = { slackApiUrl: env.slackApiUrl };
  const socketMode = env.appToken !== undefined;
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: env.appToken!, logger, customRoutes, installerOptions: { clientOptions, port: env.port } })
    : new HTTPReceiver({ signingSecret: env.signingSecret!, endpoints: EVENTS_PATH, customRoutes, logger, processBeforeResponse: false });
  if (receiver instanceof HTTPReceiver) receiver.requestListener = limitBodies(receiver.requestListener, opts.logger);
  const app = new App({ token: env.botToken, receiver, logger, convoStore: false, clientOptions });
  const listeners = new ListenerTable(app);
  app.processEvent = inRequestContext(deliverOnce(app.processEvent.bind(app), {
    windowMs: REPEAT_WINDOW_MS,
    now: Date.now,
    onUnhandled: (what) => opts.logger.warn('no listener for a Slack payload: acknowledged and ignored', { payload: what }),
    ...(opts.onRepeat ? { onRepeat: opts.onRepeat } : {}),
  }));
  app.use(dropRepeatedEvents(opts.firstDelivery, (eventId) => opts.logger.info('a repeated Slack event was dropped', { eventId })));
  app.use(userErrorsAsReplies);
  app.error(async (error) => {
    opts.logger.error('unhandled error in a Slack listener', { error });
  });

  return {
    app,
    listeners,
    async start() {
      if (receiver instanceof HTTPReceiver) {
        const server = (await app.start(env.port)) as Server;
        return (server.address() as AddressInfo).port;
      }
      await app.start();
      const server = (receiver as unknown as { httpServer?: Server }).httpServer;
      const address = server?.address() as AddressInfo | null | undefined;
      return address?.port ?? env.port;
    },
    async stop() {
      await app.stop();
    },
  };
}

/** Slack's largest payloads (a big modal's submission) are tens of kilobytes; anything past this is not Slack. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Refuses a request to /slack/events that does not say its length (411) or says more than MAX_BODY_BYTES
 * (413) before anything reads it, so a huge or endless body cannot tie up memory or the signature check.
 */
function limitBodies(listener: HTTPReceiver['requestListener'], logger: Logger): HTTPReceiver['requestListener'] {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === EVENTS_PATH && req.method === 'POST') {
      const length = Number(req.headers['content-length']);
      const refuse = req.headers['content-length'] === undefined ? 411 : !Number.isFinite(length) || length > MAX_BODY_BYTES ? 413 : undefined;
      if (refuse) {
        logger.warn('a request to /slack/events was refused before reading it', { status: refuse, length: req.headers['content-length'] ?? 'none' });
        res.writeHead(refuse, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end(refuse === 411 ? 'Length required.\n' : 'Payload too large.\n');
        req.resume();
        return;
      }
    }
    listener(req, res);
  };
}
