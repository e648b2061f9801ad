/**
 * The Bolt app: the HTTP receiver on POST /slack/events (behind request-guard.ts: bodies limited, signatures
 * verified within five minutes either way, payload shapes checked, replays recognised) beside
 * Klaxon's own routes, or Socket Mode when an app token is configured. Bolt's conversation store is off:
 * Klaxon keeps its state in SQLite.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Env } from '../core/config.ts';
import type { HttpRoute } from '../core/kit.ts';
import type { Logger } from '../core/logger.ts';
import type { BotIdentity } from '../core/slack-gateway.ts';
import { slackSdkLogger } from '../core/slack-sdk-logger.ts';
import { deliverOnce } from './delivery.ts';
import { inRequestContext } from './request-context.ts';
import { RequestGuard } from './request-guard.ts';
import type { ListenerTable } from './listeners.ts';
import { dropRepeatedEvents, userErrorsAsReplies } from './middleware.ts';

/** A second click or submission this soon after an identical one is the same gesture (a double click). */
const REPEAT_WINDOW_MS = 1500;

export const EVENTS_PATH = '/slack/events';


export interface SlackApp {
  app: App;
  /** Where features register their commands, buttons, modals, shortcuts and events. */
  listeners: ListenerTable;
  /** Starts listening; resolves with the HTTP port (the custom routes' port in Socket Mode). */
  start(): Promise<number>;
  stop(): Promise<void>;
  /** Resolves once no request is being handled (Bolt answers Slack first and handles events after). */
  idle(): Promise<void>;
}

export function createSlackApp(opts: {
  env: Env;
  logger: Logger;
  routes: HttpRoute[];
  /** Where features have registered (or will register) what they answer. */
  listeners: ListenerTable;
  firstDelivery: (eventId: string) => Promise<boolean>;
  /** Records a signed request's signature; false when it was seen before (a replay). */
  firstSighting: (signature: string, signedAt: number) => Promise<boolean>;
  onRepeat?: (kind: string) => void;
  /** Who the bot is, once Slack has said (auth.test); undefined until then. Never waits for Slack. */
  identity: () => BotIdentity | undefined;
  /** Klaxon's clock, which times the double-click window. */
  now: () => number;
}): SlackApp {
  const { env } = opts;
  const logger = slackSdkLogger(opts.logger.child({ component: 'bolt' }));
  const customRoutes = opts.routes.map((r) => ({ path: r.path, method: [r.method], handler: answeringFailures(r.handler, opts.logger) }));
  const clientOptions = { slackApiUrl: env.slackApiUrl };
  const socketMode = env.appToken !== undefined;
  const guard = new RequestGuard({ ...(socketMode ? {} : { eventsPath: EVENTS_PATH }), signingSecret: env.signingSecret ?? '', logger: opts.logger, now: Date.now, firstSighting: opts.firstSighting });
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: env.appToken!, logger, customRoutes, installerOptions: { clientOptions, port: env.port } })
    : new HTTPReceiver({ signingSecret: env.signingSecret!, endpoints: EVENTS_PATH, customRoutes, logger, processBeforeResponse: false, customPropertiesExtractor: (req) => (guard.isReplay(req) ? { replayed: true } : {}) });
  guardRequests(receiver, guard);
  // Bolt given a token would ask Slack who the bot is (auth.test) before handling the first request, and hold
  // every request until Slack answered: with Slack unreachable at start, commands timed out unanswered and ran
  // when it came back. This answers from what is known; until auth.test has answered, Bolt cannot drop the bot's
  // own message events by id (Klaxon's message listener only follows edits of messages pinned to a timeline).
  const authorize = async () => ({ botToken: env.botToken, ...opts.identity() });
  const app = new App({ authorize, receiver, logger, convoStore: false, clientOptions });
  const listeners = opts.listeners;
  listeners.attach(app);
  const handling = counted(
    inRequestContext(
      deliverOnce(app.processEvent.bind(app), {
        windowMs: REPEAT_WINDOW_MS,
        now: opts.now,
        onUnhandled: (what) => opts.logger.warn('no listener for a Slack payload: acknowledged and ignored', { payload: what }),
        ...(opts.onRepeat ? { onRepeat: opts.onRepeat } : {}),
      }),
    ),
  );
  app.processEvent = handling.run;
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
    idle: handling.idle,
  };
}

/** Counts the requests being handled, for `idle`. */
function counted<A extends unknown[]>(run: (...args: A) => Promise<void>): { run: (...args: A) => Promise<void>; idle(): Promise<void> } {
  let handling = 0;
  const waiters: (() => void)[] = [];
  return {
    async run(...args) {
      handling += 1;
      try {
        await run(...args);
      } finally {
        handling -= 1;
        if (handling === 0) waiters.splice(0).forEach((wake) => wake());
      }
    },
    idle: () => (handling === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
  };
}

/** Puts the guard in front of whichever HTTP listener the receiver has (the pages' server in Socket Mode). */
function guardRequests(receiver: HTTPReceiver | SocketModeReceiver, guard: RequestGuard): void {
  if (receiver instanceof HTTPReceiver) {
    receiver.requestListener = guard.wrap(receiver.requestListener);
    return;
  }
  const server = (receiver as unknown as { httpServer?: Server }).httpServer;
  const [listener] = server?.listeners('request') ?? [];
  if (!server || !listener) return;
  server.removeAllListeners('request');
  server.on('request', guard.wrap(listener as (req: IncomingMessage, res: ServerResponse) => void));
}

/** An async route's failure (the database not answering, say) is logged and answered 500, never left unhandled. */
function answeringFailures(handler: HttpRoute['handler'], logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        logger.error('a web page failed', { path: (req.url ?? '').slice(0, 200), error });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Klaxon could not answer this page: its log says why. Reloading may help once the database answers.\n');
      });
  };
}
