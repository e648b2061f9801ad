/**
 * The open alerts, where people look for them: `/incident alerts` in Slack and `npx klaxon alerts` on the
 * database a running Klaxon writes (either engine: KLAXON_TEST_DB=postgres runs this on Postgres); and
 * `npx klaxon alerts test`, the dry run, which changes no row and calls Slack for nothing, and whose sample,
 * posted for real, does what it said.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { blockActionPayload } from '../../src/simulator/requests.ts';
import type { Message } from '../../src/simulator/slack/index.ts';
import { tempDir } from '../support/db.ts';
import { ALERTS_TOKEN, INCIDENTS_CHANNEL, PAYMENTS_PAGES_BOB_YML, PROD_ALERTMANAGER_YML, startHarness, USERS, type Harness } from '../support/harness.ts';

const TOKEN = ALERTS_TOKEN;
const YML = `${PAYMENTS_PAGES_BOB_YML}${PROD_ALERTMANAGER_YML}`;
const FIRING = readFileSync('test/fixtures/alerts/alertmanager-real-firing.json', 'utf8');
const FIRED_AT = Date.parse((JSON.parse(FIRING) as { alerts: { startsAt: string }[] }).alerts[0]!.startsAt);

let h: Harness | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await h?.close();
  tmp?.remove();
  h = undefined;
  tmp = undefined;
});

async function start(): Promise<{ h: Harness; cli: (...argv: string[]) => ReturnType<typeof runCli> }> {
  h = await startHarness({ klaxonYml: YML, env: { KLAXON_ALERTS_PROD_TOKEN: TOKEN } });
  tmp = tempDir();
  // The operator's copy of the same klaxon.yml, and the same database.
  const config = join(tmp.dir, 'klaxon.yml');
  writeFileSync(config, YML);
  const harness = h;
  return { h: harness, cli: (...argv) => runCli(argv, { KLAXON_DB: harness.dbFile, KLAXON_CONFIG: config, INCIDENTS_CHANNEL }, harness.clock.now()) };
}

const postAlerts = (body: string) => h!.post('/alerts/prod-alertmanager', body, { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` });
const text = (m: Message | undefined): string => `${m?.text ?? ''} ${JSON.stringify(m?.blocks ?? [])}`;
const pageTo = (userId: string, ref: string) => h!.slack.state.dmsWith(userId).find((m) => text(m).includes(`You are paged for ${ref}`) && text(m).includes('oncall.ack'));
const posted = (ref: string) => h!.slack.state.messages(INCIDENTS_CHANNEL).find((m) => text(m).includes(`*${ref}:`));

/** A second Alertmanager group: another alert, firing a minute later. */
function secondGroup(): string {
  const body = JSON.parse(FIRING) as { groupKey: string; alerts: { fingerprint: string; startsAt: string; labels: Record<string, string>; annotations: Record<string, string> }[] };
  body.groupKey = '{}:{alertname="DiskFull", service="payments"}';
  body.alerts[0]!.fingerprint = 'disk-full-1';
  body.alerts[0]!.startsAt = new Date(FIRED_AT + 60_000).toISOString();
  body.alerts[0]!.labels.alertname = 'DiskFull';
  body.alerts[0]!.annotations.summary = 'Disk <!channel> full on payments-db-1';
  return JSON.stringify(body);
}

async function acknowledge(userId: string, page: Message): Promise<void> {
  const channel = h!.slack.state.imWith(userId).id;
  const responseUrl = h!.slack.createResponseUrl({ channel, messageTs: page.ts, user: userId });
  const value = /"action_id":"oncall\.ack","value":"(\d+)"/.exec(text(page))![1]!;
  await h!.interact(blockActionPayload({ userId, channelId: channel, messageTs: page.ts, responseUrl, triggerId: h!.slack.issueTriggerId(), actionId: 'oncall.ack', blockId: 'oncall.page_actions', value }));
  await h!.waitFor(() => h!.slack.responses().some((r) => r.url === responseUrl), 'the answer to Acknowledge');
}

describe('/incident alerts and npx klaxon alerts', () => {
  it('say nothing is open, then list the open groups newest first, with who acknowledged and where each is posted', async () => {
    const { cli } = await start();
    expect((await h!.slash('alerts')).json()).toMatchObject({ response_type: 'ephemeral', text: 'No open alerts: nothing from monitoring is firing or waiting to be resolved.' });
    expect(await cli('alerts')).toEqual({ code: 0, out: 'No open alerts: nothing from monitoring is firing or acknowledged.' });
    expect(JSON.parse((await cli('alerts', '--json')).out)).toEqual({ open: 0, alerts: [] });

    expect((await postAlerts(FIRING)).json()).toMatchObject({ paged: ['ALERT-1'] });
    expect((await postAlerts(secondGroup())).json()).toMatchObject({ paged: ['ALERT-2'] });
    const page = await h!.waitFor(() => pageTo(USERS.bob, 'ALERT-1'), 'Bob’s page for ALERT-1');
    await acknowledge(USERS.bob, page);
    await h!.waitFor(() => text(posted('ALERT-1')).includes('Acknowledged by') && posted('ALERT-2'), 'both alerts posted, ALERT-1 acknowledged');

    const answer = await h!.slash('alerts', { user: USERS.alice });
    const body = answer.json() as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe('2 open alerts (1 firing, 1 acknowledged), newest first: ALERT-2, ALERT-1');
    const [heading, second, first] = body.blocks.map((b) => JSON.stringify(b));
    expect(heading).toContain('*2 open alerts (1 firing, 1 acknowledged), newest first*');
    expect(second).toContain(':red_circle: Firing *ALERT-2: Disk &lt;!channel&gt; full on payments-db-1*');
    expect(second).not.toContain('<!channel>');
    expect(second).toContain(`Payments API · High urgency · 1 alert · firing since <!date^${(FIRED_AT + 60_000) / 1000 | 0}^`);
    expect(second).toContain(`Posted in <#${INCIDENTS_CHANNEL}>`);
    expect(first).toContain(':large_orange_circle: Acknowledged *ALERT-1: Payments is failing its checks*');
    expect(first).toContain(`Acknowledged by <@${USERS.bob}>`);
    // Extra words are refused, saying what the sub-command does.
    expect((await h!.slash('alerts payments')).json().text).toContain('`/incident alerts` takes nothing after it, not `payments`: it lists every open alert.');

    const listed = await cli('alerts');
    expect(listed.code).toBe(0);
    const lines = listed.out.split('\n');
    expect(lines[0]).toBe('2 open alerts (1 firing, 1 acknowledged), newest first; times in UTC');
    expect(lines.slice(2).map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['alert', 'status', 'service', 'urgency', 'alerts', 'folded', 'firing since', 'acknowledged by', 'title'],
      ['ALERT-2', 'firing', 'payments', 'high', '1', '0', 'Mon 7 Dec 2026 16:06 UTC', '-', 'Disk <!channel> full on payments-db-1'],
      ['ALERT-1', 'acknowledged', 'payments', 'high', '1', '0', 'Mon 7 Dec 2026 16:05 UTC', USERS.bob, 'Payments is failing its checks'],
    ]);
    const json = JSON.parse((await cli('alerts', '--json')).out) as { open: number; alerts: Record<string, unknown>[] };
    expect(json.open).toBe(2);
    expect(json.alerts.map((a) => a.ref)).toEqual(['ALERT-2', 'ALERT-1']);
    expect(json.alerts[1]).toMatchObject({ id: 1, status: 'acknowledged', integration: 'prod-alertmanager', service: 'payments', serviceName: 'Payments API', urgency: 'high', alerts: 1, firing: 1, folded: 0, firingSince: new Date(FIRED_AT).toISOString(), acknowledgedBy: USERS.bob, incident: null, channel: INCIDENTS_CHANNEL, ts: expect.any(String) });

    // Resolved at the source: no longer open.
    const resolved = readFileSync('test/fixtures/alerts/alertmanager-real-resolved.json', 'utf8');
    await postAlerts(resolved);
    expect(JSON.parse((await cli('alerts', '--json')).out)).toMatchObject({ open: 1, alerts: [{ ref: 'ALERT-2' }] });
    expect((await h!.slash('alerts')).json().text).toBe('1 open alert (1 firing, 0 acknowledged), newest first: ALERT-2');
  });
});

describe('npx klaxon alerts test', () => {
  it('changes no row and calls Slack for nothing; its sample, posted for real, pages whom it said', async () => {
    const { cli } = await start();
    await postAlerts(FIRING);
    await h!.waitFor(() => pageTo(USERS.bob, 'ALERT-1') && posted('ALERT-1'), 'ALERT-1 paged and posted');
    await h!.fastForward(1_000);
    const tables = ['alert_groups', 'alerts', 'escalations', 'escalation_steps', 'pages', 'jobs', 'outbox', 'timeline_events', 'audit_log'];
    const snapshot = async () => Promise.all(tables.map(async (table) => [table, await h!.rows(sql`select * from ${sql.raw(table)} order by 1`)] as const));
    const before = await snapshot();
    const slackCalls = h!.slack.calls().length;

    const run = await cli('alerts', 'test', 'prod-alertmanager');
    expect(run.code).toBe(0);
    expect(run.out).toContain('nothing recorded, nobody paged (including 0 overrides made in Slack)');
    expect(run.out).toContain(`  channel  ${INCIDENTS_CHANNEL} (INCIDENTS_CHANNEL: payments has no alerts_channel)`);
    expect(run.out.split('\n').at(-1)).toMatch(/^It would page U01BOB at once \(level 1\); unacknowledged, the policy is exhausted after 1h /);
    const dryRun = JSON.parse((await cli('alerts', 'test', 'prod-alertmanager', '--json')).out) as { body: unknown; route: { service: string; urgency: string } };
    expect(await snapshot()).toEqual(before);
    expect(h!.slack.calls().length).toBe(slackCalls);
    // Nor does anything follow later.
    await h!.fastForward(60_000);
    expect(await h!.rows(sql`select id from alert_groups`)).toEqual([{ id: 1 }]);
    expect(h!.slack.calls().filter((c) => JSON.stringify(c.args).includes('npx klaxon alerts test'))).toEqual([]);

    // The same body through the endpoint: recorded, routed and paged as the dry run said.
    expect((await postAlerts(JSON.stringify(dryRun.body))).json()).toMatchObject({ received: 1, opened: 1, groups: ['ALERT-2'], paged: ['ALERT-2'] });
    expect(await h!.rows(sql`select service_id as "serviceId", urgency, title from alert_groups where id = 2`)).toEqual([{ serviceId: dryRun.route.service, urgency: dryRun.route.urgency, title: 'Test alert from npx klaxon alerts test: nothing is wrong' }]);
    await h!.waitFor(() => pageTo(USERS.bob, 'ALERT-2'), 'Bob paged for the sample');
  });
});
