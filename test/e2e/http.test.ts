/** The HTTP surface: signature checks on /slack/events, body limits, malformed addresses, and /healthz. */
import { request } from 'node:http';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
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
    expect(await getIncident(h.klaxon.database.db, 1)).toBeUndefined();
    expect(h.slack.calls().filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('rejects a correctly signed request older than five minutes with 401', async () => {
    const body = declareBody();
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form, sixMinutesAgo));
    expect(answer.status).toBe(401);
    expect(await getIncident(h.klaxon.database.db, 1)).toBeUndefined();
  });

  it('rejects a correctly signed request dated more than five minutes ahead with 401, and changes nothing', async () => {
    for (const ahead of [6 * 60, 365 * 24 * 60 * 60]) {
      const body = declareBody();
      const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form, Math.floor(Date.now() / 1000) + ahead));
      expect(answer.status, `${ahead} s ahead`).toBe(401);
    }
    expect(await getIncident(h.klaxon.database.db, 1)).toBeUndefined();
    expect(h.slack.calls().filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('rejects a body changed after signing and a request without a signature', async () => {
    const body = declareBody();
    const headers = signedHeaders(SIGNING_SECRET, body, form);
    expect((await h.post('/slack/events', body.replace('Forged', 'Tampered'), headers)).status).toBe(401);
    expect((await h.post('/slack/events', body, { 'content-type': form })).status).toBe(401);
    expect(await getIncident(h.klaxon.database.db, 1)).toBeUndefined();
  });

  it('answers a signed but malformed command without acting on it', async () => {
    const body = declareBody().replace(/response_url=[^&]*/, 'response_url=not-a-url');
    const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form));
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ response_type: 'ephemeral', text: 'Klaxon could not read that command. Please try again.' });
    expect(await getIncident(h.klaxon.database.db, 1)).toBeUndefined();
  });

  it('refuses an oversized body with 413 before reading it, and changes nothing', async () => {
    const body = `${declareBody()}&padding=${'x'.repeat(1_100_000)}`;
    const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form));
    expect(answer.status).toBe(413);
    expect(await getIncident(h.klaxon.database.db, 1)).toBeUndefined();
  });

  it('refuses a huge or unmeasured body under every spelling of the path before reading it', async () => {
    const { port } = new URL(h.baseUrl);
    /** Sends only the headers (the body never comes): an answer at all shows the body was not waited for. */
    const headersOnly = (path: string, headers: Record<string, string | number>) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-type': form, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    for (const path of ['/slack/events', '/slack/./events', '/slack/x/../events', '/slack/events#x', '/slack/events?x=1', '//slack/../slack/events']) {
      expect(await headersOnly(path, { 'content-length': Math.round(3.9 * 1024 * 1024) }), path).toBe(413);
      expect(await headersOnly(path, { 'transfer-encoding': 'chunked' }), path).toBe(411);
    }
    expect(await getIncident(h.klaxon.database.db, 1)).toBeUndefined();
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
    expect(await h.rows(sql`select count(*) as n from incidents`)).toEqual([{ n: 0 }]);
    expect(h.slack.calls().filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('accepts the same request correctly signed', async () => {
    const body = declareBody();
    const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, form));
    expect(answer.status).toBe(200);
    expect((await getIncident(h.klaxon.database.db, 1))?.title).toBe('Forged incident');
  });
});

describe('page addresses with a malformed percent-escape', () => {
  it('answer 400 with a plain explanation, and log no error', async () => {
    const lines: string[] = [];
    const logged = await startHarness({ logSink: (line) => lines.push(line) });
    try {
      for (const path of ['/runbooks/%ZZ', '/postmortems/%', '/oncall/%E0%A4%A.ics', '/runbooks/%E0%A4%A']) {
        const response = await fetch(`${logged.baseUrl}${path}`);
        expect(response.status, path).toBe(400);
        expect(await response.text()).toContain('malformed percent-escape');
      }
      expect(lines.filter((line) => (JSON.parse(line) as { level: string }).level === 'error')).toEqual([]);
      expect((await fetch(`${logged.baseUrl}/runbooks/no%20such%20runbook`)).status).toBe(404);
    } finally {
      await logged.close();
    }
  });
});

describe('GET /healthz', () => {
  it('answers 200 with the database reachable, naming the instance and its engine', async () => {
    const response = await fetch(`${h.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    const engine = process.env.KLAXON_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
    expect(await response.json()).toEqual({ instance: `${hostname()}:${process.pid}`, engine, ok: true, database: 'reachable', slack: 'reachable' });
  });
});
