/**
 * The simulator's web page, `/sim`: a small local Slack in the browser. The page (static files beside this one)
 * polls `GET /sim/api/state` for what the chosen person sees, and posts what they do to the JSON API below, which
 * hands it to SlackPeople: the app receives exactly the signed requests Slack would send.
 *
 *   GET  /sim, /sim/<asset>        the page, its script modules and stylesheet (strict CSP, no inline code)
 *   GET  /sim/api/people           the team's name and the seeded people, to choose who to be
 *   GET  /sim/api/state?user=U…    PersonView
 *   POST /sim/api/command          { user, channel, text }: a slash command, or a plain message
 *   POST /sim/api/click            { user, channel, ts, actionId, value?, ephemeral? }
 *   POST /sim/api/shortcut         { user, channel, ts, callbackId }: a message shortcut
 *   POST /sim/api/submit           { user, viewId?, answers } → { errors? }
 *   POST /sim/api/close            { user }
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { errorMessage } from '../../core/errors.ts';
import { findElement, type Outcome, type SlackPeople } from '../people.ts';
import type { Channel, FakeSlack, PageHandler, User } from '../slack/index.ts';
import { ClickBody, CloseBody, CommandBody, firstProblem, ShortcutBody, SubmitBody } from './api-bodies.ts';
import { klaxonAppSurface, type AppSurface } from './app-surface.ts';
import { ephemeralFor, personOf, personView, seededPeople, visibleChannel } from './person-view.ts';
import { encodeTypedText, type Directory } from './typed-text.ts';

export interface SimPagesDeps {
  slack: FakeSlack;
  people: SlackPeople;
  /** What the app offers people (default: Klaxon's manifest.yml). */
  surface?: AppSurface;
}

const MAX_BODY_BYTES = 100 * 1024;

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

const ASSET_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page's files, by the path they are served at. */
const ASSET_FILES: Record<string, string> = {
  '/sim': 'index.html',
  '/sim/': 'index.html',
  '/sim/app.js': 'app.js',
  '/sim/app.css': 'app.css',
  '/sim/dom.js': 'dom.js',
  '/sim/mrkdwn.js': 'mrkdwn.js',
  '/sim/blocks.js': 'blocks.js',
  '/sim/modal.js': 'modal.js',
  '/sim/zoned-time.js': 'zoned-time.js',
};

interface Asset {
  body: Buffer;
  type: string;
}

/** Read once: the files do not change while the simulator runs. */
function loadAssets(): Map<string, Asset> {
  const dir = dirname(fileURLToPath(import.meta.url));
  const assets = new Map<string, Asset>();
  for (const [path, file] of Object.entries(ASSET_FILES)) {
    const type = ASSET_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
    assets.set(path, { body: readFileSync(join(dir, file)), type });
  }
  return assets;
}

/** An answer other than 200, with a message the page shows. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...PAGE_HEADERS });
  res.end(text);
}

/** The body as text, or a refusal once it passes MAX_BODY_BYTES (the rest is read and dropped). */
function readLimitedBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(new Refusal(413, `the body is over ${MAX_BODY_BYTES / 1024} kB`)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

async function jsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const text = await readLimitedBody(req);
  if (type !== 'application/json') throw new Refusal(400, 'send JSON, with content-type: application/json');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Refusal(400, 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Refusal(400, firstProblem(parsed.error));
  return parsed.data;
}

/** Another site's page could post here from the person's browser: only the page's own origin may. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host ?? ''}`;
}

export function simPages(deps: SimPagesDeps): PageHandler {
  const { slack, people } = deps;
  const surface = deps.surface ?? klaxonAppSurface();
  const assets = loadAssets();

  const person = (userId: string): User => {
    const user = seededPeople(slack).find((u) => u.id === userId);
    if (!user) throw new Refusal(404, `no person ${userId} in this workspace`);
    return user;
  };
  const channelOf = (user: User, channelId: string): Channel => {
    const channel = visibleChannel(slack, user.id, channelId);
    if (!channel) throw new Refusal(404, `${user.name} sees no channel ${channelId}`);
    return channel;
  };
  const directory = (user: User): Directory => ({
    users: slack.state.users().map((u) => ({ id: u.id, name: u.name })),
    channels: slack.state
      .channels()
      .filter((c) => !c.is_im && (!c.is_private || c.members.has(user.id)))
      .map((c) => ({ id: c.id, name: c.name })),
  });
  /** A request to the app that fails outright (the app is down) is the app's fault, not the page's. */
  const toApp = async <T>(send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      throw new Refusal(502, `the app did not answer: ${errorMessage(error)}`);
    }
  };
  const outcomeOf = (outcome: Outcome, what: string): Record<string, unknown> => ({
    status: outcome.status,
    ...(outcome.answer ? { answer: outcome.answer } : {}),
    ...(outcome.errors ? { errors: outcome.errors } : {}),
    // Slack shows its own line when the app answers with an error status.
    ...(outcome.status !== 200 ? { failure: `${what} failed with the error "http_service_error" (the app answered HTTP ${outcome.status})` } : {}),
  });

  async function command(req: IncomingMessage): Promise<unknown> {
    const body = await jsonBody(req, CommandBody);
    const user = person(body.user);
    const channel = channelOf(user, body.channel);
    if (channel.archived) throw new Refusal(400, 'this channel is archived: nothing can be posted in it');
    if (body.text.startsWith('/')) {
      const match = /^(\/\S+)\s*([\s\S]*)$/.exec(body.text);
      const name = (match?.[1] ?? body.text).toLowerCase();
      const known = surface.commands.find((c) => c.command === name);
      if (!known) throw new Refusal(400, `${name} is not a valid command. In Slack, all messages that start with "/" are interpreted as commands.`);
      const text = encodeTypedText(match?.[2]?.trim() ?? '', directory(user), known.shouldEscape ? 'escaped-command' : 'plain-command');
      const outcome = await toApp(() => people.command(user.id, channel.id, text, known.command));
      return { kind: 'command', ...outcomeOf(outcome, known.command) };
    }
    if (channel.is_im && surface.messagesTabReadOnly) throw new Refusal(400, 'Sending messages to this app has been turned off. Slash commands still work here.');
    const said = await toApp(() => people.say(user.id, channel.id, encodeTypedText(body.text, directory(user), 'message')));
    return { kind: 'message', ts: said.message.ts, delivered: said.delivered, ...(said.status !== undefined ? { status: said.status } : {}) };
  }

  /** A chosen option must be one the element offers, as Slack's client allows nothing else. */
  const checkChoice = (element: Record<string, unknown>, value: string | undefined): void => {
    if (value === undefined || element.type === 'button') return;
    if (['static_select', 'overflow', 'radio_buttons'].includes(String(element.type))) {
      const options = [element.options, ...(Array.isArray(element.option_groups) ? element.option_groups.map((g: { options?: unknown }) => g.options) : [])].flatMap((o) => (Array.isArray(o) ? o : []));
      if (!options.some((o: { value?: unknown }) => o.value === value)) throw new Refusal(400, `"${value}" is not an option of ${String(element.action_id)}`);
    }
    if (element.type === 'users_select' && !seededPeople(slack).some((u) => u.id === value)) throw new Refusal(400, `${value} is not a person in this workspace`);
    if (element.type === 'datepicker' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Refusal(400, 'a date is YYYY-MM-DD');
  };

  async function click(req: IncomingMessage): Promise<unknown> {
    const body = await jsonBody(req, ClickBody);
    const user = person(body.user);
    const channel = channelOf(user, body.channel);
    const choice = body.value !== undefined ? { value: body.value } : {};
    if (body.ephemeral) {
      const ephemeral = ephemeralFor(slack, user.id, channel.id, body.ts);
      if (!ephemeral) throw new Refusal(404, `no ephemeral message ${body.ts} for ${user.name} in ${channel.id}`);
      const found = findElement(ephemeral.blocks ?? [], body.actionId, body.value);
      if (!found) throw new Refusal(404, `no element ${body.actionId} in that message`);
      checkChoice(found.element, body.value);
      return outcomeOf(await toApp(() => people.clickInEphemeral(user.id, ephemeral, body.actionId, choice)), 'The click');
    }
    const message = slack.state.message(channel, body.ts);
    if (!message) throw new Refusal(404, `no message ${body.ts} in ${channel.id}`);
    const found = findElement(message.blocks ?? [], body.actionId, body.value);
    if (!found) throw new Refusal(404, `no element ${body.actionId} in that message`);
    checkChoice(found.element, body.value);
    return outcomeOf(await toApp(() => people.clickInMessage(user.id, channel.id, message, body.actionId, choice)), 'The click');
  }

  async function shortcut(req: IncomingMessage): Promise<unknown> {
    const body = await jsonBody(req, ShortcutBody);
    const user = person(body.user);
    const channel = channelOf(user, body.channel);
    const known = surface.messageShortcuts.find((s) => s.callbackId === body.callbackId);
    if (!known) throw new Refusal(404, `the app has no message shortcut ${body.callbackId}`);
    const message = slack.state.message(channel, body.ts);
    if (!message) throw new Refusal(404, `no message ${body.ts} in ${channel.id}`);
    return outcomeOf(await toApp(() => people.shortcut(user.id, channel.id, message, known.callbackId, known.name)), known.name);
  }

  async function submit(req: IncomingMessage): Promise<unknown> {
    const body = await jsonBody(req, SubmitBody);
    const user = person(body.user);
    const modal = people.openModal(user.id);
    if (!modal) throw new Refusal(404, `${user.name} has no form open`);
    if (body.viewId !== undefined && body.viewId !== modal.id) throw new Refusal(409, 'the form changed while you were filling it in: look at it again');
    return outcomeOf(await toApp(() => people.submit(user.id, body.answers, modal.id)), 'The form');
  }

  async function close(req: IncomingMessage): Promise<unknown> {
    const body = await jsonBody(req, CloseBody);
    const user = person(body.user);
    const open = people.openModal(user.id) !== undefined;
    people.cancel(user.id);
    return { closed: open };
  }

  const posts: Record<string, (req: IncomingMessage) => Promise<unknown>> = { command, click, shortcut, submit, close };

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.pathname.slice('/sim/api/'.length);
    if (name === 'people') {
      if (req.method !== 'GET') throw new Refusal(405, 'GET the people');
      return sendJson(res, 200, { team: slack.state.team.name, people: seededPeople(slack).map(personOf) });
    }
    if (name === 'state') {
      if (req.method !== 'GET') throw new Refusal(405, 'GET the state');
      const userId = url.searchParams.get('user');
      if (!userId) throw new Refusal(400, 'say whose state: ?user=U…');
      return sendJson(res, 200, personView({ slack, people, surface }, person(userId)));
    }
    const handle = Object.hasOwn(posts, name) ? posts[name] : undefined;
    if (!handle) throw new Refusal(404, `no API ${url.pathname}`);
    if (req.method !== 'POST') throw new Refusal(405, `POST to ${url.pathname}`);
    if (!sameOrigin(req)) throw new Refusal(403, 'requests come from the simulator page only');
    sendJson(res, 200, await handle(req));
  }

  return async (req, res, url) => {
    if (url.pathname !== '/sim' && !url.pathname.startsWith('/sim/')) return false;
    if (url.pathname.startsWith('/sim/api/')) {
      try {
        await api(req, res, url);
      } catch (error) {
        req.resume();
        if (!(error instanceof Refusal)) throw error;
        sendJson(res, error.status, { error: error.message });
      }
      return true;
    }
    req.resume();
    const asset = assets.get(url.pathname);
    if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
      sendJson(res, asset ? 405 : 404, { error: asset ? 'GET the page' : `no page ${url.pathname}` });
      return true;
    }
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'no-cache', ...PAGE_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
