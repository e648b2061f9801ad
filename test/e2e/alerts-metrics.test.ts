/**
 * GET /metrics for alerts, read with the strict parser: what monitoring sent (received, sent again, joining its
 * group, folded in a storm), the alert groups that paged, the webhook requests refused (an unknown integration
 * under one `unknown` label, however it is spelt), and the time from an alert received to its page DM posted.
 * And the same through `npm start`, where the webhook is answered on the main thread and the page DM is posted by
 * the job worker: both threads' counts reach one scrape.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../../src/simulator/slack/index.ts';
import { waitFor } from '../../src/simulator/wait.ts';
import { childAppEnv, startChildApp } from '../support/child-app.ts';
import { ALERTS_TOKEN, INCIDENTS_CHANNEL, PAYMENTS_PAGES_BOB_YML, PROD_ALERTMANAGER_YML, paymentsPagesBobThenCarolYml, startHarness, USERS, type Harness } from '../support/harness.ts';
import { manifestBotScopes } from '../support/manifest.ts';
import { parsePrometheusText } from '../support/prometheus.ts';

const TOKEN = ALERTS_TOKEN;
const INTEGRATION = 'prod-alertmanager';
const INTEGRATIONS = PROD_ALERTMANAGER_YML;
const YML = `${PAYMENTS_PAGES_BOB_YML}${INTEGRATIONS}`;
const FIRING = readFileSync('test/fixtures/alerts/alertmanager-real-firing.json', 'utf8');
const PROD = { integration: INTEGRATION };

let h: Harness | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The firing fixture with another alert (fingerprint) and, given `groupKey`, in another Alertmanager group. */
function alertOf(fingerprint: string, groupKey?: string): string {
  const body = JSON.parse(FIRING) as { alerts: { fingerprint: string }[]; groupKey: string };
  body.alerts[0]!.fingerprint = fingerprint;
  if (groupKey) body.groupKey = groupKey;
  return JSON.stringify(body);
}

async function post(baseUrl: string, body: string, opts: { token?: string; integration?: string } = {}) {
  const response = await fetch(`${baseUrl}/alerts/${opts.integration ?? INTEGRATION}`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token ?? TOKEN}` } });
  return { status: response.status, json: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined };
}

async function scrape(baseUrl: string) {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

const pageDmsTo = (messages: { text?: string }[]) => messages.filter((m) => (m.text ?? '').startsWith('You are paged for ALERT-'));

describe('GET /metrics for alerts', () => {
  it('counts alerts received, sent again and grouped, the group that paged, refused requests, and the time to the page DM', async () => {
    // Bob is paged first; Carol an hour later if he does not acknowledge.
    h = await startHarness({ klaxonYml: `${paymentsPagesBobThenCarolYml(3600)}${INTEGRATIONS}`, env: { KLAXON_ALERTS_PROD_TOKEN: TOKEN } });
    const before = h.clock.now();

    expect((await post(h.baseUrl, FIRING)).json).toMatchObject({ received: 1, opened: 1, paged: ['ALERT-1'] });
    // Alertmanager's repeat of the same alert, then another alert of the same Alertmanager group.
    expect((await post(h.baseUrl, FIRING)).json).toMatchObject({ repeated: 1, paged: [] });
    expect((await post(h.baseUrl, alertOf('another-instance'))).json).toMatchObject({ opened: 1, groups: ['ALERT-1'], paged: [] });
    // Refused: a wrong token, an integration klaxon.yml does not name (twice, spelt two ways), a body that is not JSON.
    expect((await post(h.baseUrl, FIRING, { token: 'not-the-token' })).status).toBe(401);
    expect((await post(h.baseUrl, FIRING, { integration: 'no-such-integration' })).status).toBe(404);
    expect((await post(h.baseUrl, FIRING, { integration: 'made-up-2' })).status).toBe(404);
    expect((await post(h.baseUrl, '{not json')).status).toBe(400);

    await h.waitFor(() => pageDmsTo(h!.slack.state.dmsWith(USERS.bob))[0], 'Bob’s page DM');
    await h.fastForward(0);
    const after = h.clock.now();
    const metrics = await scrape(h.baseUrl);

    expect(metrics.value('klaxon_alerts_received_total', PROD)).toBe(3);
    expect(metrics.value('klaxon_alerts_deduplicated_total', PROD)).toBe(1);
    expect(metrics.value('klaxon_alerts_grouped_total', PROD)).toBe(1);
    expect(metrics.value('klaxon_alerts_folded_total', PROD)).toBe(0);
    expect(metrics.value('klaxon_alert_groups_paged_total', PROD)).toBe(1);
    for (const name of ['klaxon_alerts_received_total', 'klaxon_alert_groups_paged_total']) expect(metrics.families.get(name)?.samples).toHaveLength(1);

    const refused = metrics.families.get('klaxon_alert_requests_refused_total');
    expect(refused?.type).toBe('counter');
    expect(refused?.samples.map((s) => [s.labels, s.value])).toEqual([
      [{ integration: INTEGRATION, status: '400' }, 1],
      [{ integration: INTEGRATION, status: '401' }, 1],
      [{ integration: 'unknown', status: '404' }, 2],
    ]);

    // One page DM (Bob's), posted once: one observation, no later than the whole exchange took.
    const toPage = metrics.histogram('klaxon_alert_to_page_seconds');
    expect(toPage.count).toBe(1);
    expect(toPage.buckets.get(Infinity)).toBe(1);
    expect(toPage.sum).toBeGreaterThanOrEqual(0);
    expect(toPage.sum).toBeLessThanOrEqual((after - before) / 1000);
    expect(metrics.families.get('klaxon_alert_to_page_seconds')?.help).toBeTruthy();

    // An hour later the escalation pages Carol: a page of a later level waited for its timeout, so it is not the
    // time from the alert to its page. Bob's DM is edited, not posted again. Still one observation.
    await h.fastForward(3_600_000);
    await h.waitFor(() => pageDmsTo(h!.slack.state.dmsWith(USERS.carol))[0], 'Carol’s page DM');
    await h.fastForward(0);
    const later = await scrape(h.baseUrl);
    expect(later.histogram('klaxon_alert_to_page_seconds').count).toBe(1);
    expect(later.value('klaxon_alert_groups_paged_total', PROD)).toBe(1);
    // The paging figures count an alert's pages as an incident's: Bob, then Carol after level 1 timed out.
    expect(later.value('klaxon_pages_sent_total', {})).toBe(2);
    expect(later.value('klaxon_escalations_escalated_total', {})).toBe(1);
  });

  it('counts a storm’s folded alerts under the integration, and one observation for each group that paged', async () => {
    h = await startHarness({ klaxonYml: YML, env: { KLAXON_ALERTS_PROD_TOKEN: TOKEN } });
    // Four Alertmanager groups within a minute: three page, the fourth is folded into the newest open one.
    for (const n of [1, 2, 3, 4]) expect((await post(h.baseUrl, alertOf(`storm-${n}`, `{}:{alertname="Storm${n}"}`))).status).toBe(200);
    await h.waitFor(() => pageDmsTo(h!.slack.state.dmsWith(USERS.bob)).length === 3 || undefined, 'Bob’s three page DMs');
    await h.fastForward(0);

    const metrics = await scrape(h.baseUrl);
    expect(metrics.value('klaxon_alerts_received_total', PROD)).toBe(4);
    expect(metrics.value('klaxon_alerts_deduplicated_total', PROD)).toBe(0);
    expect(metrics.value('klaxon_alerts_grouped_total', PROD)).toBe(0);
    expect(metrics.value('klaxon_alerts_folded_total', PROD)).toBe(1);
    expect(metrics.value('klaxon_alert_groups_paged_total', PROD)).toBe(3);
    expect(metrics.histogram('klaxon_alert_to_page_seconds').count).toBe(3);
    expect(metrics.families.get('klaxon_alert_requests_refused_total')?.samples).toEqual([]);
  });

  it('with the job worker (npm start): the refusal counted on the main thread and the page DM on the worker reach one scrape', async () => {
    const slack = await startFakeSlack({
      scopes: manifestBotScopes(),
      users: [{ id: USERS.bob, name: 'bob' }],
      channels: [{ id: INCIDENTS_CHANNEL, name: 'incidents', members: [USERS.bob] }],
    });
    cleanups.push(() => slack.close());
    const dir = mkdtempSync(join(tmpdir(), 'klaxon-alert-metrics-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'klaxon.yml'), YML);
    const app = await startChildApp({ ...childAppEnv(slack, dir), KLAXON_ALERTS_PROD_TOKEN: TOKEN });
    cleanups.push(async () => void (await app.kill()));
    const baseUrl = `http://127.0.0.1:${app.port}`;

    expect((await post(baseUrl, FIRING, { token: 'not-the-token' })).status).toBe(401);
    expect((await post(baseUrl, FIRING)).status).toBe(200);
    await waitFor(() => pageDmsTo(slack.state.dmsWith(USERS.bob))[0], 'Bob’s page DM, posted by the job worker');

    // The DM is posted before its page row says so; the worker's observation follows that write.
    const metrics = await waitFor(async () => {
      const scraped = await scrape(baseUrl);
      return scraped.histogram('klaxon_alert_to_page_seconds').count === 1 && scraped;
    }, 'the worker’s observation of the page DM');
    expect(metrics.value('klaxon_job_worker_up')).toBe(1);
    expect(metrics.value('klaxon_alert_requests_refused_total', { integration: INTEGRATION, status: '401' })).toBe(1);
    expect(metrics.value('klaxon_alerts_received_total', PROD)).toBe(1);
    expect(metrics.value('klaxon_alert_groups_paged_total', PROD)).toBe(1);
  });
});
