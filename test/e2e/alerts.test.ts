/**
 * Alerts in, over real HTTP: Alertmanager's webhook (the bodies a real Alertmanager 0.25 sent, recorded by
 * test/integration/monitoring-stack.test.ts) pages the service's rota by DM, the same alert sent again pages no
 * one, acknowledging the page acknowledges the alert, and the resolved notification resolves it; every message
 * about it is edited in place. Bad requests are refused in one line and change nothing.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { blockActionPayload, declareFormValues } from '../../src/simulator/requests.ts';
import type { Message } from '../../src/simulator/slack/index.ts';
import { ALERTS_TOKEN, INCIDENTS_CHANNEL, PAYMENTS_PAGES_BOB_YML, PROD_ALERTMANAGER_YML, paymentsPagesBobThenCarolYml, startHarness, USERS, type Harness } from '../support/harness.ts';
import { startMonitoringStack, type MonitoringStack } from '../support/monitoring.ts';

const TOKEN = ALERTS_TOKEN;
const INTEGRATION = PROD_ALERTMANAGER_YML;
const YML = `${PAYMENTS_PAGES_BOB_YML}${INTEGRATION}`;
const FIRING = readFileSync('test/fixtures/alerts/alertmanager-real-firing.json', 'utf8');
const RESOLVED = readFileSync('test/fixtures/alerts/alertmanager-real-resolved.json', 'utf8');

let h: Harness;
let stack: MonitoringStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  await h?.close();
});

const start = (klaxonYml = YML) => startHarness({ klaxonYml, env: { KLAXON_ALERTS_PROD_TOKEN: TOKEN } });
const postAlerts = (body: string, token = TOKEN, integration = 'prod-alertmanager') =>
  h.post(`/alerts/${integration}`, body, { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });
const text = (m: Message | undefined): string => `${m?.text ?? ''} ${JSON.stringify(m?.blocks ?? [])}`;
const pagesTo = (userId: string): Message[] => h.slack.state.dmsWith(userId).filter((m) => text(m).includes('oncall.ack') || text(m).includes('ALERT-'));
const alertMessage = (): Message | undefined => h.slack.state.messages(INCIDENTS_CHANNEL).find((m) => text(m).includes('ALERT-1'));
const count = async (table: string): Promise<number> => (await h.rows<{ n: number }>(sql`select count(*) as n from ${sql.raw(table)}`))[0]!.n;

/** Clicks a button of a DM (`actionId`), with the value the message carries for it (or had); resolves with the answer. */
async function click(userId: string, message: Message, actionId: string, value = valueOf(message, actionId)): Promise<string> {
  const channel = h.slack.state.imWith(userId).id;
  const responseUrl = h.slack.createResponseUrl({ channel, messageTs: message.ts, user: userId });
  await h.interact(blockActionPayload({ userId, channelId: channel, messageTs: message.ts, responseUrl, triggerId: h.slack.issueTriggerId(), actionId, blockId: 'oncall.page_actions', value }));
  const reply = await h.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl), 'the answer to the click');
  return (reply.body as { text: string }).text;
}
const valueOf = (message: Message, actionId: string): string => new RegExp(`"action_id":"${actionId.replace('.', '\\.')}","value":"(\\d+)"`).exec(text(message))![1]!;
const clickAck = (userId: string, message: Message) => click(userId, message, 'oncall.ack');

describe('an Alertmanager alert', () => {
  it('pages the rota by DM, pages no one for a repeat, and is acknowledged and resolved everywhere', async () => {
    h = await start();
    const answer = await postAlerts(FIRING);
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ received: 1, opened: 1, repeated: 0, groups: ['ALERT-1'], paged: ['ALERT-1'] });

    const page = await h.waitFor(() => pagesTo(USERS.bob).find((m) => text(m).includes('oncall.ack')), 'Bob’s page');
    expect(text(page)).toContain('You are paged for ALERT-1: Payments is failing its checks');
    expect(text(page)).toContain('`alertname=PaymentsDown`');
    expect(text(page)).toContain('<https://runbooks.example.com/payments/payments-down|Runbook>');
    const posted = await h.waitFor(alertMessage, 'the alert in #incidents');
    expect(text(posted)).toContain(':red_circle: Firing *ALERT-1: Payments is failing its checks*');

    // Alertmanager sends an unresolved alert again every repeat_interval: it is the same alert, and nobody is paged again.
    expect((await postAlerts(FIRING)).json()).toMatchObject({ received: 1, opened: 0, repeated: 1, paged: [] });
    await h.fastForward(60_000);
    expect(pagesTo(USERS.bob).filter((m) => text(m).includes('You are paged'))).toHaveLength(1);
    expect(await count('alert_groups')).toBe(1);
    expect((await h.rows<{ times: number }>(sql`select times_received as times from alerts`))[0]!.times).toBe(2);

    expect(await clickAck(USERS.bob, page)).toMatch(/You acknowledged ALERT-1/);
    await h.waitFor(() => text(alertMessage()).includes(`Acknowledged by <@${USERS.bob}>`), 'the alert message to say who acknowledged');

    expect((await postAlerts(RESOLVED)).json()).toMatchObject({ received: 1, repeated: 1, groups: ['ALERT-1'] });
    await h.waitFor(() => text(alertMessage()).includes(':large_green_circle: Resolved'), 'the alert message to say it resolved');
    expect(text(alertMessage())).toContain('Resolved at its source');
    expect((await h.rows<{ status: string }>(sql`select status from alert_groups`))[0]!.status).toBe('resolved');
  });

  it('withdraws an unanswered page when the alert resolves at its source', async () => {
    h = await start();
    await postAlerts(FIRING);
    const page = await h.waitFor(() => pagesTo(USERS.bob).find((m) => text(m).includes('oncall.ack')), 'Bob’s page');
    await postAlerts(RESOLVED);
    await h.waitFor(() => {
      const now = h.slack.state.dmsWith(USERS.bob).find((m) => m.ts === page.ts);
      return now && text(now).includes('This page was withdrawn') && !text(now).includes('oncall.ack');
    }, 'the page DM to say it was withdrawn');
    expect((await h.rows<{ status: string }>(sql`select status from escalations`))[0]!.status).toBe('cancelled');
  });

  it('shows labels and annotations as inert text: no mention, no link, no formatting', async () => {
    h = await start();
    const hostile = JSON.parse(FIRING) as { alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] };
    hostile.alerts[0]!.labels.alertname = '<!channel> <@U01ALICE> `x` *bold*';
    hostile.alerts[0]!.annotations.summary = 'Payments <!here> down <https://evil.example|click>';
    await postAlerts(JSON.stringify(hostile));
    const page = await h.waitFor(() => pagesTo(USERS.bob).find((m) => text(m).includes('oncall.ack')), 'Bob’s page');
    for (const shown of [text(page), text(await h.waitFor(alertMessage, 'the alert message'))]) {
      expect(shown).not.toMatch(/<!channel>|<!here>|<@U01ALICE>|<https:\/\/evil/);
      expect(shown).toContain('&lt;!here&gt;');
    }
  });
});

describe('the buttons of an alert’s page', () => {
  it('Resolve: resolves it by hand, withdraws the page and says who resolved it everywhere', async () => {
    h = await start();
    await postAlerts(FIRING);
    const page = await h.waitFor(() => pagesTo(USERS.bob).find((m) => text(m).includes('alerts.resolve')), 'Bob’s page');
    expect(await click(USERS.bob, page, 'alerts.resolve')).toBe(':white_check_mark: You resolved ALERT-1. Its unanswered pages were withdrawn. If it fires again, it pages again.');
    await h.waitFor(() => text(alertMessage()).includes(`Resolved by <@${USERS.bob}>`), 'the alert message to say who resolved it');
    expect(text(alertMessage())).not.toContain('alerts.resolve');
    await h.waitFor(() => text(h.slack.state.dmsWith(USERS.bob).find((m) => m.ts === page.ts)).includes('This page was withdrawn'), 'the page withdrawn');
    // The button as it was shown before the message was edited, clicked again (later than a double click).
    await h.fastForward(2_000);
    expect(await click(USERS.bob, page, 'alerts.resolve', '1')).toMatch(/^ALERT-1 was already resolved by <@U01BOB> .*Nothing was changed\.$/);
    // The same alert firing again is a new alert group, and pages again.
    expect((await postAlerts(FIRING)).json()).toMatchObject({ groups: ['ALERT-2'], paged: ['ALERT-2'] });
  });

  it('Escalate now: pages the next level at once, and says so at the last level', async () => {
    h = await start(`${paymentsPagesBobThenCarolYml(3600)}${INTEGRATION}`);
    await postAlerts(FIRING);
    const bobPage = await h.waitFor(() => pagesTo(USERS.bob).find((m) => text(m).includes('alerts.escalate')), 'Bob’s page');
    expect(await click(USERS.bob, bobPage, 'alerts.escalate')).toBe(':arrow_double_up: ALERT-1 escalated: level 2 is paged now.');
    // No time passes: Carol is paged because Bob asked, not because level 1 timed out.
    const carolPage = await h.waitFor(() => pagesTo(USERS.carol).find((m) => text(m).includes('alerts.escalate')), 'Carol’s page');
    expect(await click(USERS.carol, carolPage, 'alerts.escalate')).toMatch(/^This is the last level of the Payments API's escalation: there is nobody further to page\./);
    expect(await h.rows<{ level: number }>(sql`select level from escalation_steps order by id`)).toEqual([{ level: 0 }, { level: 1 }]);
  });
});

describe('declaring an incident from an alert', () => {
  /** Clicks Declare incident on Bob's page and submits the form as Klaxon filled it in; returns the form. */
  async function declareFromPage(page: Message) {
    const triggerId = h.slack.issueTriggerId();
    const channel = h.slack.state.imWith(USERS.bob).id;
    await h.interact(blockActionPayload({ userId: USERS.bob, channelId: channel, messageTs: page.ts, responseUrl: h.slack.createResponseUrl({ channel }), triggerId, actionId: 'alerts.declare', blockId: 'oncall.page_actions', value: valueOf(page, 'alerts.declare') }));
    const opened = await h.waitFor(() => h.slack.calls('views.open').find((c) => c.args.trigger_id === triggerId && c.ok), 'the declare form');
    const view = opened.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    await h.submitView({ userId: USERS.bob, view: { id: 'V1', callback_id: view.callback_id, private_metadata: view.private_metadata }, values: declareFormValues({ title: 'Card payments failing', severity: 'sev1', service: 'payments' }) });
    await h.provisioned(1);
    return view;
  }

  it('opens the form filled in from the alert; the incident starts its timeline at the alert and takes over its page', async () => {
    h = await start();
    await postAlerts(FIRING);
    const page = await h.waitFor(() => pagesTo(USERS.bob).find((m) => text(m).includes('alerts.declare')), 'Bob’s page');
    const view = await declareFromPage(page);
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"Payments is failing its checks"');
    expect(JSON.stringify(view.blocks)).toContain('"value":"sev1"'); // severity=critical
    expect(JSON.parse(view.private_metadata)).toEqual({ alertGroupId: 1 });

    expect((await h.rows<{ incidentId: number }>(sql`select incident_id as "incidentId" from alert_groups`))[0]!.incidentId).toBe(1);
    const firedAt = Date.parse((JSON.parse(FIRING) as { alerts: { startsAt: string }[] }).alerts[0]!.startsAt);
    const entries = await h.rows<{ kind: string; at: number; text: string }>(sql`select kind, at, text from timeline_events where incident_id = 1 order by at, id`);
    expect(entries[0]).toEqual({ kind: 'alert_fired', at: firedAt, text: 'Payments is failing its checks' });
    // The alert's page is withdrawn; the incident pages the service as any declaration does.
    await h.waitFor(() => text(h.slack.state.dmsWith(USERS.bob).find((m) => m.ts === page.ts)).includes('This page was withdrawn'), 'the alert’s page withdrawn');
    await h.waitFor(() => pagesTo(USERS.bob).find((m) => text(m).includes('You are paged for INC-1')), 'the incident’s page');
    await h.waitFor(() => text(alertMessage()).includes('Declared as INC-1'), 'the alert message to name the incident');

    // The group's later alerts join the incident's timeline; nobody is paged for them.
    const later = JSON.parse(FIRING) as { alerts: { fingerprint: string; labels: Record<string, string>; annotations: Record<string, string> }[] };
    later.alerts[0]!.fingerprint = 'another-instance';
    later.alerts[0]!.annotations.summary = 'Payments failing on payments-api-2';
    expect((await postAlerts(JSON.stringify(later))).json()).toMatchObject({ opened: 1, paged: [], groups: ['ALERT-1'] });
    expect((await postAlerts(RESOLVED)).json()).toMatchObject({ repeated: 1 });
    const kinds = (await h.rows<{ kind: string; text: string }>(sql`select kind, text from timeline_events where incident_id = 1 and kind like 'alert_%' order by id`));
    expect(kinds).toEqual([
      { kind: 'alert_fired', text: 'Payments is failing its checks' },
      { kind: 'alert_fired', text: 'Payments failing on payments-api-2' },
      { kind: 'alert_resolved', text: 'Payments is failing its checks' },
    ]);
  });

  it('pages nobody more when the alert was acknowledged: whoever acknowledged it is on it', async () => {
    h = await start();
    await postAlerts(FIRING);
    const page = await h.waitFor(() => pagesTo(USERS.bob).find((m) => text(m).includes('alerts.declare')), 'Bob’s page');
    await clickAck(USERS.bob, page);
    await h.fastForward(2_000);
    await declareFromPage(h.slack.state.dmsWith(USERS.bob).find((m) => m.ts === page.ts) ?? page);
    await h.fastForward(60_000);
    expect(await h.rows<{ n: number }>(sql`select count(*) as n from escalations where incident_id = 1`)).toEqual([{ n: 0 }]);
    expect(pagesTo(USERS.bob).filter((m) => text(m).includes('You are paged for INC-1'))).toHaveLength(0);
    // The acknowledged page no longer offers to declare it again.
    await h.waitFor(() => !text(h.slack.state.dmsWith(USERS.bob).find((m) => m.ts === page.ts)).includes('alerts.declare'), 'the page without Declare incident');
  });
});

describe('an alert storm', () => {
  it('pages a handful of times for a thousand alerts in a minute, and says how many it folded', async () => {
    h = await start();
    const template = JSON.parse(FIRING) as { groupKey: string; alerts: { labels: Record<string, string>; fingerprint: string }[] };
    // 200 source groups of 5 alerts each, as a flapping fleet would send them.
    const bodies = Array.from({ length: 200 }, (_, g) => ({
      ...template,
      groupKey: `{}:{alertname="NodeDown", node="node-${g}"}`,
      alerts: Array.from({ length: 5 }, (_, a) => ({ ...template.alerts[0]!, labels: { ...template.alerts[0]!.labels, node: `node-${g}`, disk: `sd${a}` }, fingerprint: `storm-${g}-${a}` })),
    }));
    for (const body of bodies) expect((await postAlerts(JSON.stringify(body))).status).toBe(200);
    await h.fastForward(5_000);
    const pages = h.slack.state.dmsWith(USERS.bob).filter((m) => text(m).includes('You are paged'));
    expect(pages).toHaveLength(3);
    expect(await count('alerts')).toBe(1000);
    const groups = await h.rows<{ id: number; folded: number }>(sql`select id, folded from alert_groups order by id`);
    expect(groups.map((g) => g.folded)).toEqual([0, 0, 985]);
    // Moving the clock on while waiting: on a busy machine Slack may rate-limit the edits, and Klaxon waits as asked.
    await h.waitFor(async () => {
      await h.fastForward(1_000);
      return text(h.slack.state.messages(INCIDENTS_CHANNEL).find((m) => text(m).includes('ALERT-3'))).includes('985 more folded in from an alert storm');
    }, 'the storm’s count on ALERT-3', 30_000);
    // Edits are gathered (a second apart at most), not one per alert: Slack rate-limits chat.update.
    expect(h.slack.calls('chat.update').filter((c) => c.args.channel === INCIDENTS_CHANNEL).length).toBeLessThan(100);
  });
});

describe('from a real Prometheus and Alertmanager', () => {
  // Real processes in real time (test/support/monitoring.ts): a few seconds to start, a few each way.
  it('pages the on-call person when the rule fires, and resolves the alert everywhere when it stops', { timeout: 90_000 }, async () => {
    h = await start();
    stack = await startMonitoringStack({ webhookUrl: `${h.baseUrl}/alerts/prod-alertmanager`, bearerToken: TOKEN });
    stack.setFailing(1);
    const page = await h.waitFor(() => pagesTo(USERS.bob).find((m) => text(m).includes('oncall.ack')), 'Bob’s page, from Alertmanager', 30_000);
    expect(text(page)).toContain('You are paged for ALERT-1: Payments is failing its checks');
    expect(text(page)).toContain('`severity=critical`');
    await h.waitFor(() => text(alertMessage()).includes(':red_circle: Firing'), 'the alert in #incidents');
    stack.setFailing(0);
    await h.waitFor(() => text(alertMessage()).includes(':large_green_circle: Resolved'), 'the alert resolved, from Alertmanager', 30_000);
    await h.waitFor(() => text(h.slack.state.dmsWith(USERS.bob).find((m) => m.ts === page.ts)).includes('This page was withdrawn'), 'the page withdrawn');
    expect(await count('alert_groups')).toBe(1);
    expect(h.slack.state.dmsWith(USERS.bob).filter((m) => text(m).includes('You are paged'))).toHaveLength(1);
  });
});

describe('the alerts endpoint refuses, records nothing and pages no one', () => {
  it('for a wrong or missing token (401), an unknown integration (404), a body that is not its payload (400) or too large (413)', async () => {
    h = await start();
    const wrong = await postAlerts(FIRING, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Authorization: Bearer');
    expect((await postAlerts(FIRING, '')).status).toBe(401);
    const unknown = await postAlerts(FIRING, TOKEN, 'nobody-knows-me');
    expect(unknown.status).toBe(404);
    const notJson = await postAlerts('{"version": "4", ');
    expect([notJson.status, notJson.text.trim()]).toEqual([400, 'Bad request: the body is not JSON.']);
    const wrongVersion = await postAlerts(JSON.stringify({ ...(JSON.parse(FIRING) as object), version: '3' }));
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.text.split('\n').filter(Boolean)).toHaveLength(1);
    const huge = await postAlerts(`{"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`);
    expect(huge.status).toBe(413);
    await h.fastForward(60_000);
    expect([await count('alert_groups'), await count('alerts'), await count('escalations')]).toEqual([0, 0, 0]);
    expect(h.slack.state.dmsWith(USERS.bob)).toHaveLength(0);
  });
});
