import { App, LogLevel, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ListenerTable } from '../../../src/slack/listeners.ts';

/** A real Bolt app that never listens: payloads are handed to processEvent as the receiver would. */
function boltApp(): App {
  const receiver: Receiver = { init: () => {}, start: async () => undefined, stop: async () => undefined };
  return new App({ token: 'xoxb-test', receiver, convoStore: false, logLevel: LogLevel.ERROR, tokenVerificationEnabled: false, botId: 'B0KLAXON', botUserId: 'U0KLAXON' });
}

async function deliver(app: App, body: Record<string, unknown>): Promise<unknown[]> {
  const acks: unknown[] = [];
  await app.processEvent({ body, ack: async (response?: unknown) => void acks.push(response ?? 'ack') });
  return acks;
}

const team = { id: 'T0TEAM' };
const user = { id: 'U0ALICE' };
const blockAction = (actionId: string) => ({ type: 'block_actions', team, user, api_app_id: 'A0KLAXON', token: 't', trigger_id: '1.2.x', response_url: 'https://hooks.slack.test/r', actions: [{ type: 'button', action_id: actionId, block_id: 'b', action_ts: '1.2', value: 'v' }] });
const submission = (callbackId: string) => ({ type: 'view_submission', team, user, api_app_id: 'A0KLAXON', token: 't', trigger_id: '1.2.x', view: { id: 'V0', type: 'modal', callback_id: callbackId, private_metadata: '', state: { values: {} }, hash: 'h' } });
const command = (name: string) => ({ command: name, text: 'help', team_id: team.id, user_id: user.id, channel_id: 'C0GENERAL', response_url: 'https://hooks.slack.test/r', trigger_id: '1.2.x', token: 't', api_app_id: 'A0KLAXON' });
const shortcut = (callbackId: string) => ({ type: 'message_action', callback_id: callbackId, team, user, channel: { id: 'C0INC' }, message: { ts: '1.2', text: 'x' }, trigger_id: '1.2.x', response_url: 'https://hooks.slack.test/r', token: 't' });
const event = (type: string) => ({ type: 'event_callback', team_id: team.id, api_app_id: 'A0KLAXON', event_id: 'Ev0', event_time: 1, event: { type, user: user.id, item: { type: 'message', channel: 'C0INC', ts: '1.2' }, reaction: 'pushpin', event_ts: '1.2' } });

describe('ListenerTable', () => {
  it('hands each payload to the handler registered for its kind and id, and to no other', async () => {
    const app = boltApp();
    const table = new ListenerTable();
    table.attach(app);
    const ran: string[] = [];
    table.action('incident.ack', async ({ ack, action }) => {
      ran.push(`action ${action.action_id}`);
      await ack();
    });
    table.action('incident.other', async ({ ack }) => {
      ran.push('wrong action');
      await ack();
    });
    table.view('incident.note', async ({ ack, view }) => {
      ran.push(`view ${view.callback_id}`);
      await ack();
    });
    table.command('/incident', async ({ ack, command: c }) => {
      ran.push(`command ${c.command} ${c.text}`);
      await ack();
    });
    table.shortcut('timeline.add', async ({ ack, shortcut: s }) => {
      ran.push(`shortcut ${s.callback_id}`);
      await ack();
    });
    table.event('reaction_added', async ({ event: e }) => void ran.push(`event ${e.type} ${e.reaction}`));

    expect(await deliver(app, blockAction('incident.ack'))).toHaveLength(1);
    expect(await deliver(app, submission('incident.note'))).toHaveLength(1);
    expect(await deliver(app, command('/incident'))).toHaveLength(1);
    expect(await deliver(app, shortcut('timeline.add'))).toHaveLength(1);
    await deliver(app, event('reaction_added'));
    expect(ran).toEqual(['action incident.ack', 'view incident.note', 'command /incident help', 'shortcut timeline.add', 'event reaction_added pushpin']);
  });

  it('runs nothing for an id no one registered, leaving the acknowledgement to the delivery wrapper', async () => {
    const app = boltApp();
    const table = new ListenerTable();
    table.attach(app);
    const ran: string[] = [];
    table.action('incident.ack', async ({ ack }) => {
      ran.push('ack');
      await ack();
    });
    expect(await deliver(app, blockAction('incident.unknown'))).toEqual([]);
    expect(await deliver(app, submission('incident.unknown'))).toEqual([]);
    expect(await deliver(app, command('/other'))).toEqual([]);
    expect(ran).toEqual([]);
  });

  it('refuses a second handler for the same id, and lists what was registered for the manifest check', () => {
    const table = new ListenerTable();
    table.attach(boltApp());
    table.command('/incident', async () => {});
    table.shortcut('timeline.add', async () => {});
    table.event('reaction_added', async () => {});
    table.event('message', async () => {});
    expect(() => table.command('/incident', async () => {})).toThrow('Two Slack listeners for the command /incident.');
    expect(table.registered).toEqual({ commands: new Set(['/incident']), shortcuts: new Set(['timeline.add']), events: new Set(['reaction_added', 'message']) });
  });

  it('passes a handler’s failure on to Bolt’s error handling', async () => {
    const app = boltApp();
    const failures: string[] = [];
    app.error(async (error) => void failures.push(error.message));
    const table = new ListenerTable();
    table.attach(app);
    table.action('incident.ack', async ({ ack }) => {
      await ack();
      throw new Error('the use case failed');
    });
    await deliver(app, blockAction('incident.ack'));
    expect(failures).toEqual(['the use case failed']);
  });
});
