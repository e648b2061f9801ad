/**
 * GET /metrics end to end: a short day of incidents (two real ones, a drill, a page acknowledged, a resolution,
 * a severity raised, a Slack event delivered twice, a Slack 500 retried), then a scrape read with the strict
 * parser, every figure checked against what happened; drills count nowhere. And the same through `npm start`,
 * where the job worker reads the database and its counters are added to the main thread's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { getIncident } from '../../src/incidents/index.ts';
import { declareFormValues, slashCommandBody } from '../../src/simulator/requests.ts';
import { signedHeaders } from '../../src/simulator/sign.ts';
import { startFakeSlack } from '../../src/simulator/slack/index.ts';
import { waitFor } from '../../src/simulator/wait.ts';
import { childAppEnv, startChildApp } from '../support/child-app.ts';
import { INCIDENTS_CHANNEL, PAYMENTS_PAGES_BOB_YML, SIGNING_SECRET, startHarness, USERS, type Harness } from '../support/harness.ts';
import { manifestBotScopes } from '../support/manifest.ts';
import { parsePrometheusText } from '../support/prometheus.ts';

let current: Harness | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await current?.close();
  current = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const YML = PAYMENTS_PAGES_BOB_YML;

const incident = (id: number) => getIncident(current!.klaxon.database.db, id);
const provisioned = (id: number) =>
  current!.waitFor(async () => {
    const inc = await incident(id);
    return inc?.provisioning === 'done' && inc;
  }, `INC-${id} to be set up`);

async function scrape(baseUrl = current!.baseUrl) {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(await response.text());
}

describe('GET /metrics', () => {
  it('counts incidents, pages, acknowledgements, resolutions, Slack errors and retries, and repeated events, leaving the drill out', async () => {
    const startedAt = Date.now();
    const h = (current = await startHarness({ klaxonYml: YML }));

    // INC-1: sev1 on payments pages Bob, who acknowledges; then it is resolved.
    await h.slash('declare sev1 payments Card payments failing');
    const first = await provisioned(1);
    await h.waitFor(() => h.slack.state.dmsWith(USERS.bob)[0], 'the page DM to Bob');
    expect((await scrape()).value('klaxon_incidents_declared_total', { severity: 'sev1', service: 'payments' })).toBe(1);

    // INC-2: a drill on the same service, which pages Bob too.
    await h.submitView({ userId: USERS.alice, view: { id: 'VDRILL', callback_id: 'incident.declare' }, values: declareFormValues({ title: 'Game day: payments failover', severity: 'sev1', service: 'payments', drill: true }) });
    expect((await provisioned(2)).isDrill).toBe(true);
    await h.waitFor(() => h.slack.state.dmsWith(USERS.bob)[1], 'the drill’s page DM to Bob');

    expect((await h.slash('ack', { user: USERS.bob, channel: first.channelId! })).json().text).toContain('You acknowledged INC-1');
    expect((await h.slash('resolve Rolled back the release', { channel: first.channelId! })).json().text).toContain('INC-1 is resolved');
    await h.klaxon.scheduler.idle();

    // INC-3: sev3 without a service; its first chat.postMessage (the summary) fails once with a 500 and is retried.
    // Then raised to sev2: it stays declared as sev3, and is open as sev2.
    h.slack.failNext('chat.postMessage', { status: 500 });
    await h.slash('declare sev3 Dashboard loads slowly');
    const third = await provisioned(3);
    expect((await h.slash('severity sev2', { channel: third.channelId! })).json().text).toContain('SEV2');
    expect(h.slack.calls('chat.postMessage').filter((c) => c.status === 500)).toHaveLength(1);

    // Slack delivers the same event twice (its retry): the second is dropped.
    expect((await h.event({ type: 'team_join', user: { id: 'U09NEW' } }, { eventId: 'EvMETRICS1' })).status).toBe(200);
    expect((await h.event({ type: 'team_join', user: { id: 'U09NEW' } }, { eventId: 'EvMETRICS1', retryNum: 1 })).status).toBe(200);
    // A slash command replayed with the same trigger_id gets the first answer without running again.
    const help = await h.slash('help');
    await h.slash('help', { triggerId: help.triggerId, responseUrl: help.responseUrl });
    await h.klaxon.scheduler.idle();

    const metrics = await scrape();

    // Incidents: by the severity declared and service, the drill (sev1, payments) nowhere.
    expect(metrics.families.get('klaxon_incidents_declared_total')?.samples.map((s) => [s.labels, s.value])).toEqual([
      [{ severity: 'sev3', service: 'none' }, 1],
      [{ severity: 'sev1', service: 'payments' }, 1],
    ]);
    expect(metrics.value('klaxon_incidents_open', { severity: 'sev1', service: 'payments' })).toBe(0);
    expect(metrics.value('klaxon_incidents_open', { severity: 'sev2', service: 'none' })).toBe(1);
    expect(metrics.families.get('klaxon_incidents_open')?.samples).toHaveLength(2);

    // Pages: Bob's page for INC-1, not the drill's.
    expect(metrics.value('klaxon_pages_sent_total')).toBe(1);
    expect(metrics.value('klaxon_pages_acknowledged_total')).toBe(1);
    expect(metrics.value('klaxon_escalations_escalated_total')).toBe(0);
    expect(metrics.value('klaxon_escalations_exhausted_total')).toBe(0);

    // Time to acknowledge and to resolve: INC-1 alone, in its first bucket, with its exact duration.
    const resolved = (await incident(1))!;
    const tta = metrics.histogram('klaxon_time_to_acknowledge_seconds');
    expect(tta.count).toBe(1);
    expect(tta.sum).toBe((resolved.acknowledgedAt! - resolved.declaredAt) / 1000);
    expect(tta.buckets.get(30)).toBe(1);
    const ttr = metrics.histogram('klaxon_time_to_resolve_seconds');
    expect(ttr.count).toBe(1);
    expect(ttr.sum).toBe((resolved.resolvedAt! - resolved.declaredAt) / 1000);
    expect(ttr.buckets.get(300)).toBe(1);

    // Slack: every call counted, the 500 by method and code, and the summary posted again.
    expect(metrics.value('klaxon_slack_api_calls_total', { method: 'chat.postMessage' })).toBe(h.slack.calls('chat.postMessage').length);
    expect(metrics.value('klaxon_slack_api_errors_total', { method: 'chat.postMessage', code: 'http_500' })).toBe(1);
    expect(metrics.value('klaxon_slack_api_retries_total', { method: 'chat.postMessage' })).toBe(1);
    expect(metrics.value('klaxon_event_dedupe_hits_total')).toBe(1);
    expect(metrics.value('klaxon_duplicate_deliveries_total', { kind: 'command' })).toBe(1);

    // The scheduler ran every job; none failed; one thread, so no job worker to report on.
    expect(metrics.histogram('klaxon_scheduler_lag_seconds').count).toBeGreaterThan(0);
    expect(metrics.families.get('klaxon_jobs_failed')?.samples).toEqual([]);
    expect(metrics.families.has('klaxon_job_worker_up')).toBe(false);
    const started = metrics.value('klaxon_process_start_time_seconds');
    expect(started).toBeGreaterThanOrEqual(startedAt / 1000);
    expect(started).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it('with the job worker (npm start): the worker reads the database and its counters are added to the main thread’s', async () => {
    const slack = await startFakeSlack({
      scopes: manifestBotScopes(),
      users: [{ id: USERS.alice, name: 'alice' }],
      channels: [{ id: 'C0GENERAL', name: 'general', members: [USERS.alice] }, { id: INCIDENTS_CHANNEL, name: 'incidents', members: [USERS.alice] }],
    });
    cleanups.push(() => slack.close());
    const dir = mkdtempSync(join(tmpdir(), 'klaxon-metrics-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'klaxon.yml'), 'timezone: UTC\nservices:\n  - { id: search, name: Search }\n');
    const dbFile = join(dir, 'klaxon.db');
    const app = await startChildApp(childAppEnv(slack, dir));
    cleanups.push(async () => void (await app.kill()));

    const responseUrl = slack.createResponseUrl({ channel: 'C0GENERAL' });
    const body = slashCommandBody({ text: 'declare sev2 search Results are stale', userId: USERS.alice, channelId: 'C0GENERAL', responseUrl, triggerId: slack.issueTriggerId() });
    expect((await fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: 'POST', body, headers: signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded') })).status).toBe(200);
    await waitFor(() => provisioningOf(dbFile) === 'done', 'INC-1 to be set up by the job worker');
    await waitFor(() => slack.responses().some((r) => r.url === responseUrl && JSON.stringify(r.body).includes('is open')) || undefined, 'the reply that INC-1 is open');

    const metrics = await scrape(`http://127.0.0.1:${app.port}`);
    expect(metrics.value('klaxon_job_worker_up')).toBe(1);
    expect(metrics.value('klaxon_incidents_declared_total', { severity: 'sev2', service: 'search' })).toBe(1);
    // The channel was made and the summary posted by the worker's jobs: counted on the worker's thread.
    expect(metrics.value('klaxon_slack_api_calls_total', { method: 'conversations.create' })).toBe(slack.calls('conversations.create').length);
    expect(metrics.value('klaxon_slack_api_calls_total', { method: 'chat.postMessage' })).toBe(slack.calls('chat.postMessage').length);
    expect(metrics.histogram('klaxon_scheduler_lag_seconds').count).toBeGreaterThan(0);
  });
});

function provisioningOf(dbFile: string): string | undefined {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select provisioning from incidents where id = 1').get() as { provisioning: string } | undefined)?.provisioning;
  } finally {
    db.close();
  }
}
