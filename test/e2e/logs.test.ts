/** Structured logs: each line about a Slack request or a job says which one, and which incident. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockActionPayload } from '../../src/simulator/requests.ts';
import { startHarness, USERS, type Harness } from '../support/harness.ts';

type Line = Record<string, unknown> & { msg: string; level: string };
let h: Harness;
let lines: Line[];
beforeEach(async () => {
  lines = [];
  h = await startHarness({ logSink: (line) => lines.push(JSON.parse(line) as Line) });
});
afterEach(() => h.close());

const linesAbout = (msg: string): Line[] => lines.filter((l) => l.msg === msg);

describe('log lines', () => {
  it('name the job and the incident of the work that wrote them', async () => {
    h.slack.failNext('conversations.create', { status: 500 });
    await h.slash('declare sev2 payments Card payments failing');
    await h.waitFor(() => h.slack.calls('conversations.create').some((c) => c.ok), 'the channel, on the second try');
    const failed = linesAbout('slack call failed').find((l) => l.method === 'conversations.create');
    expect(failed).toMatchObject({ level: 'warn', incident: 'INC-1', code: 'http_500' });
    expect(failed!.job).toBe('provision:INC-1');
    expect(linesAbout('job will be retried')[0]).toMatchObject({ incident: 'INC-1', kind: 'incident.provision' });
  });

  it('name the Slack request (its trigger_id or event_id) and, once the command names it, the incident', async () => {
    await h.slash('declare sev2 payments Card payments failing');
    // Until Klaxon has recorded the channel, a command there is answered as from an ordinary channel.
    const { channelId } = await h.provisioned(1);
    h.slack.failNext('users.info', { error: 'user_not_found' });
    const timeline = await h.slash('timeline', { channel: channelId!, user: USERS.bob });
    expect(linesAbout('slack call failed').find((l) => l.method === 'users.info')).toMatchObject({ request: timeline.triggerId, incident: 'INC-1' });

    const triggerId = h.slack.issueTriggerId();
    const responseUrl = h.slack.createResponseUrl({ channel: 'C0GENERAL' });
    await h.interact(blockActionPayload({ userId: USERS.alice, channelId: 'C0GENERAL', messageTs: '1.1', responseUrl, triggerId, actionId: 'nothing.here', blockId: 'b', value: 'x' }));
    const unhandled = linesAbout('no listener for a Slack payload: acknowledged and ignored')[0];
    expect(unhandled).toMatchObject({ level: 'warn', request: triggerId });
    expect(unhandled).not.toHaveProperty('incident');

    const event = { type: 'reaction_added', user: USERS.alice, reaction: 'eyes', item: { type: 'message', channel: 'C0GENERAL', ts: '1.1' }, item_user: USERS.bob };
    const first = await h.event(event);
    await h.event(event, { eventId: first.eventId, retryNum: 1 });
    expect(linesAbout('a repeated Slack event was dropped')[0]).toMatchObject({ request: first.eventId });
  });

  it('carry the stack of each error they report', async () => {
    h.slack.failNext('pins.add', { error: 'restricted_action' });
    await h.slash('declare sev2 payments Card payments failing');
    const refused = await h.waitFor(() => linesAbout('an incident setup step was refused')[0], 'the refused pin logged');
    expect(refused).toMatchObject({ level: 'error', method: 'pins.add', error: { code: 'restricted_action' } });
    expect((refused.error as { stack: string }).stack).toMatch(/restricted_action[\s\S]*\n\s+at /);
  });
});
