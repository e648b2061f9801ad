/**
 * The timeline end to end over signed HTTP: notes, the message shortcut and :pushpin: reactions, with the right
 * authors and the messages' own times; a retried event makes no second entry; edits and deletions in Slack are
 * followed; `/incident timeline` shows it in the reader's time zone, a page at a time; the Home tab lists the
 * open incident.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.ts';
import { visibleEntries } from '../../src/timeline/index.ts';
import { formatClockInZone } from '../../src/core/wall-clock.ts';
import { startHarness, USERS, type Harness } from '../support/harness.ts';
import { blockActionPayload, messageShortcutPayload } from '../../src/simulator/requests.ts';

let h: Harness;
afterEach(async () => h?.close());

const entries = (id = 1) => visibleEntries(h.klaxon.database.db, id);
const messages = async (id = 1) => (await entries(id)).filter((e) => e.kind === 'message');

async function declare(): Promise<Incident> {
  await h.slash('declare sev2 payments Checkout returns 502');
  return h.provisioned(1);
}

function pin(inc: Incident, ts: string, user: string, author: string, added = true) {
  return h.event({ type: added ? 'reaction_added' : 'reaction_removed', user, reaction: 'pushpin', item_user: author, item: { type: 'message', channel: inc.channelId!, ts } });
}

describe('adding to the timeline', () => {
  it('adds a note with its author and the text as typed, shown escaped', async () => {
    h = await startHarness();
    const inc = await declare();
    const answer = (await h.slash(`note Rolled back <@${USERS.bob}|bob> & <!channel> *bold*`, { channel: inc.channelId!, user: USERS.carol })).json();
    expect(answer.text).toBe('Added to the timeline of INC-1.');
    const note = (await entries()).find((e) => e.kind === 'note')!;
    expect(note).toMatchObject({ actorId: USERS.carol, text: 'Rolled back @bob & @channel *bold*' });
    const shown = JSON.stringify((await h.slash('timeline', { channel: inc.channelId! })).json().blocks);
    expect(shown).toContain('Rolled back @bob &amp; @channel *bold*');
    expect(shown).not.toContain('<!channel>');
    expect(shown).not.toContain(`<@${USERS.bob}>`);
    const empty = await h.slash('note', { channel: inc.channelId! });
    expect(empty.text).toBe('');
    expect(await h.waitFor(() => h.slack.calls('views.open').find((c) => (c.args.view as { callback_id: string }).callback_id === 'timeline.note_modal'), 'the note modal')).toBeTruthy();
  });

  it('adds a message from the shortcut with its author, its own time and a permalink', async () => {
    h = await startHarness();
    const inc = await declare();
    const said = h.slack.state.postAsUser(inc.channelId!, USERS.bob, 'Error rate back under 1%');
    await h.fastForward(60_000);
    const responseUrl = h.slack.createResponseUrl({ channel: inc.channelId!, user: USERS.alice });
    const payload = messageShortcutPayload({ userId: USERS.alice, channelId: inc.channelId!, messageTs: said.ts, responseUrl, triggerId: h.slack.issueTriggerId(), callbackId: 'timeline.add_entry' });
    (payload.message as Record<string, unknown>).user = USERS.bob;
    (payload.message as Record<string, unknown>).text = said.text;
    expect((await h.interact(payload)).status).toBe(200);
    const entry = await h.waitFor(async () => {
      const [first] = await messages();
      return first?.permalink ? first : undefined;
    }, 'the entry with its permalink');
    expect(entry).toMatchObject({ actorId: USERS.bob, text: 'Error rate back under 1%', at: Math.floor(Number(said.ts) * 1000) });
    expect(entry.recordedAt - entry.at).toBeGreaterThanOrEqual(60_000);
    expect(entry.permalink).toContain(`/archives/${inc.channelId}/p${said.ts.replace('.', '')}`);
    const reply = await h.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl), 'the shortcut answer');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Added to the timeline of INC-1') });

    const elsewhere = h.slack.state.postAsUser('C0GENERAL', USERS.bob, 'lunch?');
    const url2 = h.slack.createResponseUrl({ channel: 'C0GENERAL', user: USERS.alice });
    await h.interact(messageShortcutPayload({ userId: USERS.alice, channelId: 'C0GENERAL', messageTs: elsewhere.ts, responseUrl: url2, triggerId: h.slack.issueTriggerId(), callbackId: 'timeline.add_entry' }));
    const refused = await h.waitFor(() => h.slack.responses().find((r) => r.url === url2), 'the refusal');
    expect(refused.body).toMatchObject({ text: expect.stringContaining('not in an incident channel') });
    expect(await messages()).toHaveLength(1);
  });

  it('pins with :pushpin:: one entry however many pin it or Slack retries, taken back when the last pin goes', async () => {
    h = await startHarness();
    const inc = await declare();
    const said = h.slack.state.postAsUser(inc.channelId!, USERS.carol, 'DB failover finished');
    await h.fastForward(60_000);
    const first = await pin(inc, said.ts, USERS.alice, USERS.carol);
    expect(first.status).toBe(200);
    const entry = await h.waitFor(async () => {
      const [first] = await messages();
      return first?.text ? first : undefined;
    }, 'the pinned message’s text');
    expect(entry).toMatchObject({ actorId: USERS.carol, text: 'DB failover finished', at: Math.floor(Number(said.ts) * 1000) });
    // Slack retries the same event: nothing changes.
    await h.event({ type: 'reaction_removed', user: USERS.alice, reaction: 'pushpin', item_user: USERS.carol, item: { type: 'message', channel: inc.channelId!, ts: said.ts } }, { eventId: 'EvREMOVE1' });
    expect(await messages()).toHaveLength(0);
    expect((await pin(inc, said.ts, USERS.alice, USERS.carol)).status).toBe(200);
    const retried = await h.event({ type: 'reaction_added', user: USERS.bob, reaction: 'pushpin', item_user: USERS.carol, item: { type: 'message', channel: inc.channelId!, ts: said.ts } }, { eventId: 'EvBOB1' });
    expect(retried.status).toBe(200);
    await h.event({ type: 'reaction_removed', user: USERS.bob, reaction: 'pushpin', item_user: USERS.carol, item: { type: 'message', channel: inc.channelId!, ts: said.ts } }, { eventId: 'EvBOB2' });
    // Bob's reaction_added delivered again after he removed it: as a retry it is dropped, so it does not come back.
    await h.event({ type: 'reaction_added', user: USERS.bob, reaction: 'pushpin', item_user: USERS.carol, item: { type: 'message', channel: inc.channelId!, ts: said.ts } }, { eventId: 'EvBOB1', retryNum: 1 });
    expect(await messages()).toHaveLength(1);
    expect((await messages())[0]!.data).toMatchObject({ pinnedBy: [USERS.alice], addedBy: [] });
    const other = await h.event({ type: 'reaction_added', user: USERS.bob, reaction: 'thumbsup', item_user: USERS.carol, item: { type: 'message', channel: inc.channelId!, ts: said.ts } });
    expect(other.status).toBe(200);
    await pin(inc, said.ts, USERS.alice, USERS.carol, false);
    expect(await messages()).toHaveLength(0);
    expect(await h.rows(sql`select count(*) as n from timeline_events where kind = 'message'`)).toEqual([{ n: 1 }]);
  });

  it('follows edits and deletions of a captured message', async () => {
    h = await startHarness();
    const inc = await declare();
    const said = h.slack.state.postAsUser(inc.channelId!, USERS.bob, 'Root cause: cert expiry');
    await pin(inc, said.ts, USERS.alice, USERS.bob);
    await h.waitFor(async () => (await messages())[0]?.text ?? undefined, 'the entry');
    h.slack.state.editMessage(inc.channelId!, said.ts, 'Root cause: expired TLS certificate on the LB', USERS.bob);
    await h.event({ type: 'message', subtype: 'message_changed', channel: inc.channelId!, hidden: true, ts: '1.000001', message: { type: 'message', user: USERS.bob, text: 'Root cause: expired TLS certificate on the LB', ts: said.ts, edited: { user: USERS.bob, ts: '2.0' } }, previous_message: { type: 'message', user: USERS.bob, text: said.text, ts: said.ts } });
    await h.waitFor(async () => (await messages())[0]?.text === 'Root cause: expired TLS certificate on the LB', 'the edit');
    await h.event({ type: 'message', subtype: 'message_deleted', channel: inc.channelId!, hidden: true, ts: '3.000001', deleted_ts: said.ts, previous_message: { type: 'message', user: USERS.bob, text: 'x', ts: said.ts } });
    await h.waitFor(async () => (await messages()).length === 0, 'the entry to go');
  });
});

describe('reading the timeline', () => {
  it('shows entries in order, in the reader’s time zone, in pages with Older and Newer', async () => {
    h = await startHarness();
    const inc = await declare();
    for (let i = 1; i <= 50; i += 1) await h.slash(`note step ${i}`, { channel: inc.channelId! });
    const answer = (await h.slash('timeline', { channel: inc.channelId!, user: USERS.bob })).json();
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).toContain('times in America/New_York');
    expect(blocks).toContain('page 1 of 2');
    const declared = (await entries()).find((e) => e.kind === 'declared')!;
    expect(blocks).toContain(`\`${formatClockInZone(declared.at, 'America/New_York')}\` <@${USERS.alice}> :rotating_light: *Declared*: Checkout returns 502`);
    expect(blocks.indexOf('step 1')).toBeLessThan(blocks.indexOf('step 2'));
    expect((answer.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    expect(blocks).toContain('"action_id":"timeline.page","value":"1:2"');
    expect(blocks).not.toContain('step 50');

    const responseUrl = h.slack.createResponseUrl({ channel: inc.channelId!, user: USERS.bob });
    await h.interact(blockActionPayload({ userId: USERS.bob, channelId: inc.channelId!, messageTs: '1.1', responseUrl, triggerId: h.slack.issueTriggerId(), actionId: 'timeline.page', blockId: 'timeline.pages', value: '1:2' }));
    const next = await h.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl), 'page 2');
    const page2 = JSON.stringify(next.body);
    expect(page2).toContain('step 50');
    expect(page2).toContain('page 2 of 2');
    expect(page2).toContain('"value":"1:1"');
  });
});

describe('the Home tab', () => {
  it('is published on app_home_opened with the open incident, and again without it once resolved', async () => {
    h = await startHarness();
    const inc = await declare();
    await h.event({ type: 'app_home_opened', user: USERS.bob, channel: 'D0BOB', tab: 'home' });
    const home = await h.waitFor(() => h.slack.state.homeView(USERS.bob), 'Bob’s Home tab');
    const shown = JSON.stringify(home.view);
    expect(shown).toContain(`<#${inc.channelId}> *INC-1*: Checkout returns 502`);
    expect(shown).toContain(`Lead <@${USERS.alice}>`);
    expect(shown).toContain('"action_id":"home.declare"');
    await h.slash('resolve Fixed', { channel: inc.channelId! });
    await h.waitFor(() => !JSON.stringify(h.slack.state.homeView(USERS.bob)!.view).includes('INC-1'), 'the Home tab without INC-1');
    expect(JSON.stringify(h.slack.state.homeView(USERS.bob)!.view)).toContain('No open incidents.');
  });
});
