/**
 * A strict in-repo fake of Slack: Web API, response_url endpoints and Socket Mode, on 127.0.0.1.
 *
 *   const slack = await startFakeSlack({ scopes: manifestBotScopes });
 *   const client = new WebClient(slack.botToken, { slackApiUrl: slack.url });
 *   ...
 *   await slack.close();
 */
import { ResponseUrls, type ResponseUrlOptions } from './response-url.ts';
import { FakeSlackServer, type PageHandler } from './server.ts';
import { SocketMode } from './socket-mode.ts';
import { Workspace } from './state.ts';
import type { AckMessage, EnvelopeType, Failure, FakeSlackOptions, RecordedCall, RecordedResponse, RecordedUpload, TokenInfo } from './types.ts';
import { FileUploads } from './uploads.ts';
import { WebApi } from './web-api.ts';

export type * from './types.ts';
export type { ResponseUrlOptions } from './response-url.ts';
export type { PageHandler } from './server.ts';
export type { Bookmark, Channel, Ephemeral, FileView, Message, StoredFile, StoredView, Team, User, Workspace } from './state.ts';
export { validateMessageBlocks, validateView } from './block-kit.ts';

/** Bot scopes used when the options give none. */
export const DEFAULT_BOT_SCOPES: readonly string[] = [
  'chat:write', 'chat:write.public', 'commands', 'channels:manage', 'channels:read', 'channels:history', 'channels:join',
  'groups:read', 'groups:write', 'groups:history', 'im:read', 'im:write', 'im:history', 'pins:write', 'users:read',
];

export interface FakeSocketMode {
  /** Resolves when a Socket Mode client is connected. */
  connected(): Promise<void>;
  connectionCount(): number;
  /** Sends an envelope; resolves with the client's ack, rejects when none comes within the ack timeout (3 s). */
  send(type: EnvelopeType, payload: unknown): Promise<AckMessage>;
  /** Tells clients to reconnect (`{ type: 'disconnect', reason }`). */
  disconnect(reason?: string): void;
  /** Protocol problems seen: acks for unknown envelopes, unparseable frames, refused tickets. */
  errors(): string[];
  acks(): AckMessage[];
}

export interface FakeSlack {
  /** Base for WebClient's `slackApiUrl`: `http://127.0.0.1:<port>/api/`. */
  url: string;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  botToken: string;
  appToken: string;
  botUserId: string;
  botId: string;
  teamId: string;
  appId: string;
  /** The workspace, for assertions (and for seeding more users or channels). */
  state: Workspace;
  /** Recorded Web API calls in arrival order, optionally only those of one method. */
  calls(method?: string): RecordedCall[];
  resetCalls(): void;
  /** Everything posted to response URLs. */
  responses(): RecordedResponse[];
  /** Every POST to an upload URL (files.getUploadURLExternal), in arrival order. */
  uploads(): RecordedUpload[];
  /** Makes the next `times` calls of `method` fail (or be late, with `{ delayMs }`). */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Makes the next `times` POSTs to upload URLs answer `status` (e.g. 500) and store nothing. */
  failNextUpload(status: number, times?: number): void;
  /** Latency added to every Web API call. */
  setLatency(ms: number): void;
  /** Refuses every connection (Slack out of reach) until `goOnline`. */
  goOffline(): Promise<void>;
  /** Takes connections again on the same address. */
  goOnline(): Promise<void>;
  /**
   * A trigger_id as an interaction payload carries it, valid for `triggerTtlMs` and once; given the person who
   * interacted, the modal it opens is theirs (`state.modalsOf(user)`).
   */
  issueTriggerId(user?: string): string;
  /** A response_url; with a channel (and message ts) its answers change the workspace like Slack's would. */
  createResponseUrl(options?: ResponseUrlOptions): string;
  socketMode: FakeSocketMode;
  /** Serves more pages on the same address (the simulator's `/sim`). */
  servePages(handler: PageHandler): void;
  close(): Promise<void>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const now = options.now ?? Date.now;
  const botToken = options.botToken ?? 'xoxb-fake-bot-token';
  const appToken = options.appToken ?? 'xapp-fake-app-token';
  const botUserId = options.botUserId ?? 'U0KLAXON';
  const ws = new Workspace({
    team: { id: options.teamId ?? 'T0FAKE', name: options.teamName ?? 'Fake Workspace', domain: options.teamDomain ?? 'fake-workspace' },
    botUserId,
    botId: options.botId ?? 'B0KLAXON',
    appId: options.appId ?? 'A0FAKEAPP',
    now,
    ...(options.users ? { users: options.users } : {}),
    ...(options.channels ? { channels: options.channels } : {}),
  });
  const tokens = new Map<string, TokenInfo>([
    [botToken, { token: botToken, type: 'bot', scopes: [...(options.scopes ?? DEFAULT_BOT_SCOPES)], userId: botUserId }],
    [appToken, { token: appToken, type: 'app', scopes: ['connections:write'], userId: botUserId }],
  ]);

  // The components learn the server's address lazily: it is known only once it listens.
  const base = (): string => server.baseUrl;
  const socketMode = new SocketMode({
    appId: ws.appId,
    ackTimeoutMs: options.ackTimeoutMs ?? 3000,
    pingIntervalMs: options.socketPingIntervalMs ?? 10_000,
    wsBase: (): string => server.wsBase,
  });
  const triggerTtlMs = options.triggerTtlMs ?? 3000;
  const uploads = new FileUploads(ws, base);
  const webApi = new WebApi(ws, tokens, {
    now,
    triggerTtlMs,
    openSocketUrl: (): string => socketMode.openUrl(),
    uploadUrl: (fileId: string): string => uploads.urlFor(fileId),
  });
  webApi.latencyMs = options.latencyMs ?? 0;
  const responseUrls = new ResponseUrls(ws, {
    ttlMs: options.responseUrlTtlMs ?? 30 * 60_000,
    maxUses: options.responseUrlMaxUses ?? 5,
    now,
    baseUrl: base,
  });
  const server: FakeSlackServer = new FakeSlackServer({ webApi, responseUrls, socketMode, uploads });
  await server.listen(options.port ?? 0);
  const running = server;

  return {
    url: `${running.baseUrl}/api/`,
    baseUrl: running.baseUrl,
    botToken,
    appToken,
    botUserId,
    botId: ws.botId,
    teamId: ws.team.id,
    appId: ws.appId,
    state: ws,
    calls: (method) => webApi.calls.filter((c) => method === undefined || c.method === method),
    resetCalls: () => {
      webApi.calls.length = 0;
    },
    responses: () => [...responseUrls.records],
    uploads: () => [...uploads.records],
    failNextUpload: (status, times = 1) => uploads.failNext(status, times),
    failNext: (method, failure, times = 1) => webApi.failNext(method, failure, times),
    setLatency: (ms) => {
      webApi.latencyMs = ms;
    },
    issueTriggerId: (user) => ws.issueTrigger(now(), user),
    createResponseUrl: (opts) => responseUrls.create(opts),
    socketMode: {
      connected: () => socketMode.connected(),
      connectionCount: () => socketMode.connectionCount(),
      send: (type, payload) => socketMode.send(type, payload),
      disconnect: (reason) => socketMode.disconnect(reason),
      errors: () => socketMode.errors(),
      acks: () => socketMode.ackedMessages(),
    },
    goOffline: () => running.goOffline(),
    goOnline: () => running.goOnline(),
    servePages: (handler) => running.servePages(handler),
    close: () => running.close(),
  };
}
