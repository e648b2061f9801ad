/**
 * The fake Slack against the real clients: @slack/web-api's WebClient and @slack/socket-mode's SocketModeClient.
 * What matters is that the fake refuses what Slack refuses, with Slack's error codes, and changes its state only
 * when Slack would.
 */
import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFakeSlack, type FakeSlack } from '../../src/simulator/slack/index.ts';

/** Roughly the manifest's bot scopes; deliberately without chat:write.public. */
const BOT_SCOPES = [
  'chat:write', 'commands', 'channels:manage', 'channels:read', 'channels:history', 'channels:join',
  'groups:read', 'groups:write', 'groups:history', 'im:write', 'pins:write', 'users:read', 'bookmarks:read', 'bookmarks:write',
];

let slack: FakeSlack;
let client: WebClient;
let clock = Date.now();

/** WebClient logs Slack's `[ERROR]` response lines; the tests assert on them instead. */
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

function clientFor(token: string | undefined, fake: FakeSlack = slack): WebClient {
  return new WebClient(token, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: quiet });
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
}

/** The Slack answer of a call that failed with ok:false (WebClient throws WebAPIPlatformError). */
async function slackError(call: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await rejection(call);
  if (!(error instanceof WebAPIPlatformError)) throw new Error(`expected a Slack platform error, got ${String(error)}`);
  expect(error.code).toBe('slack_webapi_platform_error');
  return error.data as unknown as Record<string, unknown>;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

beforeAll(async () => {
  slack = await startFakeSlack({
    scopes: BOT_SCOPES,
    now: () => clock,
    channels: [
      { id: 'C0GENERAL', name: 'general', members: ['U01ALICE', 'U01BOB', 'U0KLAXON'] },
      { id: 'C0RANDOM', name: 'random', members: ['U01ALICE'] },
      { id: 'C0SECRET', name: 'secret', is_private: true, members: ['U01ALICE'] },
      { id: 'C0OLD', name: 'old-incident', is_archived: true, members: ['U0KLAXON'] },
    ],
  });
  client = clientFor(slack.botToken);
});

afterAll(async () => {
  await slack.close();
});

beforeEach(() => {
  clock = Date.now();
});

describe('authentication', () => {
  it('refuses a missing token, an unknown token and an unknown method', async () => {
    expect((await slackError(clientFor(undefined).auth.test())).error).toBe('not_authed');
    expect((await slackError(clientFor('xoxb-nope').auth.test())).error).toBe('invalid_auth');
    expect((await slackError(client.apiCall('incidents.declare'))).error).toBe('unknown_method');
  });

  it('answers auth.test with the bot identity', async () => {
    const me = await client.auth.test();
    expect(me).toMatchObject({ ok: true, user_id: 'U0KLAXON', team_id: 'T0FAKE', bot_id: 'B0KLAXON', is_enterprise_install: false });
    expect(me.url).toMatch(/^https:\/\//);
  });

  it('keeps bot and app-level tokens apart', async () => {
    expect((await slackError(client.apps.connections.open())).error).toBe('not_allowed_token_type');
    const app = clientFor(slack.appToken);
    expect((await slackError(app.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' }))).error).toBe('not_allowed_token_type');
    expect((await app.apps.connections.open()).url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket-mode\?ticket=/);
  });

  it('reports the missing scope with what the token has', async () => {
    const narrow = await startFakeSlack({ scopes: ['chat:write'] });
    try {
      const data = await slackError(clientFor(narrow.botToken, narrow).conversations.create({ name: 'inc-1' }));
      expect(data).toMatchObject({ error: 'missing_scope', needed: 'channels:manage', provided: 'chat:write' });
      const priv = await slackError(clientFor(narrow.botToken, narrow).conversations.create({ name: 'inc-1', is_private: true }));
      expect(priv).toMatchObject({ error: 'missing_scope', needed: 'groups:write' });
      expect(narrow.state.channelByName('inc-1')).toBeUndefined();
    } finally {
      await narrow.close();
    }
  });

  it('reads the token from a form field and JSON bodies with a Bearer header', async () => {
    const form = await fetch(`${slack.url}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${slack.botToken}`,
    });
    expect(await form.json()).toMatchObject({ ok: true, user_id: 'U0KLAXON' });
    const json = await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${slack.botToken}` },
      body: JSON.stringify({ channel: 'C0GENERAL', blocks: [section('from json')] }),
    });
    expect(await json.json()).toMatchObject({ ok: true, channel: 'C0GENERAL' });
    const tokenInJson = await fetch(`${slack.url}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: slack.botToken }),
    });
    expect(await tokenInJson.json()).toMatchObject({ ok: false, error: 'not_authed' });
  });
});

describe('conversations', () => {
  it('enforces channel name rules', async () => {
    const create = (name: string) => slackError(client.conversations.create({ name }));
    expect((await create('')).error).toBe('invalid_name_required');
    expect((await create('Inc Outage')).error).toBe('invalid_name_specials');
    expect((await create('inc.outage')).error).toBe('invalid_name_specials');
    expect((await create('x'.repeat(81))).error).toBe('invalid_name_maxlength');
    expect((await create('--__')).error).toBe('invalid_name_punctuation');
    expect((await create('general')).error).toBe('name_taken');
    expect((await create('old-incident')).error).toBe('name_taken');
    const made = await client.conversations.create({ name: 'x'.repeat(80) });
    expect(made.channel?.name).toHaveLength(80);
  });

  it('creates a private channel the bot is in, and only lists private channels it is in', async () => {
    const made = await client.conversations.create({ name: 'inc-42-db', is_private: true });
    expect(made.channel).toMatchObject({ name: 'inc-42-db', is_private: true, is_member: true, creator: 'U0KLAXON' });
    const id = made.channel?.id ?? '';
    expect(id).toMatch(/^C[A-Z0-9]+$/);
    expect([...(slack.state.channel(id)?.members ?? [])]).toEqual(['U0KLAXON']);

    const listed = await client.conversations.list({ types: 'private_channel' });
    const names = (listed.channels ?? []).map((c) => c.name);
    expect(names).toContain('inc-42-db');
    expect(names).not.toContain('secret');
    expect((await slackError(client.conversations.info({ channel: 'C0SECRET' }))).error).toBe('channel_not_found');
    expect((await slackError(client.conversations.join({ channel: 'C0SECRET' }))).error).toBe('method_not_supported_for_channel_type');

    await client.conversations.invite({ channel: id, users: 'U01ALICE,U01BOB' });
    expect(slack.state.channel(id)?.members).toEqual(new Set(['U0KLAXON', 'U01ALICE', 'U01BOB']));
    const again = await slackError(client.conversations.invite({ channel: id, users: 'U01ALICE,U01CAROL' }));
    expect(again).toMatchObject({ error: 'already_in_channel', errors: [{ user: 'U01ALICE', ok: false, error: 'already_in_channel' }] });
    expect(slack.state.channel(id)?.members.has('U01CAROL')).toBe(false);
    expect((await slackError(client.conversations.invite({ channel: id, users: 'U0KLAXON' }))).error).toBe('cant_invite_self');
    expect((await slackError(client.conversations.invite({ channel: id, users: 'U0NOBODY' }))).error).toBe('user_not_found');
    expect((await slackError(client.conversations.invite({ channel: 'C0RANDOM', users: 'U01BOB' }))).error).toBe('not_in_channel');
  });

  it('pages conversations.list with a cursor', async () => {
    const first = await client.conversations.list({ limit: 2 });
    expect(first.channels).toHaveLength(2);
    const cursor = first.response_metadata?.next_cursor ?? '';
    expect(cursor).not.toBe('');
    const second = await client.conversations.list({ limit: 2, cursor });
    expect(second.channels?.[0]?.id).not.toBe(first.channels?.[0]?.id);
    expect(first.channels?.[0]).toHaveProperty('creator');
    expect((await slackError(client.conversations.list({ cursor: 'bogus' }))).error).toBe('invalid_cursor');
  });

  it('sets topic and purpose within 250 characters', async () => {
    await client.conversations.setTopic({ channel: 'C0GENERAL', topic: 'SEV1: checkout down' });
    await client.conversations.setPurpose({ channel: 'C0GENERAL', purpose: 'Incident room' });
    expect(slack.state.channel('C0GENERAL')?.topic.value).toBe('SEV1: checkout down');
    expect(slack.state.channel('C0GENERAL')?.purpose.value).toBe('Incident room');
    expect((await slackError(client.conversations.setTopic({ channel: 'C0GENERAL', topic: 't'.repeat(251) }))).error).toBe('too_long');
    expect((await slackError(client.conversations.setTopic({ channel: 'C0RANDOM', topic: 'x' }))).error).toBe('not_in_channel');
  });

  it('says which argument is missing', async () => {
    const data = await slackError(client.apiCall('conversations.info', {}));
    expect(data).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: channel'] } });
  });

  it('archives, and refuses to post into an archived channel', async () => {
    const made = await client.conversations.create({ name: 'inc-archive-me' });
    const id = made.channel?.id ?? '';
    await client.conversations.archive({ channel: id });
    expect(slack.state.channel(id)?.archived).toBe(true);
    expect((await slackError(client.conversations.archive({ channel: id }))).error).toBe('already_archived');
    expect((await slackError(client.chat.postMessage({ channel: id, text: 'hello' }))).error).toBe('is_archived');
  });
});

describe('bookmarks', () => {
  const runbook = (n: number | string = 1) => `https://klaxon.example.com/runbooks/${n}`;

  it('adds a link bookmark in Slack\'s shape and lists the channel\'s bookmarks in the order they were added', async () => {
    slack.state.addChannel({ id: 'C0BKLIST', name: 'bk-list', members: ['U0KLAXON', 'U01ALICE'] });
    clock = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const added = await client.bookmarks.add({ channel_id: 'C0BKLIST', title: 'Payments 5xx', type: 'link', link: runbook('payments'), emoji: ':book:' });
    expect(added.bookmark).toEqual({
      id: expect.stringMatching(/^Bk[A-Z0-9]+$/),
      channel_id: 'C0BKLIST',
      title: 'Payments 5xx',
      link: runbook('payments'),
      emoji: ':book:',
      icon_url: null,
      type: 'link',
      entity_id: null,
      date_created: Math.floor(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000),
      date_updated: 0,
      rank: expect.any(String),
      last_updated_by_user_id: 'U0KLAXON',
      last_updated_by_team_id: 'T0FAKE',
      shortcut_id: null,
      app_id: null,
    });
    const second = await client.bookmarks.add({ channel_id: 'C0BKLIST', title: 'Status page', type: 'link', link: 'http://status.example.com/' });
    expect(second.bookmark).toMatchObject({ title: 'Status page', emoji: null });
    expect(second.bookmark?.id).not.toBe(added.bookmark?.id);

    const listed = await client.bookmarks.list({ channel_id: 'C0BKLIST' });
    expect(listed.bookmarks).toEqual([added.bookmark, second.bookmark]);
    expect((listed.bookmarks ?? []).map((b) => b.rank ?? '')).toEqual([...(listed.bookmarks ?? []).map((b) => b.rank ?? '')].sort());
    expect(slack.state.bookmarksOf('C0BKLIST').map((b) => b.title)).toEqual(['Payments 5xx', 'Status page']);
    expect(slack.state.bookmarksOf('C0NOSUCH')).toEqual([]);
    expect((await client.bookmarks.list({ channel_id: 'C0GENERAL' })).bookmarks).toEqual([]);
  });

  it('needs bookmarks:write to add and bookmarks:read to list', async () => {
    const narrow = await startFakeSlack({ scopes: ['channels:read', 'bookmarks:read'], channels: [{ id: 'C0BK', name: 'bk', members: ['U0KLAXON'] }] });
    try {
      const narrowClient = clientFor(narrow.botToken, narrow);
      const add = await slackError(narrowClient.bookmarks.add({ channel_id: 'C0BK', title: 'x', type: 'link', link: runbook() }));
      expect(add).toMatchObject({ error: 'missing_scope', needed: 'bookmarks:write', provided: 'channels:read,bookmarks:read' });
      expect(narrow.state.bookmarksOf('C0BK')).toEqual([]);
      expect((await narrowClient.bookmarks.list({ channel_id: 'C0BK' })).bookmarks).toEqual([]);
    } finally {
      await narrow.close();
    }
    const writeOnly = await startFakeSlack({ scopes: ['bookmarks:write'], channels: [{ id: 'C0BK', name: 'bk', members: ['U0KLAXON'] }] });
    try {
      const list = await slackError(clientFor(writeOnly.botToken, writeOnly).bookmarks.list({ channel_id: 'C0BK' }));
      expect(list).toMatchObject({ error: 'missing_scope', needed: 'bookmarks:read' });
    } finally {
      await writeOnly.close();
    }
  });

  it('says which argument is missing', async () => {
    const noTitle = await slackError(client.apiCall('bookmarks.add', { channel_id: 'C0GENERAL', type: 'link', link: runbook() }));
    expect(noTitle).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: title'] } });
    const noType = await slackError(client.apiCall('bookmarks.add', { channel_id: 'C0GENERAL', title: 'x', link: runbook() }));
    expect(noType.response_metadata).toMatchObject({ messages: ['[ERROR] missing required field: type'] });
    const noChannel = await slackError(client.apiCall('bookmarks.add', { title: 'x', type: 'link', link: runbook() }));
    expect(noChannel.response_metadata).toMatchObject({ messages: ['[ERROR] missing required field: channel_id'] });
    const listNoChannel = await slackError(client.apiCall('bookmarks.list', {}));
    expect(listNoChannel).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: channel_id'] } });
    expect(slack.state.bookmarksOf('C0GENERAL')).toEqual([]);
  });

  it('accepts only the link type, with an http(s) link', async () => {
    const add = (args: Record<string, unknown>) => slackError(client.apiCall('bookmarks.add', { channel_id: 'C0GENERAL', title: 'x', type: 'link', ...args }));
    expect((await add({ type: 'message', link: runbook() })).error).toBe('invalid_bookmark_type');
    expect((await add({ type: 'folder', link: runbook() })).error).toBe('invalid_bookmark_type');
    expect((await add({})).error).toBe('invalid_link');
    expect((await add({ link: '' })).error).toBe('invalid_link');
    expect((await add({ link: 'klaxon.example.com/runbooks/1' })).error).toBe('invalid_link');
    expect((await add({ link: '/runbooks/1' })).error).toBe('invalid_link');
    expect((await add({ link: 'ftp://klaxon.example.com/runbook' })).error).toBe('invalid_link');
    expect((await add({ link: 'javascript:alert(1)' })).error).toBe('invalid_link');
    expect((await add({ link: 'http:klaxon.example.com' })).error).toBe('invalid_link');
    expect((await add({ link: 'https://' })).error).toBe('invalid_link');
    expect(slack.state.bookmarksOf('C0GENERAL')).toEqual([]);
    await client.bookmarks.add({ channel_id: 'C0GENERAL', title: 'ok', type: 'link', link: 'HTTPS://klaxon.example.com/runbooks/1' });
    expect(slack.state.bookmarksOf('C0GENERAL').map((b) => b.title)).toEqual(['ok']);
  });

  it('bookmarks only in channels the bot is in and that are not archived', async () => {
    slack.state.addChannel({ id: 'C0BKOUT', name: 'bk-outside', members: ['U01ALICE'] });
    slack.state.addChannel({ id: 'C0BKPRIV', name: 'bk-private', is_private: true, members: ['U01ALICE'] });
    slack.state.addChannel({ id: 'C0BKOLD', name: 'bk-archived', is_archived: true, members: ['U0KLAXON'] });
    const add = (channel_id: string) => slackError(client.bookmarks.add({ channel_id, title: 'x', type: 'link', link: runbook() }));
    expect((await add('C0BKOUT')).error).toBe('not_in_channel');
    expect((await add('C0BKPRIV')).error).toBe('channel_not_found');
    expect((await add('C0NOSUCH')).error).toBe('channel_not_found');
    expect((await add('C0BKOLD')).error).toBe('is_archived');
    for (const id of ['C0BKOUT', 'C0BKPRIV', 'C0BKOLD']) expect(slack.state.bookmarksOf(id)).toEqual([]);
    expect((await slackError(client.bookmarks.list({ channel_id: 'C0BKOUT' }))).error).toBe('not_in_channel');
    expect((await slackError(client.bookmarks.list({ channel_id: 'C0BKPRIV' }))).error).toBe('channel_not_found');
    expect((await slackError(client.bookmarks.list({ channel_id: 'C0NOSUCH' }))).error).toBe('channel_not_found');

    // Once the bot is in the channel, the same call works.
    await client.conversations.join({ channel: 'C0BKOUT' });
    await client.bookmarks.add({ channel_id: 'C0BKOUT', title: 'x', type: 'link', link: runbook() });
    expect(slack.state.bookmarksOf('C0BKOUT')).toHaveLength(1);
  });

  it('holds at most 100 bookmarks in a channel', async () => {
    const made = await client.conversations.create({ name: 'inc-bookmark-limit' });
    const channel_id = made.channel?.id ?? '';
    for (let i = 1; i <= 100; i++) await client.bookmarks.add({ channel_id, title: `Runbook ${i}`, type: 'link', link: runbook(i) });
    expect((await slackError(client.bookmarks.add({ channel_id, title: 'Runbook 101', type: 'link', link: runbook(101) }))).error).toBe('too_many_bookmarks');
    const listed = (await client.bookmarks.list({ channel_id })).bookmarks ?? [];
    expect(listed).toHaveLength(100);
    expect(listed.map((b) => b.title)).toEqual(Array.from({ length: 100 }, (_, i) => `Runbook ${i + 1}`));
    const ranks = listed.map((b) => b.rank ?? '');
    expect(ranks).toEqual([...ranks].sort());
    expect(new Set(ranks).size).toBe(100);
    expect(new Set(listed.map((b) => b.id)).size).toBe(100);
    expect(slack.state.bookmarksOf(channel_id)).toHaveLength(100);
  });
});

describe('conversations.members', () => {
  const crowd = Array.from({ length: 1200 }, (_, i) => `U0M${String(i).padStart(4, '0')}`);

  beforeAll(() => {
    slack.state.addChannel({ id: 'C0CROWD', name: 'crowd', members: crowd });
  });

  it('pages with a cursor: 100 by default, at most 1000, every member once and in order', async () => {
    const first = await client.conversations.members({ channel: 'C0CROWD' });
    expect(first.members).toEqual(crowd.slice(0, 100));
    const cursor = first.response_metadata?.next_cursor ?? '';
    expect(cursor).not.toBe('');
    const second = await client.conversations.members({ channel: 'C0CROWD', cursor });
    expect(second.members).toEqual(crowd.slice(100, 200));

    const capped = await client.conversations.members({ channel: 'C0CROWD', limit: 5000 });
    expect(capped.members).toEqual(crowd.slice(0, 1000));
    const rest = await client.conversations.members({ channel: 'C0CROWD', limit: 5000, cursor: capped.response_metadata?.next_cursor ?? '' });
    expect(rest.members).toEqual(crowd.slice(1000));
    expect(rest.response_metadata?.next_cursor).toBe('');

    let pages = 0;
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = await client.conversations.members({ channel: 'C0CROWD', limit: 250, ...(next ? { cursor: next } : {}) });
      pages++;
      expect(page.members?.length).toBeLessThanOrEqual(250);
      seen.push(...(page.members ?? []));
      next = page.response_metadata?.next_cursor || undefined;
    } while (next && pages < 100);
    expect(pages).toBe(5);
    expect(seen).toEqual(crowd);

    expect((await slackError(client.conversations.members({ channel: 'C0CROWD', cursor: 'bogus' }))).error).toBe('invalid_cursor');
  });

  it('works with WebClient\'s own pagination', async () => {
    const seen: string[] = [];
    for await (const page of client.paginate('conversations.members', { channel: 'C0CROWD', limit: 300 })) {
      seen.push(...((page as { members?: string[] }).members ?? []));
    }
    expect(seen).toEqual(crowd);
  });

  it('hides a private channel from a non-member and lists one the bot is in', async () => {
    expect((await slackError(client.conversations.members({ channel: 'C0SECRET' }))).error).toBe('channel_not_found');
    expect((await slackError(client.conversations.members({ channel: 'C0NOSUCH' }))).error).toBe('channel_not_found');
    slack.state.addChannel({ id: 'C0MEMPRIV', name: 'members-private', is_private: true, members: ['U0KLAXON', 'U01CAROL'] });
    const listed = await client.conversations.members({ channel: 'C0MEMPRIV' });
    expect(listed).toMatchObject({ ok: true, members: ['U0KLAXON', 'U01CAROL'], response_metadata: { next_cursor: '' } });
    // A public channel is readable without being in it.
    expect((await client.conversations.members({ channel: 'C0RANDOM' })).members).toContain('U01ALICE');
    const missing = await slackError(client.apiCall('conversations.members', {}));
    expect(missing).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: channel'] } });
  });

  it('needs the read scope of the conversation\'s type', async () => {
    const narrow = await startFakeSlack({
      scopes: ['channels:read'],
      channels: [
        { id: 'C0PUB', name: 'pub', members: ['U01ALICE'] },
        { id: 'C0PRIV', name: 'priv', is_private: true, members: ['U0KLAXON', 'U01ALICE'] },
      ],
    });
    try {
      const narrowClient = clientFor(narrow.botToken, narrow);
      expect((await narrowClient.conversations.members({ channel: 'C0PUB' })).members).toEqual(['U01ALICE']);
      const priv = await slackError(narrowClient.conversations.members({ channel: 'C0PRIV' }));
      expect(priv).toMatchObject({ error: 'missing_scope', needed: 'groups:read', provided: 'channels:read' });
    } finally {
      await narrow.close();
    }
  });
});

describe('messages', () => {
  it('refuses to post where the bot is not a member (without chat:write.public)', async () => {
    expect((await slackError(client.chat.postMessage({ channel: 'C0RANDOM', text: 'hi' }))).error).toBe('not_in_channel');
    expect((await slackError(client.chat.postMessage({ channel: 'C0SECRET', text: 'hi' }))).error).toBe('channel_not_found');
    expect((await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'hi' }))).error).toBe('channel_not_found');
    expect(slack.state.messages('C0RANDOM')).toHaveLength(0);
    await client.conversations.join({ channel: 'C0RANDOM' });
    const posted = await client.chat.postMessage({ channel: 'C0RANDOM', text: 'hi' });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(slack.state.messages('C0RANDOM').map((m) => m.text)).toEqual(['hi']);
  });

  it('needs text or blocks and keeps text under 40,000 characters', async () => {
    expect((await slackError(client.apiCall('chat.postMessage', { channel: 'C0GENERAL' }))).error).toBe('no_text');
    expect((await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x'.repeat(40_001) }))).error).toBe('msg_too_long');
  });

  it('rejects more than 50 blocks and a 3001-character section, with json pointers', async () => {
    const tooMany = await slackError(
      client.chat.postMessage({ channel: 'C0GENERAL', text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    );
    expect(tooMany).toMatchObject({ error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] } });
    const tooLong = await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x', blocks: [section('y'.repeat(3001))] }));
    expect(tooLong).toMatchObject({
      error: 'invalid_blocks',
      errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] },
    });
    const button = (text: string) => ({ type: 'button' as const, action_id: 'ack', text: { type: 'plain_text' as const, text } });
    const twice = await slackError(
      client.chat.postMessage({ channel: 'C0GENERAL', text: 'x', blocks: [{ type: 'actions', elements: [button('Ack'), button('Ack again')] }] }),
    );
    expect(twice.errors).toEqual(['duplicate action_id: ack [json-pointer:/blocks/0/elements/1/action_id]']);
    const input = await slackError(
      client.chat.postMessage({ channel: 'C0GENERAL', text: 'x', blocks: [{ type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'plain_text_input' } }] }),
    );
    expect(input.error).toBe('invalid_blocks');
    const notJson = await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${slack.botToken}` },
      body: 'channel=C0GENERAL&text=x&blocks=%5Bnot-json',
    });
    expect(await notJson.json()).toMatchObject({ ok: false, error: 'invalid_blocks_format' });
  });

  it('stores metadata, returns it from history when asked, and posts to a user id as a DM', async () => {
    const metadata = { event_type: 'incident_opened', event_payload: { incident: 42 } };
    const posted = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'SEV1 declared', metadata });
    expect(posted.message).toMatchObject({ text: 'SEV1 declared', bot_id: 'B0KLAXON' });
    const plain = await client.conversations.history({ channel: 'C0GENERAL', limit: 1 });
    expect(plain.messages?.[0]?.ts).toBe(posted.ts);
    expect(plain.messages?.[0]?.metadata).toBeUndefined();
    const withMeta = await client.conversations.history({ channel: 'C0GENERAL', limit: 1, include_all_metadata: true });
    expect(withMeta.messages?.[0]?.metadata).toEqual(metadata);

    const dm = await client.chat.postMessage({ channel: 'U01CAROL', text: 'you are on call' });
    expect(dm.channel).toMatch(/^D/);
    expect(slack.state.messages(dm.channel ?? '')[0]?.text).toBe('you are on call');
  });

  it('updates only its own messages and pins once', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'status: investigating' });
    const ts = posted.ts ?? '';
    await client.chat.update({ channel: 'C0GENERAL', ts, text: 'status: resolved' });
    expect(slack.state.channel('C0GENERAL')?.messages.find((m) => m.ts === ts)?.text).toBe('status: resolved');
    expect((await slackError(client.chat.update({ channel: 'C0GENERAL', ts: '1.000001', text: 'x' }))).error).toBe('message_not_found');
    const human = slack.state.post(slack.state.channel('C0GENERAL')!, { user: 'U01ALICE', text: 'mine' });
    expect((await slackError(client.chat.update({ channel: 'C0GENERAL', ts: human.ts, text: 'x' }))).error).toBe('cant_update_message');
    await client.pins.add({ channel: 'C0GENERAL', timestamp: ts });
    expect((await slackError(client.pins.add({ channel: 'C0GENERAL', timestamp: ts }))).error).toBe('already_pinned');
    expect(slack.state.channel('C0GENERAL')?.pins).toEqual([ts]);
  });

  it('sends ephemerals only to channel members', async () => {
    await client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U01ALICE', text: 'only you' });
    expect(slack.state.ephemerals('C0GENERAL').at(-1)).toMatchObject({ user: 'U01ALICE', text: 'only you' });
    expect((await slackError(client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U01CAROL', text: 'x' }))).error).toBe('user_not_in_channel');
  });

  it('describes users with their time zone', async () => {
    const info = await client.users.info({ user: 'U01BOB' });
    expect(info.user).toMatchObject({ id: 'U01BOB', tz: 'America/New_York', real_name: 'Bob Baker', profile: { display_name: 'bob' } });
    expect([-18000, -14400]).toContain(info.user?.tz_offset);
    expect((await slackError(client.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
  });
});

describe('modals', () => {
  const modal = (title: string) => ({
    type: 'modal' as const,
    callback_id: 'declare',
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: 'Declare' },
    blocks: [{ type: 'input', block_id: 'title', label: { type: 'plain_text', text: 'Title' }, element: { type: 'plain_text_input', action_id: 'value' } }],
  });

  it('opens a modal and updates it by id', async () => {
    const view = modal('Declare an incident');
    // action_ids need only be unique within their block: `value` in every input block is fine.
    view.blocks.push({ type: 'input', block_id: 'summary', label: { type: 'plain_text', text: 'Summary' }, element: { type: 'plain_text_input', action_id: 'value' } });
    const opened = await client.views.open({ trigger_id: slack.issueTriggerId(), view });
    expect(opened.view).toMatchObject({ callback_id: 'declare', state: { values: {} }, type: 'modal' });
    const id = opened.view?.id ?? '';
    expect(id).toMatch(/^V/);
    const updated = await client.views.update({ view_id: id, hash: opened.view?.hash ?? '', view: modal('Declared') });
    expect(updated.view?.title?.text).toBe('Declared');
    expect((await slackError(client.views.update({ view_id: id, hash: opened.view?.hash ?? '', view: modal('Again') }))).error).toBe('hash_conflict');
    expect((await slackError(client.views.update({ view_id: 'V0NOPE', view: modal('x') }))).error).toBe('not_found');
  });

  it('rejects a title over 24 characters and a modal with inputs but no submit', async () => {
    const data = await slackError(client.views.open({ trigger_id: slack.issueTriggerId(), view: modal('x'.repeat(25)) }));
    expect(data).toMatchObject({ error: 'invalid_arguments' });
    expect(data.response_metadata).toMatchObject({ messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] });
    const { submit: _submit, ...noSubmit } = modal('ok');
    expect((await slackError(client.views.open({ trigger_id: slack.issueTriggerId(), view: noSubmit }))).error).toBe('invalid_arguments');
  });

  it('accepts a trigger once, and only for 3 seconds', async () => {
    const trigger = slack.issueTriggerId();
    await client.views.open({ trigger_id: trigger, view: modal('First') });
    expect((await slackError(client.views.open({ trigger_id: trigger, view: modal('Second') }))).error).toBe('exchanged_trigger_id');
    const late = slack.issueTriggerId();
    clock += 3001;
    expect((await slackError(client.views.open({ trigger_id: late, view: modal('Late') }))).error).toBe('expired_trigger_id');
    expect((await slackError(client.views.open({ trigger_id: '123.456.abc', view: modal('Made up') }))).error).toBe('invalid_trigger_id');
  });
});

describe('faults', () => {
  it('surfaces a 429 as a rate-limit error with Retry-After, without changing state', async () => {
    slack.failNext('conversations.create', { status: 429, retryAfter: 7 });
    const error = await rejection(client.conversations.create({ name: 'inc-rate-limited' }));
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect(error).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    expect(slack.state.channelByName('inc-rate-limited')).toBeUndefined();
    const [call] = slack.calls('conversations.create').slice(-1);
    expect(call).toMatchObject({ ok: false, error: 'ratelimited', status: 429, args: { name: 'inc-rate-limited' } });
    await client.conversations.create({ name: 'inc-rate-limited' });
    expect(slack.state.channelByName('inc-rate-limited')).toBeDefined();
  });

  it('surfaces a 500 as an HTTP error, and a Slack error as a platform error', async () => {
    slack.failNext('chat.postMessage', { status: 500 });
    const error = await rejection(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }));
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect(error).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });
    slack.failNext('chat.postMessage', { error: 'fatal_error' }, 2);
    expect((await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).error).toBe('fatal_error');
    expect((await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).error).toBe('fatal_error');
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'finally' });
    expect(slack.state.messages('C0GENERAL').at(-1)?.text).toBe('finally');
  });

  it('fails only the calls to the channel a fault names, leaving the others untouched', async () => {
    slack.failNext('chat.postMessage', { error: 'fatal_error', channel: 'C0RANDOM' });
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'elsewhere' });
    expect((await slackError(client.chat.postMessage({ channel: 'C0RANDOM', text: 'x' }))).error).toBe('fatal_error');
    await client.chat.postMessage({ channel: 'C0RANDOM', text: 'then fine' });
    expect(slack.state.messages('C0RANDOM').at(-1)?.text).toBe('then fine');
  });

  it('answers late when asked: the call takes effect and is recorded at once, the answer comes later', async () => {
    slack.resetCalls();
    slack.failNext('chat.postMessage', { delayMs: 300 });
    const started = Date.now();
    let answered = false;
    const call = client.chat.postMessage({ channel: 'C0GENERAL', text: 'slow but done' }).then((r) => {
      answered = true;
      return r;
    });
    await expect.poll(() => slack.state.messages('C0GENERAL').at(-1)?.text).toBe('slow but done');
    expect(answered).toBe(false);
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect((await call).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await client.users.info({ user: 'U01ALICE' });
    expect(slack.calls().map((c) => c.method)).toEqual(['chat.postMessage', 'users.info']);
    expect(slack.calls('users.info')[0]).toMatchObject({ ok: true, token: slack.botToken, status: 200, args: { user: 'U01ALICE' } });
  });
});

describe('response_url', () => {
  it('accepts five answers within 30 minutes and validates blocks', async () => {
    const url = slack.createResponseUrl({ channel: 'C0GENERAL', user: 'U01ALICE' });
    const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await post({ blocks: [section('z'.repeat(3001))] });
    expect(await bad.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    for (let i = 0; i < 5; i++) {
      const res = await post({ text: `answer ${i}`, response_type: i === 0 ? 'in_channel' : 'ephemeral' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    }
    const sixth = await post({ text: 'one too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toMatchObject({ ok: false, error: 'expired_url' });
    expect(slack.state.messages('C0GENERAL').at(-1)?.text).toBe('answer 0');
    expect(slack.responses().filter((r) => r.url === url)).toHaveLength(7);

    const old = slack.createResponseUrl();
    clock += 30 * 60_000 + 1;
    expect((await fetch(old, { method: 'POST', body: JSON.stringify({ text: 'late' }) })).status).toBe(404);
    expect((await fetch(`${slack.baseUrl}/response/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('replaces or deletes the ephemeral message an interaction came from, for the person who saw it', async () => {
    slack.state.addEphemeral({ channel: 'C0GENERAL', user: 'U01ALICE', ts: '1700000000.000100', text: 'Your tickets: 2 open', via: 'response_body' });
    const answer = (body: unknown) => fetch(slack.createResponseUrl({ channel: 'C0GENERAL', messageTs: '1700000000.000100', user: 'U01ALICE' }), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await answer({ replace_original: true, text: 'Your tickets: 1 open' });
    const shown = () => slack.state.ephemerals('C0GENERAL').filter((e) => e.ts === '1700000000.000100' || e.text.startsWith('Your tickets'));
    expect(shown().map((e) => [e.ts, e.text])).toEqual([['1700000000.000100', 'Your tickets: 1 open']]);
    await answer({ delete_original: true });
    expect(shown()).toEqual([]);
  });
});

describe('socket mode', () => {
  it('connects a real SocketModeClient and gets the envelope acked with its id', async () => {
    const socketClient = new SocketModeClient({
      appToken: slack.appToken,
      autoReconnectEnabled: false,
      logger: quiet,
      clientOptions: { slackApiUrl: slack.url },
    });
    socketClient.on('slash_commands', async ({ ack, body }: { ack: (r?: unknown) => Promise<void>; body: { text: string } }) => {
      await ack({ text: `got ${body.text}` });
    });
    await socketClient.start();
    try {
      await slack.socketMode.connected();
      const ack = await slack.socketMode.send('slash_commands', { command: '/incident', text: 'declare db down', trigger_id: slack.issueTriggerId() });
      expect(ack.envelope_id).toMatch(/.+/);
      expect(ack.payload).toEqual({ text: 'got declare db down' });
      expect(slack.socketMode.errors()).toEqual([]);
    } finally {
      await socketClient.disconnect();
    }
  });

  it('records an ack for an unknown envelope, times out a missing ack and refuses a used ticket', async () => {
    const fake = await startFakeSlack({ ackTimeoutMs: 200 });
    const opened = await clientFor(fake.appToken, fake).apps.connections.open();
    const url = opened.url ?? '';
    const socket = new WebSocket(url);
    const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
      socket.once('error', reject);
    });
    expect(hello).toMatchObject({ type: 'hello', connection_info: { app_id: 'A0FAKEAPP' } });
    socket.send(JSON.stringify({ envelope_id: 'not-an-envelope' }));
    await expect.poll(() => fake.socketMode.errors().some((e) => e.includes('not-an-envelope'))).toBe(true);
    await expect(fake.socketMode.send('events_api', { event: { type: 'app_mention' } })).rejects.toThrow(/no ack/);
    socket.close();

    const reuse = new WebSocket(url);
    const refused = await new Promise<string>((resolve) => {
      reuse.once('error', (e) => resolve(String(e)));
      reuse.once('open', () => resolve('opened'));
    });
    expect(refused).toMatch(/401/);
    await fake.close();
  });
});
