/** The HTTP surface: signature checks on /slack/events, and /healthz. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getIncident } from '../../src/incidents/index.ts';
import { SIGNING_SECRET, startHarness, USERS, type Harness } from '../support/harness.ts';
import { signedHeaders } from '../../src/simulator/sign.ts';
import { interactivityBody, slashCommandBody } from '../../src/simulator/requests.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

const declareBody = () => slashCommandBody({ text: 'declare sev1 Forged incident', userId: USERS.alice, channelId: 'C0GENERAL', responseUrl: h.slack.createResponseUrl(), triggerId: h.slack.issueTriggerId() });
const form = 'application/x-www-form-urlencoded';

describe('POST /slack/events', () => {
  it('rejects a forged signature with 401 and changes nothing', async () => {
    const body = declareBody();
    const answer = await h.post('/slack/events', body, signedHeaders('not-the-secret', body, form));
    expect(answer.status).toBe(401);
    expect(getIncident(h.klaxon.database.db, 1)).toBeUndefined();
    expect(h.slack.calls().filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('rejects a correctly signed request older than five minutes with 401', async () => {
    const body = declareBody();
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form, sixMinutesAgo));
    expect(answer.status).toBe(401);
    expect(getIncident(h.klaxon.database.db, 1)).toBeUndefined();
  });

  it('rejects a body changed after signing and a request without a signature', async () => {
    const body = declareBody();
    const headers = signedHeaders(SIGNING_SECRET, body, form);
    expect((await h.post('/slack/events', body.replace('Forged', 'Tampered'), headers)).status).toBe(401);
    expect((await h.post('/slack/events', body, { 'content-type': form })).status).toBe(401);
    expect(getIncident(h.klaxon.database.db, 1)).toBeUndefined();
  });

  it('answers a signed but malformed command without acting on it', async () => {
    const body = declareBody().replace(/response_url=[^&]*/, 'response_url=not-a-url');
    const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form));
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ response_type: 'ephemeral', text: 'Klaxon could not read that command. Please try again.' });
    expect(getIncident(h.klaxon.database.db, 1)).toBeUndefined();
  });

  it('refuses an oversized body with 413 before reading it, and changes nothing', async () => {
    const body = `${declareBody()}&padding=${'x'.repeat(1_100_000)}`;
    const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form));
    expect(answer.status).toBe(413);
    expect(getIncident(h.klaxon.database.db, 1)).toBeUndefined();
  });

  it('answers a signed payload of a type Klaxon does not handle without side effects', async () => {
    const unknownAction = { type: 'block_actions', user: { id: USERS.alice }, actions: [{ action_id: 'nobody.listens', block_id: 'b', type: 'button', value: '1', action_ts: '1.2' }], team: { id: 'T0FAKE' }, api_app_id: 'A0FAKEAPP', token: 't', trigger_id: 't', response_url: h.slack.createResponseUrl() };
    const body = interactivityBody(unknownAction);
    const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form));
    // Acknowledged (Bolt alone would leave it unanswered and time it out).
    expect(answer.status).toBe(200);
    const bogus = interactivityBody({ type: 'bogus_type', user: { id: USERS.alice } });
    expect((await h.post('/slack/events', bogus, signedHeaders(SIGNING_SECRET, bogus, form))).status).toBeLessThan(500);
    const event = await h.event({ type: 'team_join', user: { id: 'U09NEW' } });
    expect(event.status).toBe(200);
    expect(h.klaxon.database.sqlite.prepare('SELECT count(*) AS n FROM incidents').get()).toEqual({ n: 0 });
    expect(h.slack.calls().filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('accepts the same request correctly signed', async () => {
    const body = declareBody();
    const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form));
    expect(answer.status).toBe(200);
    expect(getIncident(h.klaxon.database.db, 1)?.title).toBe('Forged incident');
  });
});

describe('GET /healthz', () => {
  it('answers 200 with the database reachable', async () => {
    const response = await fetch(`${h.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: 'reachable', slack: 'reachable' });
  });
});
