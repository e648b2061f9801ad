import { describe, expect, it } from 'vitest';
import { payloadProblem } from '../../../src/slack/payload-shape.ts';
import { blockActionPayload, declareFormValues, eventCallbackBody, messageShortcutPayload, slashCommandFields, viewSubmissionPayload } from '../../../src/simulator/requests.ts';

const where = { userId: 'U01ALICE', channelId: 'C0INC', messageTs: '1.2', responseUrl: 'https://hooks.test/r', triggerId: 't' };

describe('payloadProblem', () => {
  it('lets every kind of payload Slack sends through', () => {
    expect(payloadProblem(slashCommandFields({ text: 'declare', userId: 'U01ALICE', channelId: 'C0GENERAL', responseUrl: 'https://hooks.test/r', triggerId: 't' }))).toBeUndefined();
    expect(payloadProblem(viewSubmissionPayload({ userId: 'U01ALICE', triggerId: 't', view: { id: 'V1', callback_id: 'incident.declare' }, values: declareFormValues({ title: 'x' }) }))).toBeUndefined();
    expect(payloadProblem(blockActionPayload({ ...where, actionId: 'oncall.ack', blockId: 'b', value: '1' }))).toBeUndefined();
    expect(payloadProblem(messageShortcutPayload({ ...where, callbackId: 'timeline.add_entry' }))).toBeUndefined();
    expect(payloadProblem(JSON.parse(eventCallbackBody({ type: 'channel_created', channel: { id: 'C1', name: 'x', creator: 'U01ALICE' } }).body))).toBeUndefined();
    expect(payloadProblem({ type: 'url_verification', challenge: 'c' })).toBeUndefined();
    expect(payloadProblem({ ssl_check: '1', token: 't' })).toBeUndefined();
  });

  it('names what is wrong with a body Bolt would trip over', () => {
    expect(payloadProblem(null)).toBe('body: not an object (null)');
    expect(payloadProblem([1])).toBe('body: not an object (an array)');
    expect(payloadProblem(7)).toBe('body: not an object (number)');
    expect(payloadProblem({ type: 'view_submission', user: { id: 'U01ALICE' } })).toMatch(/^view: /);
    expect(payloadProblem({ type: 'block_actions', user: { id: 'U01ALICE' }, actions: 5 })).toMatch(/^actions: /);
    expect(payloadProblem({ type: 'event_callback', event: { type: 'message', channel: null } })).toMatch(/^event\.channel: /);
    expect(payloadProblem({ command: '/incident', text: ['a', 'b'], user_id: 'U01ALICE', channel_id: 'C0GENERAL' })).toMatch(/^text: /);
  });
});
