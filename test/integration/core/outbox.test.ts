/** The outbox against the fake Slack through the real gateway: each key takes effect once. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.ts';
import { Outbox, outboxMetadata } from '../../../src/core/outbox.ts';
import { createSlackGateway, SlackCallError } from '../../../src/core/slack-gateway.ts';
import { FakeClock } from '../../support/clock.ts';
import { testDatabase } from '../../support/db.ts';
import { startFakeSlack, type FakeSlack } from '../../../src/simulator/slack/index.ts';

let slack: FakeSlack;
let database: ReturnType<typeof testDatabase>;
let outbox: Outbox;
beforeEach(async () => {
  slack = await startFakeSlack({ channels: [{ id: 'C0OPS', name: 'ops', members: ['U0KLAXON'] }] });
  database = testDatabase();
  const gateway = createSlackGateway({ token: slack.botToken, slackApiUrl: slack.url, logger: silentLogger });
  outbox = new Outbox(database.db, gateway, new FakeClock());
});
afterEach(async () => {
  database.remove();
  await slack.close();
});

const row = (key: string) => database.sqlite.prepare('select status, attempts, result, last_error as lastError from outbox where key = ?').get(key) as { status: string; attempts: number; result: string | null; lastError: string | null };

describe('Outbox', () => {
  it('calls Slack once per key and returns the stored result afterwards', async () => {
    const first = await outbox.send('post:1', 'chat.postMessage', { channel: 'C0OPS', text: 'hello' });
    const again = await outbox.send('post:1', 'chat.postMessage', { channel: 'C0OPS', text: 'hello' });
    expect(again).toEqual(first);
    expect(first).toEqual({ channel: 'C0OPS', ts: expect.any(String), content: expect.any(String) });
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect(row('post:1')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('records a refused call as failed and calls again next time', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await expect(outbox.send('post:2', 'chat.postMessage', { channel: 'C0OPS', text: 'hi' })).rejects.toMatchObject({ code: 'rate_limited', retryable: true });
    expect(row('post:2')).toMatchObject({ status: 'failed', lastError: 'chat.postMessage failed: rate_limited' });
    await outbox.send('post:2', 'chat.postMessage', { channel: 'C0OPS', text: 'hi' });
    expect(row('post:2')).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(slack.state.messages('C0OPS')).toHaveLength(1);
  });

  it('treats a timed-out post as possibly made: the next attempt finds it by its key instead of posting again', async () => {
    const impatient = new Outbox(database.db, createSlackGateway({ token: slack.botToken, slackApiUrl: slack.url, logger: silentLogger, timeoutMs: 100 }), new FakeClock());
    slack.failNext('chat.postMessage', { delayMs: 400 });
    await expect(impatient.send('post:late', 'chat.postMessage', { channel: 'C0OPS', text: 'late' })).rejects.toMatchObject({ code: 'timeout', outcomeUnknown: true });
    expect(row('post:late')).toMatchObject({ status: 'sending', lastError: expect.stringContaining('no answer in time') });
    const result = await impatient.send('post:late', 'chat.postMessage', { channel: 'C0OPS', text: 'late' });
    expect(slack.state.messages('C0OPS')).toEqual([expect.objectContaining({ text: 'late', ts: result.ts })]);
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect(row('post:late')).toMatchObject({ status: 'sent' });
  });

  it('treats a 500 as possibly done too, and posts again when the message is not there', async () => {
    slack.failNext('chat.postMessage', { status: 500 });
    await expect(outbox.send('post:500', 'chat.postMessage', { channel: 'C0OPS', text: 'hi' })).rejects.toMatchObject({ code: 'http_500', outcomeUnknown: true });
    expect(row('post:500')).toMatchObject({ status: 'sending' });
    await outbox.send('post:500', 'chat.postMessage', { channel: 'C0OPS', text: 'hi' });
    expect(slack.calls('conversations.history')).toHaveLength(1);
    expect(slack.state.messages('C0OPS')).toHaveLength(1);
  });

  it('edits a standing surface only when what it shows changes, including back to an earlier wording', async () => {
    const posted = await outbox.send('summary:INC-1', 'chat.postMessage', { channel: 'C0OPS', text: 'Investigating', unfurl_links: false });
    const edit = (version: string, text: string) => outbox.edit('summary:INC-1', version, 'chat.update', { channel: 'C0OPS', ts: posted.ts, text });
    await edit('r1', 'Investigating');
    expect(slack.calls('chat.update')).toHaveLength(0);
    await edit('r2', 'Identified');
    await edit('r3', 'Identified');
    await edit('r4', 'Investigating');
    expect(slack.calls('chat.update').map((c) => c.args.text)).toEqual(['Identified', 'Investigating']);
    expect(slack.state.messages('C0OPS')).toEqual([expect.objectContaining({ text: 'Investigating' })]);
    // Another surface whose key starts alike is not mistaken for this one.
    await outbox.send('summary:INC-10', 'chat.postMessage', { channel: 'C0OPS', text: 'Identified' });
    await edit('r5', 'Investigating');
    expect(slack.calls('chat.update')).toHaveLength(2);
  });

  it('stores "already done" answers as success', async () => {
    const posted = await outbox.send('post:3', 'chat.postMessage', { channel: 'C0OPS', text: 'pin me' });
    await outbox.send('pin:a', 'pins.add', { channel: 'C0OPS', timestamp: posted.ts });
    await expect(outbox.send('pin:b', 'pins.add', { channel: 'C0OPS', timestamp: posted.ts })).rejects.toBeInstanceOf(SlackCallError);
    expect(await outbox.send('pin:c', 'pins.add', { channel: 'C0OPS', timestamp: posted.ts }, { alreadyDone: ['already_pinned'] })).toEqual({ alreadyDone: 'already_pinned' });
  });

  it('looks for the outcome of a call whose answer was lost before calling again', async () => {
    // A previous process posted the message and died before recording Slack's answer.
    const lost = slack.state.post(slack.state.channel('C0OPS')!, { user: 'U0KLAXON', text: 'summary', metadata: outboxMetadata('summary:9') });
    database.sqlite.prepare("insert into outbox (key, method, status, attempts, created_at, updated_at) values ('summary:9', 'chat.postMessage', 'sending', 1, 0, 0)").run();
    const result = await outbox.send('summary:9', 'chat.postMessage', { channel: 'C0OPS', text: 'summary' }, { recover: async () => ({ channel: 'C0OPS', ts: lost.ts }) });
    expect(result).toEqual({ channel: 'C0OPS', ts: lost.ts });
    expect(slack.calls('chat.postMessage')).toHaveLength(0);
    expect(row('summary:9')).toMatchObject({ status: 'sent' });
  });
});
