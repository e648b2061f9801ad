/**
 * The whole life of an incident while Slack fails: every Web API method the flows use answers 429 (with
 * Retry-After) or 500 the first time it is called, or every call is slow. Declaring, paging, acknowledging, a
 * status update, a pinned message, resolving, the post-mortem and its replacement, and the Home tab must all
 * end complete, with nothing made twice and no job left failed.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { getIncident } from '../../src/incidents/index.ts';
import type { Failure } from '../../src/simulator/slack/index.ts';
import { INCIDENTS_CHANNEL, PAYMENTS_PAGES_BOB_YML, startHarness, USERS, type Harness } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const YML = PAYMENTS_PAGES_BOB_YML;

const RUNBOOK = `---
title: Payments API 5xx spike
services: [payments]
tags: [payments]
last_reviewed: 2026-10-01
---
Roll back the last deploy.
`;

/** Every Web API method the life of an incident uses. */
const METHODS = [
  'conversations.create',
  'conversations.setTopic',
  'conversations.setPurpose',
  'conversations.invite',
  'chat.postMessage',
  'pins.add',
  'chat.update',
  'bookmarks.add',
  'conversations.history',
  'chat.getPermalink',
  'users.info',
  'views.publish',
  'files.getUploadURLExternal',
  'files.completeUploadExternal',
  'files.delete',
];

const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function postmortem(summary: string): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {
    summary: text(summary), impact: text(null), detection: text(null), trigger: text(null), root_cause: text(null), contributing: text(null), went_well: text(null), went_badly: text(null), lucky: text(null),
    why_1: text('Checkout fails'), why_2: text('The pool was exhausted'), why_3: text(null), why_4: text(null), why_5: text(null),
    create_problem: { value: { type: 'checkboxes', selected_options: [] } },
  };
  for (let n = 1; n <= 5; n += 1) {
    values[`action_${n}_what`] = text(n === 1 ? 'Raise the pool' : null);
    values[`action_${n}_owner`] = { value: { type: 'users_select', selected_user: n === 1 ? USERS.bob : null } };
    values[`action_${n}_due`] = { value: { type: 'datepicker', selected_date: n === 1 ? inDays(10) : null } };
  }
  return values;
}

async function liveAnIncident(): Promise<void> {
  await h.slash('declare sev2 payments Checkout returns 502');
  const inc = await h.waitFor(
    async () => {
      const inc = await getIncident(h.klaxon.database.db, 1);
      return inc?.provisioning === 'done' && inc;
    },
    'INC-1 to be set up',
    30_000,
  );
  const channel = inc.channelId!;
  await h.waitFor(() => h.slack.state.dmsWith(USERS.bob).some((m) => JSON.stringify(m.blocks ?? '').includes('oncall.ack')), 'Bob’s page', 30_000);
  await h.slash('ack', { channel, user: USERS.bob });
  await h.slash('update Rolled back 4.2', { channel });
  const said = h.slack.state.postAsUser(channel, USERS.carol, 'Error rate back to normal');
  await h.event({ type: 'reaction_added', user: USERS.alice, reaction: 'pushpin', item_user: USERS.carol, item: { type: 'message', channel, ts: said.ts } });
  await h.slash('resolve Rolled back release 4.2', { channel });
  await h.submitView({ userId: USERS.alice, view: { id: 'VPM1', callback_id: 'postmortem.form', private_metadata: JSON.stringify({ incidentId: 1 }) }, values: postmortem('First version.') });
  await h.waitFor(() => h.slack.state.filesIn(channel).length === 1, 'the post-mortem file', 30_000);
  await h.submitView({ userId: USERS.alice, view: { id: 'VPM2', callback_id: 'postmortem.form', private_metadata: JSON.stringify({ incidentId: 1 }) }, values: postmortem('Second version.') });
  await h.event({ type: 'app_home_opened', user: USERS.carol, channel: 'D0CAROL', tab: 'home' });
}

async function expectCompleteAndSingle(): Promise<void> {
  const inc = (await getIncident(h.klaxon.database.db, 1))!;
  const channel = inc.channelId!;
  const messages = () => h.slack.state.messages(channel);
  await h.waitFor(() => h.slack.state.filesIn(channel).length === 1 && h.slack.state.filesIn(channel)[0]!.content.includes('Second version.'), 'the second version, alone', 30_000);
  await h.waitFor(() => h.slack.state.homeView(USERS.carol), 'Carol’s Home tab', 30_000);
  await h.waitFor(async () => (await h.rows<{ n: number }>(sql`select count(*) as n from timeline_events where kind = 'message' and text is not null and permalink is not null`))[0]!.n === 1, 'the pinned message complete', 30_000);
  await h.waitFor(() => h.slack.state.channel(channel)!.topic.value.includes('Resolved'), 'the topic to say resolved', 30_000);
  await h.waitFor(async () => (await h.rows<{ n: number }>(sql`select count(*) as n from jobs where status in ('pending', 'running') and due_at <= ${h.clock.now()}`))[0]!.n === 0, 'every due job to finish', 30_000);
  await h.klaxon.scheduler.idle();

  expect(h.slack.state.channels().filter((c) => c.name.startsWith('inc-1-'))).toHaveLength(1);
  const summary = messages().filter((m) => m.ts === inc.summaryTs);
  expect(summary).toHaveLength(1);
  expect(summary[0]!.text).toContain('Resolved');
  expect(h.slack.state.channel(channel)!.pins).toEqual([inc.summaryTs]);
  expect(messages().filter((m) => m.text.startsWith('Update on INC-1'))).toHaveLength(1);
  expect(messages().filter((m) => m.text.startsWith('INC-1 resolved'))).toHaveLength(1);
  expect(messages().filter((m) => /runbook/i.test(JSON.stringify(m.blocks ?? '')))).toHaveLength(1);
  expect(h.slack.state.bookmarksOf(channel)).toHaveLength(1);
  const announced = h.slack.state.messages(INCIDENTS_CHANNEL);
  expect(announced.filter((m) => m.text.includes('INC-1') && m.text.includes('join'))).toHaveLength(1);
  expect(announced.filter((m) => m.text.startsWith('Update on INC-1'))).toHaveLength(1);
  const pageDms = h.slack.state.dmsWith(USERS.bob).filter((m) => JSON.stringify(m.blocks ?? '').includes('INC-1'));
  expect(pageDms).toHaveLength(1);
  expect(JSON.stringify(pageDms[0]!.blocks)).toContain('You acknowledged');
  expect(await h.rows(sql`select count(*) as n from timeline_events where kind in ('update', 'resolved', 'message')`)).toEqual([{ n: 3 }]);
  expect(await h.rows(sql`select kind, key, last_error as error from jobs where status = 'failed'`)).toEqual([]);
}

describe('the life of an incident while Slack fails', () => {
  // Klaxon waits out each Retry-After on its clock; the test moves the clock on rather than waiting in real time.
  const faults: [string, Failure, number][] = [
    ['a 500', { status: 500 }, 0],
    ['a 429 with Retry-After', { status: 429, retryAfter: 1 }, 250],
  ];
  for (const [name, failure, fastForwardWhileWaitingMs] of faults) {
    it(`ends complete, with nothing twice, when every method answers ${name} the first time`, { timeout: 90_000 }, async () => {
      h = await startHarness({ klaxonYml: YML, runbooks: { 'payments-5xx-spike.md': RUNBOOK }, fastForwardWhileWaitingMs });
      for (const method of METHODS) h.slack.failNext(method, failure);
      h.slack.failNextUpload(500);
      await liveAnIncident();
      await expectCompleteAndSingle();
      for (const method of METHODS) expect(h.slack.calls(method).some((c) => !c.ok), `${method} was made to fail`).toBe(true);
    });
  }

  it('ends complete, with nothing twice, when every method answers only after Klaxon has stopped waiting the first time', { timeout: 90_000 }, async () => {
    // Slack does the work at once and answers late; Klaxon gives up at 400 ms, as it gives up at 10 s in production.
    h = await startHarness({ klaxonYml: YML, runbooks: { 'payments-5xx-spike.md': RUNBOOK }, slackTimeoutMs: 400 });
    for (const method of METHODS) h.slack.failNext(method, { delayMs: 1000 });
    await liveAnIncident();
    await expectCompleteAndSingle();
    for (const method of METHODS) expect(h.slack.calls(method).length, `${method} was called`).toBeGreaterThan(0);
  });

  it('ends complete when every call is slow', { timeout: 90_000 }, async () => {
    h = await startHarness({ klaxonYml: YML, runbooks: { 'payments-5xx-spike.md': RUNBOOK } });
    h.slack.setLatency(150);
    await liveAnIncident();
    await expectCompleteAndSingle();
  });
});
