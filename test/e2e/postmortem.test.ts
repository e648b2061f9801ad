/**
 * From resolution to a closed problem ticket, end to end over signed HTTP: the post-mortem form is offered,
 * keeps a draft, answers what is missing as field errors, and once complete uploads the Markdown document (the
 * whys in order, the timeline) and creates PRB-1 with its owner told; a second similar incident hears that the
 * problem is still open; the ticket is listed, worked through and resolved; a second save replaces the file;
 * the problem_webhook receiver gets signed events, even when it fails twice first.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type SQL } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.ts';
import { startHarness, USERS, type Harness } from '../support/harness.ts';
import { blockActionPayload } from '../../src/simulator/requests.ts';

let h: Harness;
let receiver: Server | undefined;
afterEach(async () => {
  await h?.close();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});

const SECRET = 'a-webhook-secret-of-some-length';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** The first row a query reads. */
const row = async <T>(query: SQL): Promise<T | undefined> => (await h.rows<T>(query))[0];

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A problem_webhook receiver that answers 500 to its first `failures` requests. */
async function startReceiver(failures: number): Promise<{ url: string; received: Received[]; attempts: () => number }> {
  const received: Received[] = [];
  let attempts = 0;
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      attempts += 1;
      if (attempts <= failures) {
        res.writeHead(500).end('try later');
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(receiver!.address() as AddressInfo).port}/hooks/klaxon`, received, attempts: () => attempts };
}

function yml(webhookUrl: string): string {
  return `
timezone: UTC
services:
  - id: payments
    name: Payments API
problem_webhook:
  url: ${webhookUrl}
  secret: ${SECRET}
`;
}

const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
const user = (id: string | null) => ({ value: { type: 'users_select', selected_user: id } });
const day = (d: string | null) => ({ value: { type: 'datepicker', selected_date: d } });

const WHYS = ['Checkout returns 502 for card payments', 'The payments API ran out of database connections', 'Release 4.2 held a connection per retry', 'The retry change was not load tested', 'Load tests skip config-only changes'];

function formValues(opts: { summary?: string; actions?: [string, string | null, string | null][] } = {}) {
  const values: Record<string, Record<string, unknown>> = {
    summary: text(opts.summary ?? 'Release 4.2 exhausted the payments database pool.'),
    impact: text('30% of card checkouts failed.'),
    detection: text('PaymentsHigh5xxRate alert.'),
    trigger: text('Deploy of 4.2.'),
    root_cause: text(null),
    contributing: text('Alert threshold too high'),
    went_well: text('Rollback runbook worked.'),
    went_badly: text('Slow detection.'),
    lucky: text('Outside the sales peak.'),
    create_problem: { value: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'Create a problem ticket' }, value: 'create' }] } },
  };
  WHYS.forEach((why, i) => (values[`why_${i + 1}`] = text(why)));
  const actions = opts.actions ?? [['Run load tests on every release', USERS.bob, inDays(30)], ['Lower the 5xx alert threshold', USERS.carol, inDays(10)]];
  for (let n = 1; n <= 5; n += 1) {
    const [what, owner, due] = actions[n - 1] ?? [null, null, null];
    values[`action_${n}_what`] = text(what);
    values[`action_${n}_owner`] = user(owner);
    values[`action_${n}_due`] = day(due);
  }
  return values;
}

function click(inc: Incident, actionId: string, value: string, opts: { user?: string; blockId?: string; extra?: Record<string, unknown> } = {}) {
  const responseUrl = h.slack.createResponseUrl({ channel: inc.channelId!, user: opts.user ?? USERS.alice });
  const payload = blockActionPayload({ userId: opts.user ?? USERS.alice, channelId: inc.channelId!, messageTs: '1.1', responseUrl, triggerId: h.slack.issueTriggerId(), actionId, blockId: opts.blockId ?? 'b', value });
  if (opts.extra) Object.assign((payload.actions as Record<string, unknown>[])[0]!, opts.extra);
  return { responseUrl, sent: h.interact(payload) };
}

const submitForm = (incidentId: number, values: Record<string, Record<string, unknown>>, userId: string = USERS.alice) =>
  h.submitView({ userId, view: { id: 'VPM', callback_id: 'postmortem.form', private_metadata: JSON.stringify({ incidentId }) }, values });

describe('post-mortem and problem tickets', () => {
  it('goes from resolution to a resolved problem ticket, telling everyone who must know', async () => {
    const hook = await startReceiver(2);
    h = await startHarness({ klaxonYml: yml(hook.url) });
    await h.slash('declare sev2 payments Checkout returns 502 for card payments');
    const inc = await h.provisioned(1);
    await h.slash(`note Error rate 40% since the 4.2 deploy`, { channel: inc.channelId!, user: USERS.carol });
    await h.slash('resolve Rolled back release 4.2', { channel: inc.channelId! });

    // The resolution offers the form; the form opens with the title as the problem statement.
    const resolved = await h.waitFor(() => h.slack.state.messages(inc.channelId!).find((m) => m.text.startsWith('INC-1 resolved')), 'the resolution message');
    expect(JSON.stringify(resolved.blocks)).toContain('"action_id":"postmortem.open"');
    await click(inc, 'postmortem.open', '1').sent;
    const opened = await h.waitFor(() => h.slack.calls('views.open').find((c) => c.ok && (c.args.view as { callback_id: string }).callback_id === 'postmortem.form'), 'the post-mortem form');
    expect(JSON.stringify(opened.args.view)).toContain(`"initial_value":"${WHYS[0]}"`);

    // A form with something missing is kept as a draft and answered with field errors.
    const draft = await submitForm(1, formValues({ actions: [['Run load tests on every release', null, inDays(30)]] }), USERS.carol);
    expect(draft.json()).toEqual({ response_action: 'errors', errors: { action_1_owner: 'Who owns this action?' } });
    expect(await row<{ state: string; updated_by: string }>(sql`SELECT state, updated_by FROM postmortems WHERE incident_id = 1`)).toEqual({ state: 'draft', updated_by: USERS.carol });
    await h.slash('postmortem', { channel: inc.channelId! });
    const formsOpened = () => h.slack.calls('views.open').filter((c) => c.ok && (c.args.view as { callback_id: string }).callback_id === 'postmortem.form');
    const reopened = await h.waitFor(() => formsOpened().length === 2 && (formsOpened()[1]!.args.view as Record<string, unknown>), 'the form again');
    expect(JSON.stringify(reopened)).toContain('Release 4.2 exhausted the payments database pool.');
    expect(JSON.stringify(reopened)).toContain(`Draft saved by <@${USERS.carol}>`);

    // Complete: the document is uploaded with the whys in order and the timeline.
    expect((await submitForm(1, formValues())).text).toBe('');
    const file = await h.waitFor(() => h.slack.state.filesIn(inc.channelId!)[0], 'the uploaded post-mortem');
    expect(file.name).toBe('INC-1-postmortem.md');
    const positions = WHYS.map((why) => file.content.indexOf(why));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(file.content).toContain('**Root cause:** Load tests skip config-only changes');
    expect(file.content).toContain('## Timeline');
    expect(file.content).toContain('| Note | Error rate 40% since the 4.2 deploy |');
    expect(file.content).toContain('| Resolved | Rolled back release 4.2 |');

    // PRB-1, owned by the first action's owner, who is told.
    expect(await row<{ id: number; owner_id: string; priority: string; title: string }>(sql`SELECT id, owner_id, priority, title FROM problems`)).toEqual({ id: 1, owner_id: USERS.bob, priority: 'p2', title: 'Load tests skip config-only changes' });
    const dm = await h.waitFor(() => h.slack.state.dmsWith(USERS.bob).find((m) => m.text.includes('PRB-1')), 'the owner’s DM');
    expect(dm.text).toContain('Run load tests on every release');

    // The webhook failed twice, then got problem.created, correctly signed.
    const created = await h.waitFor(() => hook.received.find((r) => JSON.parse(r.body).type === 'problem.created'), 'the problem.created event');
    expect(hook.attempts()).toBeGreaterThanOrEqual(3);
    const timestamp = String(created.headers['x-klaxon-timestamp']);
    expect(created.headers['x-klaxon-signature']).toBe(`v1=${createHmac('sha256', SECRET).update(`${timestamp}.${created.body}`).digest('hex')}`);
    expect(JSON.parse(created.body).problem).toMatchObject({ ref: 'PRB-1', owner: USERS.bob, incident: { ref: 'INC-1' }, actions: [{ what: 'Run load tests on every release' }, { what: 'Lower the 5xx alert threshold' }] });
    // The receiver has the event before the job hears its answer and records the delivery.
    const delivery = () => row<{ attempts: number; status: string }>(sql`SELECT attempts, status FROM webhook_deliveries WHERE type = 'problem.created'`);
    await h.waitFor(async () => (await delivery())?.status === 'delivered', 'the delivery to be recorded');
    expect(await delivery()).toEqual({ attempts: 3, status: 'delivered' });

    // A second incident like the first hears that its problem is still open.
    await h.slash('declare sev2 payments Checkout returns 502 again for card payments');
    const second = await h.provisioned(2);
    const notice = await h.waitFor(() => h.slack.state.messages(second.channelId!).find((m) => m.text.includes('PRB-1')), 'the recurrence notice');
    expect(notice.text).toContain(`This looks like INC-1, whose problem PRB-1 is still open: <@${USERS.bob}>`);
    expect(await row<{ n: number }>(sql`SELECT count(*) AS n FROM problem_recurrences WHERE problem_id = 1 AND incident_id = 2`)).toEqual({ n: 1 });
    // Its similar-incident list shows how INC-1 ended: its root cause, and its post-mortem.
    const suggested = await h.waitFor(() => h.slack.state.messages(second.channelId!).find((m) => JSON.stringify(m.blocks ?? '').includes('*INC-1*')), 'the similar-incident list');
    expect(JSON.stringify(suggested.blocks)).toContain('*Root cause:* Load tests skip config-only changes');
    expect(JSON.stringify(suggested.blocks)).toContain('/postmortems/INC-1|Read the post-mortem>');

    // Listed for its owner, with controls; resolving with actions open is refused, then allowed once done.
    const list = (await h.slash('problems mine', { user: USERS.bob })).json();
    const listed = JSON.stringify(list.blocks);
    expect(listed).toContain('*PRB-1*: Load tests skip config-only changes');
    expect(listed).toContain('recurred 1×');
    const actionIds = [...listed.matchAll(/"action_id":"problem\.action_done","value":"(\d+):mine"/g)].map((m) => m[1]!);
    expect(actionIds).toHaveLength(2);
    const refused = await h.submitView({ userId: USERS.bob, view: { id: 'VR', callback_id: 'problem.resolve_modal', private_metadata: JSON.stringify({ problemId: 1 }) }, values: { reason: text(null) } });
    expect(refused.json()).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('2 actions are not done') } });
    for (const id of actionIds) {
      const { responseUrl, sent } = click(inc, 'problem.action_done', `${id}:mine`, { user: USERS.bob });
      await sent;
      await h.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl), 'the list again');
    }
    expect(await row<{ n: number }>(sql`SELECT count(*) AS n FROM problem_actions WHERE status = 'done' AND done_by = ${USERS.bob}`)).toEqual({ n: 2 });
    const ok = await h.submitView({ userId: USERS.bob, view: { id: 'VR2', callback_id: 'problem.resolve_modal', private_metadata: JSON.stringify({ problemId: 1 }) }, values: { reason: text(null) } });
    expect(ok.text).toBe('');
    expect(await row<{ status: string; resolved_by: string }>(sql`SELECT status, resolved_by FROM problems WHERE id = 1`)).toEqual({ status: 'resolved', resolved_by: USERS.bob });
    await h.waitFor(() => hook.received.find((r) => JSON.parse(r.body).type === 'problem.resolved'), 'the problem.resolved event');
    expect(JSON.stringify((await h.slash('problems open')).json())).toContain('No problem tickets are open.');

    // A draft saved over the complete version leaves the document, the file and search as they were.
    await submitForm(1, formValues({ summary: 'Half-written (draft).', actions: [['Run load tests on every release', null, null]] }));
    expect(await row<{ state: string; complete_revision: number; root_cause: string }>(sql`SELECT state, complete_revision, root_cause FROM postmortems WHERE incident_id = 1`)).toEqual({ state: 'draft', complete_revision: 2, root_cause: 'Load tests skip config-only changes' });
    expect(await (await fetch(`${h.baseUrl}/postmortems/INC-1`)).text()).not.toContain('Half-written');

    // Saving again replaces the document in the channel; the page shows the latest.
    await submitForm(1, formValues({ summary: 'Release 4.2 exhausted the pool (revised).' }));
    await h.waitFor(() => h.slack.state.filesIn(inc.channelId!).length === 1 && h.slack.state.filesIn(inc.channelId!)[0]!.content.includes('(revised)'), 'the revised document, alone');
    expect(h.slack.state.file(file.id)!.deleted).toBe(true);
    const page = await fetch(`${h.baseUrl}/postmortems/INC-1`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<h2[^>]*>Five whys<\/h2>/);
    expect(html).toContain('(revised)');
    expect(await row<{ n: number }>(sql`SELECT count(*) AS n FROM problems`)).toEqual({ n: 1 });
  });

  it('serves a private incident’s post-mortem only through the signed link posted in its channel', async () => {
    const hook = await startReceiver(0);
    h = await startHarness({ klaxonYml: yml(hook.url) });
    await h.submitView({ userId: USERS.alice, view: { id: 'V1', callback_id: 'incident.declare' }, values: { title: text('Fraud ring'), severity: { value: { type: 'static_select', selected_option: { value: 'sev2' } } }, service: { value: { type: 'static_select', selected_option: null } }, summary: text(null), options: { value: { type: 'checkboxes', selected_options: [{ value: 'private' }] } } } });
    const inc = await h.provisioned(1);
    await submitForm(1, formValues());
    await h.waitFor(() => h.slack.state.filesIn(inc.channelId!)[0], 'the uploaded post-mortem');
    const message = h.slack.state.messages(inc.channelId!).find((m) => (m.text ?? '').includes('Post-mortem of'))!;
    const signed = /<(http[^|>]+\/postmortems\/INC-1\?[^|>]+)\|/.exec(message.text)![1]!.replace(/&amp;/g, '&');
    expect((await fetch(`${h.baseUrl}/postmortems/INC-1`)).status).toBe(404);
    expect((await fetch(`${h.baseUrl}/postmortems/INC-1?sig=forged`)).status).toBe(404);
    const page = await fetch(`${h.baseUrl}${new URL(signed).pathname}${new URL(signed).search}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain('img-src data:;');
  });
});
