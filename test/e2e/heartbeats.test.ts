/**
 * Heartbeats, a dead man's switch, over real HTTP with the clock fast-forwarded: heartbeats (POST
 * /heartbeats/<id>, or Alertmanager's always-firing Watchdog alert at /alerts/<id>) keep everyone asleep; a
 * deadline that passes in silence pages the integration's service as an alert would; the next heartbeat resolves
 * that alert and withdraws its page. Refused heartbeats count for nothing, and a restart keeps the deadline.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/simulator/slack/index.ts';
import { INCIDENTS_CHANNEL, PAYMENTS_PAGES_BOB_YML, startHarness, USERS, type Harness } from '../support/harness.ts';

const TOKEN = 'heartbeat-test-token-0123456789';
const MINUTE = 60_000;
const PERIOD = 10 * MINUTE;
const YML = `${PAYMENTS_PAGES_BOB_YML}
integrations:
  - id: prod-alertmanager
    kind: alertmanager
    service: payments
    secret_env: KLAXON_ALERTS_PROD_TOKEN
    heartbeat: 10m
  - id: no-heartbeat
    kind: generic
    service: payments
    secret_env: KLAXON_ALERTS_PROD_TOKEN
`;
const FIRING = JSON.parse(readFileSync('test/fixtures/alerts/alertmanager-real-firing.json', 'utf8')) as { alerts: { labels: Record<string, string>; annotations: Record<string, string>; fingerprint: string }[]; groupKey: string };

/** Alertmanager's webhook body for kube-prometheus's Watchdog, as its dead man's switch receiver sends it. */
function watchdogBody(status: 'firing' | 'resolved' = 'firing'): string {
  const alert = { ...FIRING.alerts[0]!, status, labels: { alertname: 'Watchdog', severity: 'none', prometheus: 'monitoring/k8s' }, annotations: { summary: 'An alert that should always be firing to certify that Alertmanager is working properly.' }, fingerprint: 'e3c4a5d1b2f60789' };
  return JSON.stringify({ ...FIRING, status, alerts: [alert], groupLabels: { alertname: 'Watchdog' }, commonLabels: alert.labels, commonAnnotations: alert.annotations, groupKey: '{}/{alertname="Watchdog"}:{alertname="Watchdog"}' });
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const start = () => startHarness({ klaxonYml: YML, env: { KLAXON_ALERTS_PROD_TOKEN: TOKEN } });
const auth = (token: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
const heartbeat = (integration = 'prod-alertmanager', token = TOKEN, body = '') => h.post(`/heartbeats/${integration}`, body, auth(token));
const postAlerts = (body: string) => h.post('/alerts/prod-alertmanager', body, { 'content-type': 'application/json', ...auth(TOKEN) });
const text = (m: Message | undefined): string => `${m?.text ?? ''} ${JSON.stringify(m?.blocks ?? [])}`;
const pagesTo = (userId: string): Message[] => h.slack.state.dmsWith(userId).filter((m) => text(m).includes('You are paged'));
const alertMessage = (ref: string): Message | undefined => h.slack.state.messages(INCIDENTS_CHANNEL).find((m) => text(m).includes(`${ref}:`));
const count = async (table: string): Promise<number> => Number((await h.rows<{ n: number }>(sql`select count(*) as n from ${sql.raw(table)}`))[0]!.n);
const heartbeatRow = async () => (await h.rows<{ last: number | null; deadline: number; missed: number | null }>(sql`select last_heartbeat_at as last, deadline_at as deadline, missed_group_id as missed from heartbeats where integration_id = 'prod-alertmanager'`))[0]!;
const pendingDeadlines = async () => (await h.rows<{ key: string }>(sql`select key from jobs where kind = 'alerts.heartbeat_missed' and status = 'pending'`)).map((j) => j.key);

describe('heartbeats', () => {
  it('keep everyone asleep; a missed one pages the service once, and the next heartbeat resolves it and withdraws the page', async () => {
    h = await start();
    const first = await heartbeat();
    expect(first.status).toBe(200);
    expect(Date.parse(first.json().nextDueAt as string)).toBe(Number((await heartbeatRow()).last) + PERIOD);
    // Several periods, each heartbeat a little before the deadline: the deadline moves each time, and nobody is paged.
    for (let i = 0; i < 4; i += 1) {
      await h.fastForward(9 * MINUTE);
      expect((await heartbeat()).status).toBe(200);
    }
    expect(await pendingDeadlines()).toHaveLength(1);
    expect([await count('alert_groups'), pagesTo(USERS.bob).length]).toEqual([0, 0]);

    // Silence: the deadline passes, and Bob is paged as for an alert.
    await h.fastForward(PERIOD + 1_000);
    const page = await h.waitFor(() => pagesTo(USERS.bob)[0], 'Bob’s page for the missed heartbeat');
    expect(text(page)).toContain('You are paged for ALERT-1: No heartbeat from prod-alertmanager for 10m');
    expect(text(page)).toContain('High urgency');
    expect(text(await h.waitFor(() => alertMessage('ALERT-1'), 'the alert in #incidents'))).toContain(':red_circle: Firing');
    expect(await h.rows(sql`select service_id as service, urgency, status from alert_groups`)).toEqual([{ service: 'payments', urgency: 'high', status: 'firing' }]);
    expect((await heartbeatRow()).missed).toBe(1);
    // The silence goes on: it is the same alert, which pages nobody again.
    await h.fastForward(3 * PERIOD);
    expect([await count('alert_groups'), pagesTo(USERS.bob).length]).toEqual([1, 1]);

    // Heartbeats resume: the alert resolves at its source, and the unanswered page is withdrawn.
    const resumed = await heartbeat();
    expect(resumed.json()).toMatchObject({ integration: 'prod-alertmanager', resolved: 'ALERT-1' });
    await h.waitFor(() => text(h.slack.state.dmsWith(USERS.bob).find((m) => m.ts === page.ts)).includes('This page was withdrawn'), 'the page withdrawn');
    await h.waitFor(() => text(alertMessage('ALERT-1')).includes('Resolved at its source'), 'the alert message resolved');
    expect(await h.rows(sql`select status from alert_groups`)).toEqual([{ status: 'resolved' }]);
    expect(await h.rows(sql`select status from escalations`)).toEqual([{ status: 'cancelled' }]);
    expect((await heartbeatRow()).missed).toBeNull();
    expect(await pendingDeadlines()).toHaveLength(1);
  });

  it('come as Alertmanager’s Watchdog alert too, which is a heartbeat and never an alert', async () => {
    h = await start();
    for (let i = 0; i < 3; i += 1) {
      const answer = await postAlerts(watchdogBody());
      expect(answer.status).toBe(200);
      expect(answer.json()).toMatchObject({ received: 0, opened: 0, groups: [], paged: [] });
      expect(Date.parse((answer.json().heartbeat as { nextDueAt: string }).nextDueAt)).toBe(Number((await heartbeatRow()).last) + PERIOD);
      await h.fastForward(9 * MINUTE);
    }
    // A resolved Watchdog is no heartbeat (Prometheus stopped sending it), and no alert either.
    expect((await postAlerts(watchdogBody('resolved'))).json()).not.toHaveProperty('heartbeat');
    expect([await count('alert_groups'), await count('alerts'), pagesTo(USERS.bob).length]).toEqual([0, 0, 0]);

    // The Watchdog stops: one period after the last one, the missed heartbeat pages.
    await h.fastForward(MINUTE + 1_000);
    await h.waitFor(() => pagesTo(USERS.bob)[0], 'Bob’s page for the missed heartbeat');
    // The Watchdog comes back: that resolves it.
    expect((await postAlerts(watchdogBody())).json()).toMatchObject({ received: 0, groups: ['ALERT-1'] });
    await h.waitFor(() => text(alertMessage('ALERT-1')).includes('Resolved at its source'), 'the alert message resolved');
    expect(await count('alerts')).toBe(1);
  });

  it('refused (401 wrong token, 404 unknown integration or one without heartbeat, 413 too large) count for nothing; the first deadline counts from the start', async () => {
    h = await start();
    const before = await heartbeatRow();
    expect(before.last).toBeNull();
    const wrong = await heartbeat('prod-alertmanager', 'not-the-token');
    expect([wrong.status, wrong.text]).toEqual([401, 'Unauthorized: send the integration\'s token as "Authorization: Bearer <token>".\n']);
    expect((await heartbeat('prod-alertmanager', '')).status).toBe(401);
    expect((await heartbeat('nobody-knows-me')).status).toBe(404);
    const without = await heartbeat('no-heartbeat');
    expect([without.status, without.text]).toEqual([404, 'no-heartbeat expects no heartbeats: give it "heartbeat: 10m" (say) in klaxon.yml.\n']);
    expect((await heartbeat('prod-alertmanager', TOKEN, 'x'.repeat(5 * 1024 * 1024))).status).toBe(413);
    expect(await heartbeatRow()).toEqual(before);
    expect(await count('heartbeats')).toBe(1);

    // Ten minutes after the start, having heard nothing that counts, Klaxon pages.
    await h.fastForward(PERIOD - MINUTE);
    expect(pagesTo(USERS.bob)).toHaveLength(0);
    await h.fastForward(MINUTE + 1_000);
    const page = await h.waitFor(() => pagesTo(USERS.bob)[0], 'Bob’s page for the missed heartbeat');
    expect(text(page)).toContain('No heartbeat from prod-alertmanager for 10m');
  });

  it('keep their deadline through a restart', async () => {
    h = await start();
    await heartbeat();
    const { deadline } = await heartbeatRow();
    await h.fastForward(6 * MINUTE);
    await h.restart();
    expect((await heartbeatRow()).deadline).toBe(deadline);
    expect(await pendingDeadlines()).toEqual([`heartbeat:prod-alertmanager:${new Date(deadline).toISOString()}`]);
    await h.fastForward(3 * MINUTE);
    expect(pagesTo(USERS.bob)).toHaveLength(0);
    await h.fastForward(MINUTE + 1_000);
    await h.waitFor(() => pagesTo(USERS.bob)[0], 'Bob’s page for the missed heartbeat');
    // And a restart while it is missed neither pages again nor forgets it: the next heartbeat resolves it.
    await h.restart();
    await h.fastForward(PERIOD);
    expect(pagesTo(USERS.bob)).toHaveLength(1);
    expect((await heartbeat()).json()).toMatchObject({ resolved: 'ALERT-1' });
  });

  it('get a full period after a start that comes later than the deadline: nobody could hear them while Klaxon was down', async () => {
    h = await start();
    await heartbeat();
    await h.restart({ downMs: 3 * PERIOD });
    await h.fastForward(PERIOD - MINUTE);
    expect(pagesTo(USERS.bob)).toHaveLength(0);
    expect(await count('alert_groups')).toBe(0);
    await h.fastForward(MINUTE + 1_000);
    await h.waitFor(() => pagesTo(USERS.bob)[0], 'Bob’s page for the missed heartbeat');
  });
});
