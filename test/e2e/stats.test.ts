/**
 * `/incident stats` end to end: incidents declared (one a drill, one private), a page acknowledged, one resolved,
 * then the figures answered ephemerally and the chart PNG shared in the asker's DM; bad arguments change nothing;
 * a failed upload is told to the asker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getIncident } from '../../src/incidents/index.ts';
import { declareFormValues } from '../../src/simulator/requests.ts';
import { startHarness, USERS, type Harness } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const DAY = 86_400_000;
/** A daily rotation that started yesterday: Alice had yesterday, so Bob is on call today. */
const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PRIVATE_TITLE = 'Fraud ring probing gift cards';

const KLAXON_YML = `
timezone: Europe/London
services:
  - id: payments
    name: Payments API
    escalation_policy: payments
  - id: search
    name: Search
schedules:
  - id: primary
    timezone: UTC
    rotation: { kind: daily, handoff: "00:00", start: ${yesterday}, participants: [U01ALICE, U01BOB] }
escalation_policies:
  - id: payments
    levels:
      - targets: [schedule:primary]
        timeout: 1h
`;

const db = () => h.klaxon.database.db;
const declareByForm = (values: Parameters<typeof declareFormValues>[0]) => h.submitView({ userId: USERS.alice, view: { id: 'V1', callback_id: 'incident.declare' }, values: declareFormValues(values) });

interface Answer {
  response_type: string;
  text: string;
  blocks?: unknown[];
}

/** INC-1 payments sev2 (paged, acknowledged by Bob, resolved), INC-2 search sev1, INC-3 a payments drill, INC-4 private sev3. */
async function seedIncidents(): Promise<void> {
  await h.slash('declare sev2 payments Card payments failing');
  const inc1 = await h.provisioned(1);
  await h.waitFor(() => h.slack.state.dmsWith(USERS.bob)[0], 'the page DM to Bob');
  expect((await h.slash('ack INC-1', { user: USERS.bob })).json().text).toMatch(/You acknowledged INC-1/);
  await h.slash('resolve Rolled back release 4.2', { channel: inc1.channelId! });
  await h.waitFor(async () => (await getIncident(db(), 1))?.resolvedAt, 'INC-1 to be resolved');
  await h.slash('declare sev1 search Search results empty');
  await h.provisioned(2);
  await declareByForm({ title: 'Game day: payments failover', severity: 'sev1', service: 'payments', drill: true });
  await h.provisioned(3);
  await h.waitFor(() => h.slack.state.dmsWith(USERS.bob).length >= 2 || undefined, 'the drill page to Bob');
  await declareByForm({ title: PRIVATE_TITLE, severity: 'sev3', private: true });
  await h.provisioned(4);
}

describe('/incident stats', () => {
  it('answers the figures ephemerally and shares the chart PNG in the asker’s DM', async () => {
    h = await startHarness({ klaxonYml: KLAXON_YML });
    await seedIncidents();
    const uploadsBefore = h.slack.calls('files.completeUploadExternal').length;

    const answer = (await h.slash('stats 30d', { user: USERS.alice })).json() as unknown as Answer;
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/^Incident stats: last 30 days: 3 incidents, MTTA \d+ s, MTTR \d+ (s|min) \(medians\)$/);
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).toContain('"type":"header","text":{"type":"plain_text","text":"Incident stats: last 30 days"');
    // The drill is left out: three incidents, one of each severity but sev4.
    expect(blocks).toContain('*Incidents*\\n3');
    expect(blocks).toContain(':red_circle: SEV1: 1\\n:large_orange_circle: SEV2: 1\\n:large_yellow_circle: SEV3: 1\\n:white_circle: SEV4: 0');
    expect(blocks).toMatch(/\*MTTA\* \(to first acknowledgement\)\\nmedian \d+ s, p90 \d+ s\\n_over 1 incident; 2 never acknowledged_/);
    expect(blocks).toMatch(/\*MTTR\* \(to resolution\)\\nmedian \d+ (s|min), p90 \d+ (s|min)\\n_over 1 incident; 2 not resolved_/);
    expect(blocks).toContain('*Post-mortems complete*\\n0 of 1 resolved incident (0%)');
    expect(blocks).toContain('*Problem tickets*\\n0 open, 0 overdue');
    expect(blocks).toContain('*By service*\\nPayments API: 1\\nSearch: 1\\nno service: 1');
    // Bob was paged twice, but once for the drill.
    expect(blocks).toMatch(/<@U01BOB>: 1 page, [01] out of hours, [01] nights? woken/);
    expect(blocks).toContain('The chart of incidents per week is in your DM with Klaxon.');
    // The private incident is counted, never named (and no incident is).
    expect(blocks).not.toContain(PRIVATE_TITLE);
    expect(blocks).not.toContain('INC-');

    // After the answer: the chart, as a PNG, in Alice's DM with Klaxon.
    const completed = await h.waitFor(() => h.slack.calls('files.completeUploadExternal').slice(uploadsBefore).find((c) => c.ok), 'the chart upload');
    expect(h.slack.calls('conversations.open').some((c) => c.ok && c.args.users === USERS.alice)).toBe(true);
    const dm = h.slack.state.dmsWith(USERS.alice);
    const shared = dm.find((m) => m.files?.length);
    expect(shared?.text).toBe('Incidents per week by severity, last 30 days: the chart for your `/incident stats`.');
    expect(completed.args.channel_id).toBe(h.slack.state.imWith(USERS.alice).id);
    const file = h.slack.state.storedFile(shared!.files![0]!)!;
    expect(file.name).toBe('incidents-per-week.png');
    expect(file.title).toBe('Incidents per week, last 30 days');
    expect(file.bytes!.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(file.alt_txt).toMatch(/^Bar chart: Incidents per week, last 30 days, 3 incidents over \d weeks\.$/);
  });

  it('answers one service’s figures', async () => {
    h = await startHarness({ klaxonYml: KLAXON_YML });
    await seedIncidents();
    const answer = (await h.slash('stats payments 7d', { user: USERS.carol })).json() as unknown as Answer;
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).toContain('"text":"Incident stats: Payments API, last 7 days"');
    expect(blocks).toContain('*Incidents*\\n1');
    expect(blocks).toContain('*By service*\\nPayments API: 1"');
    await h.waitFor(() => h.slack.state.dmsWith(USERS.carol).find((m) => m.files?.length), 'the chart in Carol’s DM');
    expect(h.slack.state.dmsWith(USERS.carol).find((m) => m.files?.length)!.text).toBe('Incidents per week by severity, last 7 days (Payments API): the chart for your `/incident stats`.');
  });

  it('refuses a bad period or an unknown service clearly, calling Slack for nothing', async () => {
    h = await startHarness({ klaxonYml: KLAXON_YML });
    const callsBefore = h.slack.calls().length;
    const badPeriod = (await h.slash('stats 12d')).json() as unknown as Answer;
    expect(badPeriod.response_type).toBe('ephemeral');
    expect(badPeriod.text).toMatch(/^"12d" is not a period: say 7d, 30d or 90d \(30d when left out\)\.\nUsage: `\/incident stats \[7d\|30d\|90d\] \[service\]`\nNothing was changed\./);
    const badService = (await h.slash('stats 30d nosuchservice')).json() as unknown as Answer;
    expect(badService.text).toMatch(/^There is no service "nosuchservice" in klaxon\.yml\. Known services: payments, search\./);
    const markup = (await h.slash('stats <!channel>')).json() as unknown as Answer;
    expect(markup.text).toContain('There is no service "@channel" in klaxon.yml.');
    // The chart would have been started (setImmediate) before the answer reached the response_url.
    await h.klaxon.scheduler.idle();
    expect(h.slack.calls().slice(callsBefore).filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(h.slack.uploads()).toEqual([]);
  });

  it('tells the asker when the chart cannot be sent, after answering the figures', async () => {
    h = await startHarness({ klaxonYml: KLAXON_YML });
    await h.slash('declare sev3 search Slow autocomplete');
    await h.provisioned(1);
    h.slack.failNextUpload(500);
    const sent = await h.slash('stats', { user: USERS.alice });
    expect((sent.json() as unknown as Answer).text).toMatch(/^Incident stats: last 30 days: 1 incident,/);
    // The figures were the first answer through the command's response_url (stats asks Slack for time zones, so it
    // acknowledges first); the chart's failure is the second.
    const told = await h.waitFor(() => h.slack.responses().filter((r) => r.url === sent.responseUrl)[1], 'the answer that the chart failed');
    expect((told.body as { text: string }).text).toMatch(/^The chart of incidents per week could not be sent to your DM \(upload to Slack failed: upload_failed\)\./);
    expect(h.slack.state.dmsWith(USERS.alice).filter((m) => m.files?.length)).toEqual([]);
  });
});
