/**
 * Slack failing midway through a declaration: retried until the incident is complete, with nothing doubled,
 * or, when Slack refuses for good, a clear answer to the declarer and the incident still recorded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getIncident } from '../../src/incidents/index.ts';
import { INCIDENTS_CHANNEL, startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

const incident = (id: number) => getIncident(h.klaxon.database.db, id);

describe('declaring while Slack fails', () => {
  it('waits out a 429 on conversations.create (Retry-After) and completes the incident', async () => {
    h.slack.failNext('conversations.create', { status: 429, retryAfter: 1 });
    const answer = await h.slash('declare sev2 payments Rate limited create');
    expect(answer.json().text).toContain('*INC-1* declared');
    const inc = await h.provisioned(1);
    const creates = h.slack.calls('conversations.create');
    expect(creates.map((c) => c.status)).toEqual([429, 200]);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(950);
    expect(h.slack.state.channels().filter((c) => c.name.startsWith('inc-1-'))).toHaveLength(1);
    expect(inc.summaryTs).not.toBeNull();
  });

  it('retries a 500 on chat.postMessage and posts the summary exactly once', async () => {
    h.slack.failNext('chat.postMessage', { status: 500 });
    await h.slash('declare sev2 Server error on post');
    const inc = await h.provisioned(1);
    const channelMessages = h.slack.state.messages(inc.channelId!);
    expect(channelMessages).toHaveLength(1);
    expect(h.slack.state.channel(inc.channelId!)!.pins).toEqual([inc.summaryTs]);
    expect(h.slack.state.messages(INCIDENTS_CHANNEL)).toHaveLength(1);
    // Steps that had succeeded before the failure were not repeated.
    expect(h.slack.calls('conversations.create').filter((c) => c.ok)).toHaveLength(1);
    expect(h.slack.calls('conversations.setTopic')).toHaveLength(1);
  });

  it('tells the declarer what did not happen when Slack refuses for good, and keeps the incident', async () => {
    h.slack.failNext('conversations.create', { error: 'restricted_action' });
    const answer = await h.slash('declare sev1 Refused channel');
    const reply = await h.waitFor(() => h.slack.responses().find((r) => r.url === answer.responseUrl), 'the failure reply');
    expect((reply.body as { text: string }).text).toMatch(/^:x: \*INC-1\* \(Refused channel\) is recorded, but Klaxon could not finish setting it up in Slack: Slack answered `restricted_action` to conversations.create/);
    expect(await incident(1)).toMatchObject({ title: 'Refused channel', provisioning: 'failed', channelId: null });
    expect(h.slack.calls('conversations.create')).toHaveLength(1);

    // Once the workspace allows it again, the next start finishes the incident and says so, once.
    await h.restart();
    const inc = await h.provisioned(1);
    expect(h.slack.state.channel(inc.channelId!)?.name).toBe('inc-1-refused-channel');
    const replies = await h.waitFor(() => { const r = h.slack.responses().filter((x) => x.url === answer.responseUrl); return r.length === 2 && r; }, 'the second reply');
    expect((replies[1]!.body as { text: string }).text).toContain('*INC-1* is open in');
  });

  it('opens the incident without the steps Slack refuses that it can do without, and says which', async () => {
    h.slack.failNext('pins.add', { error: 'not_pinnable' });
    h.slack.failNext('conversations.setTopic', { error: 'restricted_action' });
    const answer = await h.slash('declare sev3 Partly refused');
    const reply = await h.waitFor(() => h.slack.responses().find((r) => r.url === answer.responseUrl), 'the reply');
    const text = (reply.body as { text: string }).text;
    expect(text).toContain('*INC-1* is open in');
    expect(text).toContain(':warning: Klaxon could not set the channel topic: Slack said `restricted_action`.');
    expect(text).toContain(':warning: Klaxon could not pin the summary message: Slack said `not_pinnable`.');
    const inc = (await incident(1))!;
    expect(inc).toMatchObject({ provisioning: 'done' });
    expect(h.slack.state.channel(inc.channelId!)!.purpose.value).toContain('INC-1');
    expect(h.slack.state.messages(INCIDENTS_CHANNEL)).toHaveLength(1);
  });

  it('still opens the incident when INCIDENTS_CHANNEL cannot be posted to, and says so', async () => {
    await h.close();
    h = await startHarness({ incidentsChannel: 'C0MISSING' });
    const answer = await h.slash('declare sev3 Announcement refused');
    const reply = await h.waitFor(() => h.slack.responses().find((r) => r.url === answer.responseUrl), 'the reply');
    const text = (reply.body as { text: string }).text;
    expect(text).toContain('*INC-1* is open in');
    expect(text).toContain(':warning: Klaxon could not announce it in <#C0MISSING>: Slack said `channel_not_found` (check INCIDENTS_CHANNEL).');
    expect(await incident(1)).toMatchObject({ provisioning: 'done', announcementTs: null });
  });
});
