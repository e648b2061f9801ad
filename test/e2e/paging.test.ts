/**
 * Paging end to end: a declaration for a service pages its escalation policy's first level by DM, escalates
 * when nobody acknowledges, stops at the first acknowledgement and edits every message about it in place.
 * Signed HTTP to the real app, the strict fake Slack, a real database (SQLite, or Postgres under
 * KLAXON_TEST_DB=postgres); five-minute timeouts, which the tests fast-forward through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getIncident } from '../../src/incidents/index.ts';
import { listTimeline } from '../../src/incidents/store.ts';
import { escalationsOf, pagesOf, stepsOf } from '../../src/paging/store.ts';
import { incidentSubject } from '../../src/paging/subject.ts';
import type { Message } from '../../src/simulator/slack/index.ts';
import { INCIDENTS_CHANNEL, startHarness, USERS, type Harness } from '../support/harness.ts';
import { blockActionPayload } from '../../src/simulator/requests.ts';

let h: Harness;
afterEach(async () => h?.close());

const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
/**
 * A daily UTC rotation whose last handoff was an hour ago: Alice had the shift before, Bob has this one for 23
 * more hours, however far into the day the tests run and fast-forward.
 */
const handoff = new Date(Date.now() - HOUR);
const handoffTime = handoff.toISOString().slice(11, 16);
const dayBefore = new Date(handoff.getTime() - DAY).toISOString().slice(0, 10);
const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;

function klaxonYml(opts: { repeat?: number; timeout?: string; firstSchedule?: string } = {}): string {
  return `
timezone: UTC
services:
  - id: payments
    name: Payments API
    escalation_policy: payments
  - id: search
    name: Search
    escalation_policy: search
schedules:
  - id: primary
    rotation: { kind: daily, handoff: "${handoffTime}", start: ${dayBefore}, participants: [U01ALICE, U01BOB] }
  - id: secondary
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-01-05, participants: [U01CAROL] }
  - id: not-started
    rotation: { kind: daily, handoff: "09:00", start: ${nextYear}, participants: [U01ALICE] }
escalation_policies:
  - id: payments
    repeat: ${opts.repeat ?? 1}
    levels:
      - targets: [schedule:${opts.firstSchedule ?? 'primary'}]
        timeout: ${opts.timeout ?? '5m'}
      - targets: [schedule:secondary]
        timeout: ${opts.timeout ?? '5m'}
  - id: search
    levels:
      - targets: [schedule:not-started]
        timeout: 1h
`;
}

const db = () => h.klaxon.database.db;
const dmsTo = (userId: string): Message[] => h.slack.state.dmsWith(userId);
const blocksText = (m: Message): string => JSON.stringify(m.blocks ?? []);
const hasAckButton = (m: Message): boolean => blocksText(m).includes('"action_id":"oncall.ack"');
const pageIdOf = (m: Message): string => /"action_id":"oncall\.ack","value":"(\d+)"/.exec(blocksText(m))![1]!;

/** Clicks Acknowledge on a page DM; `pageId` as the button carried it when it was shown (it may be gone since). */
async function clickAck(userId: string, message: Message, pageId = pageIdOf(message)) {
  const channel = h.slack.state.imWith(userId).id;
  const responseUrl = h.slack.createResponseUrl({ channel, messageTs: message.ts, user: userId });
  const answer = await h.interact(
    blockActionPayload({ userId, channelId: channel, messageTs: message.ts, responseUrl, triggerId: h.slack.issueTriggerId(), actionId: 'oncall.ack', blockId: 'oncall.page_actions', value: pageId }),
  );
  expect(answer.status).toBe(200);
  const reply = await h.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl), 'the answer to the click');
  return (reply.body as { text: string }).text;
}

async function declarePayments(): Promise<string> {
  await h.slash('declare sev2 payments Card payments failing');
  return h.waitFor(async () => (await getIncident(db(), 1))?.channelId ?? undefined, 'the incident channel');
}

describe('paging on declare', () => {
  it('pages the person on call now, escalates after the timeout, and stops at the first acknowledgement everywhere', async () => {
    h = await startHarness({ klaxonYml: klaxonYml() });
    const channel = await declarePayments();

    const bobDm = await h.waitFor(() => dmsTo(USERS.bob)[0], 'the page DM to Bob');
    const bobPage = pageIdOf(bobDm);
    expect(dmsTo(USERS.alice)).toEqual([]);
    expect(bobDm.text).toBe('You are paged for INC-1 (SEV2): Card payments failing');
    expect(blocksText(bobDm)).toContain('INC-1: Card payments failing');
    expect(blocksText(bobDm)).toContain(`<#${channel}>`);
    expect(blocksText(bobDm)).toContain('Payments API, level 1');
    expect(hasAckButton(bobDm)).toBe(true);
    await h.waitFor(() => h.slack.state.channel(channel)!.members.has(USERS.bob), 'Bob to be invited to the incident channel');
    const line1 = await h.waitFor(() => h.slack.state.messages(channel).find((m) => m.text.includes('Paged <@U01BOB> (Payments API, level 1)')), 'the page line in the channel');

    // Nobody acknowledges: level 2 (Carol) is paged five minutes later, not before, and Bob's DM says it escalated.
    const level1 = (await stepsOf(db(), (await escalationsOf(db(), incidentSubject(1)))[0]!.id))[0]!;
    await h.fastForward(level1.startedAt + 4 * MINUTE - h.clock.now());
    expect(dmsTo(USERS.carol)).toEqual([]);
    await h.fastForward(MINUTE);
    const carolDm = await h.waitFor(() => dmsTo(USERS.carol)[0], 'the level 2 page to Carol');
    const level2 = (await stepsOf(db(), (await escalationsOf(db(), incidentSubject(1)))[0]!.id))[1];
    expect(level2!.startedAt - level1!.startedAt).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(blocksText(carolDm)).toContain('Payments API, level 2');
    const carolPage = pageIdOf(carolDm);
    await h.waitFor(() => blocksText(dmsTo(USERS.bob)[0]!).includes('escalated to level 2'), "Bob's DM to show the escalation");
    expect(hasAckButton(dmsTo(USERS.bob)[0]!)).toBe(true);

    // Carol acknowledges: everything stops and every surface shows it.
    expect(await clickAck(USERS.carol, carolDm)).toMatch(/You acknowledged INC-1/);
    await h.waitFor(() => blocksText(dmsTo(USERS.carol)[0]!).includes('You acknowledged'), "Carol's DM to show her acknowledgement");
    await h.waitFor(() => blocksText(dmsTo(USERS.bob)[0]!).includes('<@U01CAROL> acknowledged'), "Bob's DM to show Carol acknowledged");
    expect(hasAckButton(dmsTo(USERS.carol)[0]!)).toBe(false);
    expect(hasAckButton(dmsTo(USERS.bob)[0]!)).toBe(false);
    await h.waitFor(() => h.slack.state.messages(channel).find((m) => m.text.includes('<@U01CAROL> acknowledged after')), 'the channel line to show the acknowledgement');
    expect(h.slack.state.message(h.slack.state.channel(channel)!, line1.ts)!.text).toContain('escalated');

    const [escalation] = await escalationsOf(db(), incidentSubject(1));
    expect(escalation).toMatchObject({ status: 'acknowledged', acknowledgedBy: USERS.carol });
    expect(await getIncident(db(), 1)).toMatchObject({ acknowledgedBy: USERS.carol });
    const pages = await pagesOf(db(), escalation!.id);
    expect(pages.map((p) => [p.userId, p.status])).toEqual([[USERS.bob, 'answered'], [USERS.carol, 'acknowledged']]);
    expect(pages[1]!.acknowledgedAt! - pages[1]!.pagedAt).toBeGreaterThanOrEqual(0);
    expect((await listTimeline(db(), 1)).map((e) => e.kind)).toEqual(['declared', 'paged', 'escalated', 'paged', 'acknowledged']);

    // The repeat would have paged Bob again five minutes after Carol: past that, nothing more has happened.
    const posts = h.slack.calls('chat.postMessage').length;
    await h.fastForward(10 * MINUTE);
    expect(dmsTo(USERS.bob)).toHaveLength(1);
    expect(h.slack.calls('chat.postMessage')).toHaveLength(posts);

    // A second click, and a click on the superseded page, change nothing and say so.
    expect(await clickAck(USERS.carol, carolDm, carolPage)).toMatch(/already acknowledged INC-1/);
    expect(await clickAck(USERS.bob, bobDm, bobPage)).toMatch(/INC-1 was already acknowledged by <@U01CAROL>/);
    expect((await escalationsOf(db(), incidentSubject(1)))[0]).toMatchObject({ status: 'acknowledged', acknowledgedBy: USERS.carol });
    expect((await listTimeline(db(), 1)).filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('raises a loud alert in the channel and #incidents when every level and repeat goes unanswered', async () => {
    h = await startHarness({ klaxonYml: klaxonYml({ repeat: 1 }) });
    const channel = await declarePayments();
    await h.waitFor(() => dmsTo(USERS.bob)[0], 'the level 1 page');
    await h.fastForward(4 * 5 * MINUTE);
    const alert = await h.waitFor(() => h.slack.state.messages(channel).find((m) => m.text.includes('Nobody has acknowledged INC-1')), 'the alert in the incident channel');
    expect(alert.text).toMatch(/^<!here> :rotating_light:/);
    await h.waitFor(() => h.slack.state.messages(INCIDENTS_CHANNEL).find((m) => m.text.includes('Nobody has acknowledged INC-1')), 'the alert in #incidents');
    // Two levels, twice: Bob and Carol each paged twice, each by a DM of its own.
    expect(dmsTo(USERS.bob)).toHaveLength(2);
    expect(dmsTo(USERS.carol)).toHaveLength(2);
    expect((await escalationsOf(db(), incidentSubject(1)))[0]!.status).toBe('exhausted');
    expect((await listTimeline(db(), 1)).at(-1)!.kind).toBe('escalation_exhausted');

    // A late acknowledgement still counts, and the alerts are edited to say so.
    await clickAck(USERS.bob, dmsTo(USERS.bob)[1]!);
    await h.waitFor(() => h.slack.state.message(h.slack.state.channel(channel)!, alert.ts)!.text.includes('<@U01BOB> has acknowledged'), 'the alert to be edited');
    expect((await escalationsOf(db(), incidentSubject(1)))[0]!.status).toBe('acknowledged');
  });

  it('moves on at once from a level whose schedule has nobody on call, and says so', async () => {
    h = await startHarness({ klaxonYml: klaxonYml({ firstSchedule: 'not-started', timeout: '1h' }) });
    const channel = await declarePayments();
    // Level 1 is empty: Carol (level 2) is paged straight away instead of an hour later.
    await h.waitFor(() => dmsTo(USERS.carol)[0], 'the level 2 page');
    // The line is posted, then brought up to date as the escalation moves on (on Postgres that can come a moment later).
    const line = await h.waitFor(() => h.slack.state.messages(channel).find((m) => m.text.includes('has nobody on call') && m.text.includes('escalated at once')), 'the empty-level line');
    expect(line.text).toContain('schedule `not-started`');
    expect(line.text).toContain('escalated at once to level 2');
    expect((await listTimeline(db(), 1)).map((e) => e.kind)).toEqual(['declared', 'escalated', 'paged']);
  });
});

describe('a channel Slack creates late', () => {
  it('pages at once when the channel comes in the first 30 s, with the DM linking it', async () => {
    h = await startHarness({ klaxonYml: klaxonYml({ timeout: '1h' }) });
    // Slack makes Klaxon wait 5 s for the channel: the pages wait for it, so that the DM can link it.
    h.slack.failNext('conversations.create', { status: 429, retryAfter: 5 });
    await h.slash('declare sev2 payments Card payments failing');
    await h.fastForward(10_000);
    const channel = (await h.provisioned(1)).channelId!;
    const page = await h.waitFor(() => dmsTo(USERS.bob).find(hasAckButton), 'Bob’s page');
    expect(blocksText(page)).toContain(`<#${channel}>`);
    // Bob is paged as soon as the channel exists, not at the pages' next look for it (at 8 s, three seconds
    // later: the bound leaves a busy machine two seconds to post the page).
    const created = h.slack.calls('conversations.create').find((c) => c.ok)!.at;
    const paged = h.slack.calls('chat.postMessage').find((c) => c.ok && c.args.channel === h.slack.state.imWith(USERS.bob).id)!.at;
    expect(paged - created).toBeLessThan(2_000);
  });

  it('gets every page line, invitation and alert the incident’s pages should already show there', async () => {
    h = await startHarness({ klaxonYml: klaxonYml({ repeat: 0, timeout: '1h' }) });
    // A rate-limit storm: Slack answers conversations.create with 429 and Retry-After of three hours.
    h.slack.failNext('conversations.create', { status: 429, retryAfter: 10_800 });
    await h.slash('declare sev2 payments Card payments failing');
    // The pages wait 30 s for the channel, then go out by DM without it; both levels go unanswered.
    await h.fastForward(29_000);
    expect(dmsTo(USERS.bob)).toHaveLength(0);
    await h.fastForward(2_000);
    const page = await h.waitFor(() => dmsTo(USERS.bob).find(hasAckButton), 'Bob’s page');
    expect(blocksText(page)).toContain('_being created_');
    await h.fastForward(HOUR);
    await h.waitFor(() => dmsTo(USERS.carol).find(hasAckButton), 'Carol’s page');
    await h.fastForward(HOUR);
    await h.waitFor(() => h.slack.state.messages(INCIDENTS_CHANNEL).find((m) => m.text.includes('Nobody has acknowledged INC-1')), 'the alert in #incidents');
    expect((await getIncident(db(), 1))!.channelId).toBeNull();

    await h.fastForward(HOUR);
    const channel = await h.waitFor(async () => (await getIncident(db(), 1))?.channelId ?? undefined, 'the incident channel');
    await h.waitFor(() => h.slack.state.messages(channel).find((m) => m.text.includes('Nobody has acknowledged INC-1')), 'the alert in the incident channel');
    await h.waitFor(() => h.slack.state.messages(channel).filter((m) => m.text.startsWith(':pager: Paged')).length === 2, 'both page lines in the channel');
    await h.waitFor(() => [USERS.bob, USERS.carol].every((u) => h.slack.state.channel(channel)!.members.has(u)), 'Bob and Carol invited');
    for (const person of [USERS.bob, USERS.carol]) {
      await h.waitFor(() => dmsTo(person).some((m) => blocksText(m).includes(`<#${channel}>`)), 'the page DM to link the channel');
      expect(dmsTo(person).filter(hasAckButton)).toHaveLength(1);
    }
  });
});

describe('/incident ack and /incident page', () => {
  it('acknowledges from the incident channel, and pages a person directly', async () => {
    h = await startHarness({ klaxonYml: klaxonYml({ timeout: '1h' }) });
    const channel = await declarePayments();
    await h.waitFor(() => dmsTo(USERS.bob)[0], 'the page DM to Bob');

    const notPaged = await h.slash('ack', { user: USERS.carol, channel });
    expect(notPaged.json().text).toContain('No page for INC-1 is addressed to you');

    const acked = await h.slash('ack', { user: USERS.bob, channel });
    expect(acked.json().text).toContain('You acknowledged INC-1');
    await h.waitFor(() => blocksText(dmsTo(USERS.bob)[0]!).includes('You acknowledged'), "Bob's DM to be edited");
    expect((await h.slash('ack', { user: USERS.bob, channel })).json().text).toContain('You already acknowledged INC-1');

    const paged = await h.slash('page <@U01CAROL|carol>', { channel });
    expect(paged.json().text).toContain('Paging <@U01CAROL>');
    const carolDm = await h.waitFor(() => dmsTo(USERS.carol)[0], 'the direct page to Carol');
    expect(blocksText(carolDm)).toContain('paged by <@U01ALICE>');
    await h.waitFor(() => h.slack.state.messages(channel).find((m) => m.text.includes('Paged <@U01CAROL> (direct page)')), 'the direct page line');
    expect((await h.slash('page <@U01CAROL|carol>', { channel })).json().text).toContain('<@U01CAROL> has already been paged for INC-1');

    // The service is already acknowledged, so it can be paged again; search has nobody on call at all.
    expect((await h.slash('page payments', { channel })).json().text).toContain('Paging the `payments` escalation policy');
    expect((await h.slash('page payments', { channel })).json().text).toContain('Payments API is already being paged for INC-1');
    expect((await h.slash('page nobody-knows', { channel })).json().text).toContain('not `nobody-knows`');
    expect(await escalationsOf(db(), incidentSubject(1))).toHaveLength(3);
  });
});

describe('restarts', () => {
  it('neither loses nor repeats a page when the process restarts in the middle of an escalation', async () => {
    h = await startHarness({ klaxonYml: klaxonYml() });
    await declarePayments();
    await h.waitFor(() => dmsTo(USERS.bob)[0], 'the level 1 page');
    await h.restart();
    await h.fastForward(5 * MINUTE);
    await h.waitFor(() => dmsTo(USERS.carol)[0], 'the level 2 page after the restart');
    await clickAck(USERS.carol, dmsTo(USERS.carol)[0]!);
    await h.waitFor(() => blocksText(dmsTo(USERS.bob)[0]!).includes('<@U01CAROL> acknowledged'), "Bob's DM to be edited");
    expect(dmsTo(USERS.bob)).toHaveLength(1);
    expect(dmsTo(USERS.carol)).toHaveLength(1);
  });
});
