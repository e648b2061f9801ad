/** The same declaration through Socket Mode: the fake serves apps.connections.open and a WebSocket. */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, USERS, type Harness } from '../support/harness.ts';
import { slashCommandFields } from '../../src/simulator/requests.ts';

let h: Harness;
afterEach(async () => h?.close());

describe('Socket Mode', () => {
  it('receives a slash command envelope, acks it with its envelope_id and declares', async () => {
    h = await startHarness({ socketMode: true });
    await h.slack.socketMode.connected();
    expect(h.slack.calls('apps.connections.open')).toHaveLength(1);
    expect(h.slack.calls('apps.connections.open')[0]!.token).toBe(h.slack.appToken);

    const responseUrl = h.slack.createResponseUrl({ channel: 'C0GENERAL' });
    const payload = slashCommandFields({ text: 'declare sev2 payments Socket mode checkout errors', userId: USERS.alice, channelId: 'C0GENERAL', responseUrl, triggerId: h.slack.issueTriggerId() });
    const sent = h.slack.socketMode.send('slash_commands', payload);
    const ack = await sent;
    expect(ack.envelope_id).toBeTruthy();
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('*INC-1* declared: Socket mode checkout errors') });
    expect(h.slack.socketMode.errors()).toEqual([]);

    const inc = await h.provisioned(1);
    expect(h.slack.state.channel(inc.channelId!)?.name).toBe('inc-1-socket-mode-checkout-errors');
    const reply = await h.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl), 'the reply');
    expect((reply.body as { text: string }).text).toContain('*INC-1* is open in');
  });

  it('answers a page address with a malformed percent-escape 400, and keeps serving pages', async () => {
    h = await startHarness({ socketMode: true });
    expect((await fetch(`${h.baseUrl}/runbooks/%ZZ`)).status).toBe(400);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});
