/**
 * The fake Slack's timeline methods against the real WebClient: chat.getPermalink, conversations.replies and
 * views.publish, plus the workspace helpers that let a test act as a person (postAsUser, editMessage).
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../src/simulator/slack/index.ts';
import { fakeSlackClient, slackError } from '../support/web-client.ts';

const BOT_SCOPES = ['chat:write', 'channels:read', 'channels:history', 'groups:read', 'groups:history', 'im:history', 'users:read'];

let slack: FakeSlack;
let client: WebClient;

const clientFor = (token: string, fake: FakeSlack = slack): WebClient => fakeSlackClient(token, fake);

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const digits = (ts: string) => ts.replace('.', '');

beforeAll(async () => {
  slack = await startFakeSlack({
    scopes: BOT_SCOPES,
    teamDomain: 'klaxon-test',
    channels: [
      { id: 'C0GENERAL', name: 'general', members: ['U01ALICE', 'U01BOB', 'U0KLAXON'] },
      { id: 'C0RANDOM', name: 'random', members: ['U01ALICE'] },
      { id: 'C0SECRET', name: 'secret', is_private: true, members: ['U01ALICE'] },
      { id: 'C0WAR', name: 'inc-42-war-room', is_private: true, members: ['U01ALICE', 'U0KLAXON'] },
    ],
  });
  client = clientFor(slack.botToken);
});

afterAll(async () => {
  await slack.close();
});

describe('workspace helpers', () => {
  it('posts as a person, in a thread when asked, and refuses an unknown channel', () => {
    const parent = slack.state.postAsUser('C0GENERAL', 'U01ALICE', 'db is down');
    expect(parent).toMatchObject({ user: 'U01ALICE', text: 'db is down' });
    expect(parent.bot_id).toBeUndefined();
    expect(parent.thread_ts).toBeUndefined();
    const reply = slack.state.postAsUser('C0GENERAL', 'U01BOB', 'looking', { thread_ts: parent.ts });
    expect(reply.thread_ts).toBe(parent.ts);
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(slack.state.messages('C0GENERAL').slice(-2)).toEqual([parent, reply]);
    expect(() => slack.state.postAsUser('C0NOPE', 'U01ALICE', 'x')).toThrow(/C0NOPE/);
  });

  it('edits a message as a person and marks it edited', () => {
    const message = slack.state.postAsUser('C0GENERAL', 'U01ALICE', 'sev2');
    const edited = slack.state.editMessage('C0GENERAL', message.ts, 'sev1', 'U01ALICE');
    expect(edited).toBe(message);
    expect(edited.text).toBe('sev1');
    expect(edited.edited?.user).toBe('U01ALICE');
    expect(Number(edited.edited?.ts)).toBeGreaterThan(Number(message.ts));
    expect(() => slack.state.editMessage('C0GENERAL', '1.000001', 'x', 'U01ALICE')).toThrow();
    expect(() => slack.state.editMessage('C0NOPE', message.ts, 'x', 'U01ALICE')).toThrow();
  });
});

describe('chat.getPermalink', () => {
  it('links a top-level message by the team domain, channel and ts without the dot', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'SEV1 declared' });
    const ts = posted.ts ?? '';
    const answer = await client.chat.getPermalink({ channel: 'C0GENERAL', message_ts: ts });
    expect(answer).toMatchObject({ ok: true, channel: 'C0GENERAL', permalink: `https://klaxon-test.slack.com/archives/C0GENERAL/p${digits(ts)}` });
    expect(answer.permalink).not.toContain('?');
  });

  it('adds thread_ts and cid for a thread reply, not for its parent', async () => {
    const parent = slack.state.postAsUser('C0GENERAL', 'U01ALICE', 'api 500s');
    const reply = slack.state.postAsUser('C0GENERAL', 'U01BOB', 'rolling back', { thread_ts: parent.ts });
    const replyLink = await client.chat.getPermalink({ channel: 'C0GENERAL', message_ts: reply.ts });
    expect(replyLink.permalink).toBe(
      `https://klaxon-test.slack.com/archives/C0GENERAL/p${digits(reply.ts)}?thread_ts=${parent.ts}&cid=C0GENERAL`,
    );
    const parentLink = await client.chat.getPermalink({ channel: 'C0GENERAL', message_ts: parent.ts });
    expect(parentLink.permalink).toBe(`https://klaxon-test.slack.com/archives/C0GENERAL/p${digits(parent.ts)}`);
  });

  it('links messages in public channels the bot is not in, and in private ones it is in', async () => {
    const open = slack.state.postAsUser('C0RANDOM', 'U01ALICE', 'anyone seeing latency?');
    expect((await client.chat.getPermalink({ channel: 'C0RANDOM', message_ts: open.ts })).channel).toBe('C0RANDOM');
    const war = slack.state.postAsUser('C0WAR', 'U01ALICE', 'bridge is up');
    expect((await client.chat.getPermalink({ channel: 'C0WAR', message_ts: war.ts })).permalink).toContain('/archives/C0WAR/p');
  });

  it('answers channel_not_found for unknown and hidden channels, message_not_found for an unknown ts', async () => {
    const hidden = slack.state.postAsUser('C0SECRET', 'U01ALICE', 'private');
    expect((await slackError(client.chat.getPermalink({ channel: 'C0NOPE', message_ts: hidden.ts }))).error).toBe('channel_not_found');
    expect((await slackError(client.chat.getPermalink({ channel: 'C0SECRET', message_ts: hidden.ts }))).error).toBe('channel_not_found');
    expect((await slackError(client.chat.getPermalink({ channel: 'C0GENERAL', message_ts: '1.000001' }))).error).toBe('message_not_found');
    const missing = await slackError(client.apiCall('chat.getPermalink', { channel: 'C0GENERAL' }));
    expect(missing).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: message_ts'] } });
  });
});

describe('conversations.replies', () => {
  /** A thread in #general: Alice's parent, then Bob, the bot and Alice replying. */
  async function thread(): Promise<{ parent: string; replies: string[] }> {
    const parent = slack.state.postAsUser('C0GENERAL', 'U01ALICE', 'checkout is failing');
    const first = slack.state.postAsUser('C0GENERAL', 'U01BOB', 'on it', { thread_ts: parent.ts });
    const bot = await client.chat.postMessage({ channel: 'C0GENERAL', thread_ts: parent.ts, text: 'Incident declared' });
    const last = slack.state.postAsUser('C0GENERAL', 'U01ALICE', 'thanks', { thread_ts: parent.ts });
    return { parent: parent.ts, replies: [first.ts, bot.ts ?? '', last.ts] };
  }

  it('returns the parent first, then the replies oldest first, from the parent ts or a reply ts', async () => {
    const { parent, replies } = await thread();
    const answer = await client.conversations.replies({ channel: 'C0GENERAL', ts: parent });
    expect(answer).toMatchObject({ ok: true, has_more: false, response_metadata: { next_cursor: '' } });
    expect(answer.messages?.map((m) => m.ts)).toEqual([parent, ...replies]);
    expect(answer.messages?.[0]).toMatchObject({
      type: 'message', user: 'U01ALICE', text: 'checkout is failing', thread_ts: parent,
      reply_count: 3, reply_users_count: 3, reply_users: ['U01BOB', 'U0KLAXON', 'U01ALICE'], latest_reply: replies[2],
    });
    expect(answer.messages?.[1]).toMatchObject({ user: 'U01BOB', thread_ts: parent, parent_user_id: 'U01ALICE' });
    expect(answer.messages?.[2]).toMatchObject({ bot_id: 'B0KLAXON', text: 'Incident declared', parent_user_id: 'U01ALICE' });
    const fromReply = await client.conversations.replies({ channel: 'C0GENERAL', ts: replies[1] ?? '' });
    expect(fromReply.messages?.map((m) => m.ts)).toEqual([parent, ...replies]);
  });

  it('returns just the message when it has no replies, with edits shown', async () => {
    const lone = slack.state.postAsUser('C0GENERAL', 'U01BOB', 'deploy frozen');
    slack.state.editMessage('C0GENERAL', lone.ts, 'deploy frozen until 18:00', 'U01BOB');
    const answer = await client.conversations.replies({ channel: 'C0GENERAL', ts: lone.ts });
    expect(answer.messages).toHaveLength(1);
    expect(answer.messages?.[0]).toMatchObject({ ts: lone.ts, text: 'deploy frozen until 18:00', edited: { user: 'U01BOB' } });
    expect(answer.messages?.[0]?.reply_count).toBeUndefined();
    expect(answer.messages?.[0]?.thread_ts).toBeUndefined();
  });

  it('honours oldest, latest and inclusive', async () => {
    const { parent, replies } = await thread();
    const [r1, r2, r3] = replies;
    const ts = async (range: { oldest?: string; latest?: string; inclusive?: boolean }) =>
      (await client.conversations.replies({ channel: 'C0GENERAL', ts: parent, ...range })).messages?.map((m) => m.ts);
    expect(await ts({ oldest: r1 })).toEqual([r2, r3]);
    expect(await ts({ oldest: r1, inclusive: true })).toEqual([r1, r2, r3]);
    expect(await ts({ latest: r2 })).toEqual([parent, r1]);
    expect(await ts({ latest: r2, inclusive: true })).toEqual([parent, r1, r2]);
    expect(await ts({ oldest: parent, latest: r3 })).toEqual([r1, r2]);
  });

  it('pages with limit and a cursor', async () => {
    const { parent, replies } = await thread();
    const first = await client.conversations.replies({ channel: 'C0GENERAL', ts: parent, limit: 3 });
    expect(first.messages?.map((m) => m.ts)).toEqual([parent, replies[0], replies[1]]);
    expect(first.has_more).toBe(true);
    const cursor = first.response_metadata?.next_cursor ?? '';
    expect(cursor).not.toBe('');
    const second = await client.conversations.replies({ channel: 'C0GENERAL', ts: parent, limit: 3, cursor });
    expect(second.messages?.map((m) => m.ts)).toEqual([replies[2]]);
    expect(second).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });
    expect((await slackError(client.conversations.replies({ channel: 'C0GENERAL', ts: parent, cursor: 'bm9wZQ==' }))).error).toBe('invalid_cursor');
  });

  it('returns 1000 messages by default and at most 1000', async () => {
    const parent = slack.state.postAsUser('C0GENERAL', 'U01ALICE', 'long thread');
    for (let i = 0; i < 1001; i++) slack.state.postAsUser('C0GENERAL', 'U01BOB', `update ${i}`, { thread_ts: parent.ts });
    const byDefault = await client.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts });
    expect(byDefault.messages).toHaveLength(1000);
    expect(byDefault.messages?.[0]?.ts).toBe(parent.ts);
    expect(byDefault.has_more).toBe(true);
    const capped = await client.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts, limit: 5000 });
    expect(capped.messages).toHaveLength(1000);
    const rest = await client.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts, cursor: capped.response_metadata?.next_cursor ?? '' });
    expect(rest.messages?.map((m) => m.text)).toEqual(['update 999', 'update 1000']);
    expect(rest.has_more).toBe(false);
  });

  it('returns message metadata only with include_all_metadata', async () => {
    const parent = slack.state.postAsUser('C0GENERAL', 'U01ALICE', 'paging');
    const metadata = { event_type: 'incident_update', event_payload: { incident: 42 } };
    await client.chat.postMessage({ channel: 'C0GENERAL', thread_ts: parent.ts, text: 'paged on-call', metadata });
    const plain = await client.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts });
    expect(plain.messages?.[1]?.metadata).toBeUndefined();
    const withMeta = await client.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts, include_all_metadata: true });
    expect(withMeta.messages?.[1]?.metadata).toEqual(metadata);
  });

  it('reads private channels the bot is in', async () => {
    const parent = slack.state.postAsUser('C0WAR', 'U01ALICE', 'status?');
    slack.state.postAsUser('C0WAR', 'U01ALICE', 'mitigated', { thread_ts: parent.ts });
    const answer = await client.conversations.replies({ channel: 'C0WAR', ts: parent.ts });
    expect(answer.messages?.map((m) => m.text)).toEqual(['status?', 'mitigated']);
  });

  it('answers thread_not_found, channel_not_found and not_in_channel like conversations.history', async () => {
    expect((await slackError(client.conversations.replies({ channel: 'C0GENERAL', ts: '1.000001' }))).error).toBe('thread_not_found');
    const secret = slack.state.postAsUser('C0SECRET', 'U01ALICE', 'hidden');
    expect((await slackError(client.conversations.replies({ channel: 'C0SECRET', ts: secret.ts }))).error).toBe('channel_not_found');
    expect((await slackError(client.conversations.replies({ channel: 'C0NOPE', ts: secret.ts }))).error).toBe('channel_not_found');
    const open = slack.state.postAsUser('C0RANDOM', 'U01ALICE', 'public');
    expect((await slackError(client.conversations.replies({ channel: 'C0RANDOM', ts: open.ts }))).error).toBe('not_in_channel');
    const missing = await slackError(client.apiCall('conversations.replies', { channel: 'C0GENERAL' }));
    expect(missing).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: ts'] } });
  });

  it('needs the history scope of the conversation\'s type', async () => {
    const limited = await startFakeSlack({
      scopes: ['chat:write', 'channels:history'],
      channels: [
        { id: 'C0PUBLIC', name: 'public', members: ['U0KLAXON'] },
        { id: 'C0PRIVATE', name: 'private', is_private: true, members: ['U0KLAXON'] },
      ],
    });
    try {
      const limitedClient = clientFor(limited.botToken, limited);
      const publicTs = limited.state.postAsUser('C0PUBLIC', 'U01ALICE', 'a').ts;
      expect((await limitedClient.conversations.replies({ channel: 'C0PUBLIC', ts: publicTs })).messages).toHaveLength(1);
      const privateTs = limited.state.postAsUser('C0PRIVATE', 'U01ALICE', 'b').ts;
      const denied = await slackError(limitedClient.conversations.replies({ channel: 'C0PRIVATE', ts: privateTs }));
      expect(denied).toMatchObject({ error: 'missing_scope', needed: 'groups:history' });
    } finally {
      await limited.close();
    }
  });
});

describe('views.publish', () => {
  const home = (...texts: string[]) => ({ type: 'home' as const, callback_id: 'home', blocks: texts.map(section) });

  it('publishes a Home tab and answers with the view, as views.open does', async () => {
    const answer = await client.views.publish({ user_id: 'U01ALICE', view: home('*On call:* Alice') });
    expect(answer.ok).toBe(true);
    expect(answer.view).toMatchObject({
      type: 'home', team_id: 'T0FAKE', callback_id: 'home', blocks: [section('*On call:* Alice')], state: { values: {} },
      previous_view_id: null, app_id: 'A0FAKEAPP', bot_id: 'B0KLAXON', close: null, submit: null,
    });
    const id = answer.view?.id ?? '';
    expect(id).toMatch(/^V/);
    expect(answer.view?.root_view_id).toBe(id);
    expect(answer.view?.hash).toMatch(/^\d+\.[0-9a-f]+$/);
    const stored = slack.state.homeView('U01ALICE');
    expect(stored).toMatchObject({ id, hash: answer.view?.hash, view: home('*On call:* Alice') });
    expect(slack.state.views().some((v) => v.id === id)).toBe(false);
  });

  it('keeps the view id when republished, with a new hash, and refuses a stale hash', async () => {
    const first = await client.views.publish({ user_id: 'U01BOB', view: home('v1') });
    const second = await client.views.publish({ user_id: 'U01BOB', view: home('v2'), hash: first.view?.hash ?? '' });
    expect(second.view?.id).toBe(first.view?.id);
    expect(second.view?.hash).not.toBe(first.view?.hash);
    const stale = await slackError(client.views.publish({ user_id: 'U01BOB', view: home('v3'), hash: first.view?.hash ?? '' }));
    expect(stale.error).toBe('hash_conflict');
    expect(slack.state.homeView('U01BOB')?.view).toEqual(home('v2'));
    const unconditional = await client.views.publish({ user_id: 'U01BOB', view: home('v4') });
    expect(unconditional.view?.blocks).toEqual([section('v4')]);
  });

  it('accepts only a home view', async () => {
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Declare' }, blocks: [section('x')] };
    const data = await slackError(client.views.publish({ user_id: 'U01CAROL', view: modal }));
    expect(data).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] must be one of [home] [json-pointer:/view/type]'] } });
    expect(slack.state.homeView('U01CAROL')).toBeUndefined();
  });

  it('validates the blocks: at most 100, and Block Kit limits with json pointers', async () => {
    await client.views.publish({ user_id: 'U01CAROL', view: home(...Array.from({ length: 100 }, (_, i) => `row ${i}`)) });
    const tooMany = await slackError(
      client.views.publish({ user_id: 'U01DAVE', view: { type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) } }),
    );
    expect(tooMany).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'] },
    });
    const tooLong = await slackError(client.views.publish({ user_id: 'U01DAVE', view: home('y'.repeat(3001)) }));
    expect(tooLong).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/view/blocks/0/text/text]'] },
    });
    expect(slack.state.homeView('U01DAVE')).toBeUndefined();
  });

  it('refuses an unknown user and says which argument is missing', async () => {
    const unknown = await slackError(client.views.publish({ user_id: 'U0NOBODY', view: home('hi') }));
    expect(unknown).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['invalid `user_id`'] } });
    expect(slack.state.homeView('U0NOBODY')).toBeUndefined();
    const missing = await slackError(client.apiCall('views.publish', { view: home('hi') }));
    expect(missing).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: user_id'] } });
  });
});
