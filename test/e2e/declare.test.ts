/**
 * /incident declare end to end: signed HTTP requests to the real app, the fake Slack with the manifest's
 * scopes, a real database (SQLite, or Postgres under KLAXON_TEST_DB=postgres). Assertions are on the Web API
 * calls, Slack's resulting state and the rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getIncident, type Incident } from '../../src/incidents/index.ts';
import { listTimeline } from '../../src/incidents/store.ts';
import { INCIDENTS_CHANNEL, startHarness, USERS, type Harness } from '../support/harness.ts';
import { declareFormValues } from '../../src/simulator/requests.ts';

let h: Harness;
afterEach(async () => h?.close());

const incident = (id: number): Promise<Incident | undefined> => getIncident(h.klaxon.database.db, id);
const provisioned = (id: number) =>
  h.waitFor(async () => {
    const inc = await incident(id);
    return inc?.provisioning === 'done' && inc;
  }, `INC-${id} to be set up`);
const repliesTo = (url: string) => h.slack.responses().filter((r) => r.url === url);

describe('declaring with arguments', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('acks at once with the number, then opens a complete incident channel', async () => {
    const answer = await h.slash('declare sev2 payments Checkout returns 502 for card payments');
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.json().text).toMatch(/\*INC-1\* declared: Checkout returns 502 for card payments/);

    const inc = await provisioned(1);
    expect(inc).toMatchObject({ title: 'Checkout returns 502 for card payments', severity: 'sev2', serviceId: 'payments', status: 'investigating', declaredBy: USERS.alice, leadId: USERS.alice, isPrivate: false });

    const channel = h.slack.state.channel(inc.channelId!)!;
    expect(channel.name).toBe('inc-1-checkout-returns-502-for-card-payments');
    expect(channel.is_private).toBe(false);
    expect(channel.members.has(USERS.alice)).toBe(true);
    expect(channel.topic.value).toBe('SEV2 | Investigating | Lead: <@U01ALICE> | Checkout returns 502 for card payments');
    expect(channel.purpose.value).toContain('INC-1: Checkout returns 502 for card payments');

    const summary = h.slack.state.messages(channel.id).find((m) => m.ts === inc.summaryTs)!;
    const summaryJson = JSON.stringify(summary.blocks);
    for (const expected of ['INC-1: Checkout returns 502 for card payments', 'SEV2 Major', 'Investigating', 'Payments API', '*Lead*\\n<@U01ALICE>', 'by <@U01ALICE>', 'incident.resolve']) {
      expect(summaryJson).toContain(expected);
    }
    expect(channel.pins).toContain(inc.summaryTs);

    const announcement = h.slack.state.messages(INCIDENTS_CHANNEL).find((m) => m.ts === inc.announcementTs)!;
    expect(JSON.stringify(announcement.blocks)).toContain(`Join <#${channel.id}>`);

    const reply = await h.waitFor(() => repliesTo(answer.responseUrl)[0], 'the reply to the declarer');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect((reply.body as { text: string }).text).toContain(`*INC-1* is open in <#${channel.id}>`);

    expect((await listTimeline(h.klaxon.database.db, 1)).map((e) => [e.kind, e.actorId])).toEqual([['declared', USERS.alice]]);
    for (const method of ['conversations.create', 'conversations.setTopic', 'conversations.setPurpose', 'conversations.invite', 'pins.add']) {
      expect(h.slack.calls(method).filter((c) => c.ok)).toHaveLength(1);
    }
    expect(h.slack.calls('chat.postMessage').filter((c) => c.ok)).toHaveLength(2);
  });

  it('numbers incidents in order and keeps a default severity and no service', async () => {
    await h.slash('declare Stale results on the status page');
    await h.slash('declare sev1 Everything is down');
    expect(await provisioned(1)).toMatchObject({ title: 'Stale results on the status page', severity: 'sev3', serviceId: null });
    expect(await provisioned(2)).toMatchObject({ title: 'Everything is down', severity: 'sev1' });
    expect(h.slack.state.channelByName('inc-2-everything-is-down')).toBeDefined();
  });

  it('escapes user text everywhere it is posted, so a title cannot ping or forge links', async () => {
    const answer = await h.slash('declare &lt;!channel&gt; ping &amp; &lt;https://evil.test|click here&gt;');
    expect(answer.json().text).toContain('&lt;!channel&gt; ping &amp; &lt;https://evil.test|click here&gt;');
    const inc = await provisioned(1);
    expect(inc.title).toBe('<!channel> ping & <https://evil.test|click here>');
    const posted = h.slack.calls().filter((c) => c.ok).map((c) => JSON.stringify(c.args));
    posted.push(...h.slack.responses().map((r) => JSON.stringify(r.body)));
    for (const text of posted) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil.test');
    }
    expect(h.slack.state.channel(inc.channelId!)!.name).toBe('inc-1-channel-ping-https-evil-test-click-here');
  });

  it('turns @mentions typed in the title into plain text', async () => {
    await h.slash('declare DB failover, ask <@U01BOB|bob> and <!here>');
    expect((await provisioned(1)).title).toBe('DB failover, ask @bob and @here');
  });

  it('refuses a title that is too long, keeps what was typed and changes nothing', async () => {
    const title = `Checkout ${'x'.repeat(200)}`;
    const answer = await h.slash(`declare sev2 ${title}`);
    expect(answer.json().text).toMatch(/^The title is 209 characters long; 150 at most\.\nNothing was changed\. You typed:/);
    expect(answer.json().text).toContain(title);
    expect(await incident(1)).toBeUndefined();
    expect(h.slack.calls('conversations.create')).toHaveLength(0);
  });

  it('shows the refused text back exactly once escaped', async () => {
    const answer = await h.slash(`declare sev2 payments &lt;b&gt; &amp; ${'y'.repeat(150)}`);
    expect(answer.json().text).toContain('```/incident declare sev2 payments &lt;b&gt; &amp; yyy');
    expect(await incident(1)).toBeUndefined();
    expect(h.slack.calls('conversations.create')).toHaveLength(0);
  });

  it('suffixes the channel name when it is taken', async () => {
    h.slack.state.addChannel({ id: 'C0TAKEN', name: 'inc-1-dns-is-down' });
    await h.slash('declare DNS is down');
    const inc = await provisioned(1);
    expect(inc.channelName).toBe('inc-1-dns-is-down-2');
    expect(h.slack.calls('conversations.create').map((c) => c.error ?? 'ok')).toEqual(['name_taken', 'ok']);
  });

  it('gives 50 concurrent declarations 50 distinct numbers and channels', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => h.slash(`declare sev3 Concurrent incident ${i}`, { user: Object.values(USERS)[i % 3] })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const numbers = answers.map((a) => Number(/INC-(\d+)/.exec(String(a.json().text))?.[1]));
    expect(new Set(numbers).size).toBe(50);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const all = () => Promise.all(numbers.map((n) => incident(n)));
    await h.waitFor(async () => (await all()).every((inc) => inc?.provisioning === 'done'), 'all 50 incidents');
    const channels = (await all()).map((inc) => inc!.channelId);
    expect(new Set(channels).size).toBe(50);
    expect(h.slack.state.channels().filter((c) => c.name.startsWith('inc-'))).toHaveLength(50);
    expect(h.slack.state.messages(INCIDENTS_CHANNEL)).toHaveLength(50);
  });
});

describe('declaring from the modal', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  const openModal = async () => {
    const answer = await h.slash('declare sev1 payments');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const open = await h.waitFor(() => h.slack.calls('views.open').find((c) => c.ok), 'views.open');
    expect(open.args.trigger_id).toBe(answer.triggerId);
    return { answer, view: (open.response as { view: { id: string; callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: { initial_option?: { value: string } } }[] } }).view };
  };

  it('opens the form prefilled from the command, and submitting it declares', async () => {
    const { answer, view } = await openModal();
    expect(view.callback_id).toBe('incident.declare');
    expect(view.blocks.find((b) => b.block_id === 'severity')?.element?.initial_option?.value).toBe('sev1');
    expect(view.blocks.find((b) => b.block_id === 'service')?.element?.initial_option?.value).toBe('payments');

    const submitted = await h.submitView({ userId: USERS.bob, view, values: declareFormValues({ title: 'Card payments failing', severity: 'sev1', service: 'payments', summary: 'Since 09:02, 40% of card payments fail with 502.' }) });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    const inc = await provisioned(1);
    expect(inc).toMatchObject({ title: 'Card payments failing', severity: 'sev1', serviceId: 'payments', summary: 'Since 09:02, 40% of card payments fail with 502.', declaredBy: USERS.bob, leadId: USERS.bob });
    expect(JSON.stringify(h.slack.state.message(h.slack.state.channel(inc.channelId!)!, inc.summaryTs!)?.blocks)).toContain('Since 09:02, 40% of card payments fail with 502.');
    const reply = await h.waitFor(() => repliesTo(answer.responseUrl)[0], 'the reply through the command’s response_url');
    expect((reply.body as { text: string }).text).toContain('*INC-1* is open in');
  });

  it('answers by DM when the form was submitted after the command’s response_url expired', async () => {
    const { answer, view } = await openModal();
    h.skewSlackClock(31 * 60_000);
    await h.submitView({ userId: USERS.alice, view, values: declareFormValues({ title: 'Slow form', severity: 'sev3' }) });
    const inc = await provisioned(1);
    const dm = await h.waitFor(() => h.slack.state.messages(h.slack.state.imWith(USERS.alice).id)[0], 'the DM to the declarer');
    expect(dm.text).toContain(`*INC-1* is open in <#${inc.channelId}>`);
    expect(repliesTo(answer.responseUrl).filter((r) => r.ok)).toHaveLength(0);
  });

  it('makes a private incident a private channel without an announcement', async () => {
    const { view } = await openModal();
    await h.submitView({ userId: USERS.alice, view, values: declareFormValues({ title: 'Suspected credential leak', severity: 'sev1', private: true }) });
    const inc = await provisioned(1);
    expect(inc.isPrivate).toBe(true);
    const channel = h.slack.state.channel(inc.channelId!)!;
    expect(channel.is_private).toBe(true);
    expect([...channel.members].sort()).toEqual([h.slack.botUserId, USERS.alice].sort());
    expect(h.slack.state.messages(INCIDENTS_CHANNEL)).toHaveLength(0);
    expect(inc.announcementTs).toBeNull();
  });

  it('returns invalid input as field errors and declares nothing', async () => {
    const { view } = await openModal();
    const empty = await h.submitView({ userId: USERS.alice, view, values: declareFormValues({ title: '   ', severity: 'sev2' }) });
    expect(empty.json()).toEqual({ response_action: 'errors', errors: { title: 'Give the incident a title.' } });
    const noSeverity = await h.submitView({ userId: USERS.alice, view, values: declareFormValues({ title: 'Disk full' }) });
    expect(noSeverity.json()).toEqual({ response_action: 'errors', errors: { severity: 'Pick a severity: sev1, sev2, sev3 or sev4.' } });
    const tooLong = await h.submitView({ userId: USERS.alice, view, values: declareFormValues({ title: 'Disk full', severity: 'sev2', summary: 'x'.repeat(3001) }) });
    expect(tooLong.json()).toEqual({ response_action: 'errors', errors: { summary: 'The summary is 3001 characters long; 3000 at most.' } });
    expect(await incident(1)).toBeUndefined();
    expect(h.slack.calls('conversations.create')).toHaveLength(0);
  });

  it('tells the user when the trigger expired before the form could open', async () => {
    const triggerId = h.slack.issueTriggerId();
    h.skewSlackClock(5_000);
    const answer = await h.slash('declare', { triggerId });
    expect(answer.status).toBe(200);
    const reply = await h.waitFor(() => repliesTo(answer.responseUrl)[0], 'the explanation');
    expect((reply.body as { text: string }).text).toMatch(/I could not open the form \(views\.open failed: expired_trigger_id\)\. Please run `\/incident declare` again\./);
  });
});

describe('help and sub-commands', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('answers help, unknown sub-commands and stats with ephemeral text', async () => {
    const help = (await h.slash('help')).json();
    expect(help.response_type).toBe('ephemeral');
    expect(help.text).toContain('`/incident declare [sev1-4] [service] [title…]`');
    expect(help.text).toContain('`/incident ack [INC-n]`');
    expect(help.text).toContain('`/incident oncall [service]');
    const unknown = (await h.slash('frobnicate now')).json();
    expect(unknown.text).toMatch(/^I don't know `\/incident frobnicate`/);
    const stats = (await h.slash('stats 30d')).json();
    expect(stats.text).toMatch(/^Incident stats: last 30 days: 0 incidents/);
    expect(h.slack.calls().filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });
});
