/**
 * Slack out of reach or rate-limiting while people use Klaxon. Out of reach at start: commands are answered at
 * once and carried out (nothing waits for Slack to say who the bot is), /healthz and /metrics say Slack cannot
 * be reached and why, and when Slack is back the incident is set up and its page sent, once. Rate-limiting a
 * check made while a person waits: the answer says so and when to try again, and nothing changes.
 */
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { getIncident } from '../../src/incidents/index.ts';
import { listTimeline } from '../../src/incidents/store.ts';
import { declareFormValues, slashCommandBody } from '../../src/simulator/requests.ts';
import { signedHeaders } from '../../src/simulator/sign.ts';
import { PAYMENTS_PAGES_BOB_YML, SIGNING_SECRET, startHarness, USERS, type Harness } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

describe('Slack out of reach at start', () => {
  it('answers and records a declaration at once, reports Slack unreachable, and finishes the incident when Slack is back', { timeout: 60_000 }, async () => {
    h = await startHarness({ klaxonYml: PAYMENTS_PAGES_BOB_YML });
    await h.slack.goOffline();
    await h.restart();

    const answer = await h.slash('declare sev2 payments Checkout returns 502');
    expect(answer.status).toBe(200);
    expect(answer.json().text).toMatch(/\*INC-1\* declared: Checkout returns 502/);
    expect(await getIncident(h.klaxon.database.db, 1)).toMatchObject({ title: 'Checkout returns 502', provisioning: 'pending', channelId: null });

    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: false, database: 'reachable', slack: 'unreachable', slackError: expect.stringMatching(/^[a-zA-Z.]+ to 127\.0\.0\.1:\d+: ECONNREFUSED$/) });
    expect(await (await fetch(`${h.baseUrl}/metrics`)).text()).toMatch(/^klaxon_slack_reachable 0$/m);

    await h.slack.goOnline();
    const inc = await h.provisioned(1, 45_000);
    await h.waitFor(() => h.slack.state.dmsWith(USERS.bob).some((m) => JSON.stringify(m.blocks ?? '').includes('oncall.ack')), 'Bob’s page', 30_000);
    expect(h.slack.state.channels().filter((c) => c.name.startsWith('inc-1-'))).toHaveLength(1);
    expect(h.slack.state.messages(inc.channelId!).filter((m) => m.ts === inc.summaryTs)).toHaveLength(1);
    expect(h.slack.state.dmsWith(USERS.bob).filter((m) => JSON.stringify(m.blocks ?? '').includes('oncall.ack'))).toHaveLength(1);
    const engine = process.env.KLAXON_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
    expect(await (await fetch(`${h.baseUrl}/healthz`)).json()).toEqual({ instance: `${hostname()}:${process.pid}`, engine, ok: true, database: 'reachable', slack: 'reachable' });
    expect(await (await fetch(`${h.baseUrl}/metrics`)).text()).toMatch(/^klaxon_slack_reachable 1$/m);
  });
});

describe('Slack rate-limiting a check made while a person waits', () => {
  it('says Slack is rate-limiting and to try again in a minute, changes nothing, and works when tried again', { timeout: 30_000 }, async () => {
    h = await startHarness();
    await h.submitView({ userId: USERS.alice, view: { id: 'V1', callback_id: 'incident.declare' }, values: declareFormValues({ title: 'Fraud investigation', severity: 'sev2', private: true }) });
    await h.provisioned(1);
    // Whether Alice may use a private incident from #general is Slack's to say (conversations.members).
    h.slack.failNext('conversations.members', { status: 429, retryAfter: 30 });
    const refused = (await h.slash('note INC-1 Card processor confirms the outage')).json().text as string;
    expect(refused).toMatch(/^Slack is limiting how fast Klaxon may call it right now\. Try again in a minute\.\nNothing was changed\. You typed:\n```\/incident note INC-1 Card processor confirms the outage```$/);
    expect((await listTimeline(h.klaxon.database.db, 1)).filter((e) => e.kind === 'note')).toHaveLength(0);

    expect((await h.slash('note INC-1 Card processor confirms the outage')).json().text).not.toContain('Nothing was changed');
    expect((await listTimeline(h.klaxon.database.db, 1)).filter((e) => e.kind === 'note').map((e) => e.text)).toEqual(['Card processor confirms the outage']);
  });
});

describe('a command whose answer needs Slack', () => {
  it('is acknowledged before Slack is asked, and answered through its response_url', { timeout: 30_000 }, async () => {
    h = await startHarness({ klaxonYml: PAYMENTS_PAGES_BOB_YML });
    // Alice's time zone takes Slack a second and a half: the acknowledgement must not wait for it.
    h.slack.failNext('users.info', { delayMs: 1500 });
    const responseUrl = h.slack.createResponseUrl({ channel: 'C0GENERAL' });
    const body = slashCommandBody({ text: 'oncall', userId: USERS.alice, channelId: 'C0GENERAL', responseUrl, triggerId: h.slack.issueTriggerId() });
    const acked = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded'));
    expect(acked).toMatchObject({ status: 200, text: '' });
    const answered = await h.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl), 'the answer');
    expect(answered.body).toMatchObject({ response_type: 'ephemeral', text: 'Who is on call for 1 service' });
    expect(h.slack.calls('users.info').length).toBeGreaterThan(0);
  });
});
