/** The gateway over its node:http transport against the fake Slack: answers, and what each failure becomes. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../../src/core/logger.ts';
import { nodeHttpFetch } from '../../../src/core/node-http-fetch.ts';
import { createSlackGateway, type SlackGateway } from '../../../src/core/slack-gateway.ts';
import { startFakeSlack, type FakeSlack } from '../../../src/simulator/slack/index.ts';

let slack: FakeSlack;
let gateway: SlackGateway;
beforeEach(async () => {
  slack = await startFakeSlack({ channels: [{ id: 'C0OPS', name: 'ops', members: ['U0KLAXON'] }] });
  gateway = createSlackGateway({ token: slack.botToken, slackApiUrl: slack.url, logger: silentLogger, timeoutMs: 300 });
});
afterEach(() => slack.close());

describe('Slack gateway', () => {
  it('sends arguments as Slack reads them and returns the answer', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Café ☕ & <b>' } }];
    const result = await gateway.call('chat.postMessage', { channel: 'C0OPS', text: 'Café ☕ & <b>', blocks });
    expect(result).toMatchObject({ ok: true, channel: 'C0OPS', ts: expect.any(String) });
    expect(slack.state.messages('C0OPS')).toEqual([expect.objectContaining({ text: 'Café ☕ & <b>', blocks })]);
    expect(await gateway.botUserId()).toBe('U0KLAXON');
  });

  it('turns each kind of failure into a SlackCallError that says whether to try again', async () => {
    await expect(gateway.call('conversations.create', { name: 'ops' })).rejects.toMatchObject({ code: 'name_taken', retryable: false, data: { ok: false, error: 'name_taken' } });
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    await expect(gateway.call('chat.postMessage', { channel: 'C0OPS', text: 'x' })).rejects.toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 7000 });
    expect(gateway.reachability()).toMatchObject({ reachable: true });
    slack.failNext('chat.postMessage', { status: 500 });
    await expect(gateway.call('chat.postMessage', { channel: 'C0OPS', text: 'x' })).rejects.toMatchObject({ code: 'http_500', retryable: true, outcomeUnknown: true });
    expect(gateway.reachability()).toMatchObject({ reachable: false, lastError: expect.stringMatching(/^chat\.postMessage to 127\.0\.0\.1:\d+: HTTP 500$/) });
    slack.failNext('chat.postMessage', { delayMs: 2000 });
    await expect(gateway.call('chat.postMessage', { channel: 'C0OPS', text: 'x' })).rejects.toMatchObject({ code: 'timeout', retryable: true, outcomeUnknown: true });
    expect(gateway.reachability()).toMatchObject({ reachable: false, lastError: expect.stringContaining('no answer in time') });
    const forged = createSlackGateway({ token: 'xoxb-not-a-token', slackApiUrl: slack.url, logger: silentLogger });
    await expect(forged.call('chat.postMessage', { channel: 'C0OPS', text: 'x' })).rejects.toMatchObject({ code: 'invalid_auth', retryable: false, outcomeUnknown: false });
    // Slack answered, with an error: it can be reached.
    expect(forged.reachability()).toMatchObject({ reachable: true });
    // Only the late call took effect: a timeout says nothing about whether Slack acted (the outbox looks first).
    expect(slack.state.messages('C0OPS')).toEqual([expect.objectContaining({ text: 'x' })]);
  });

  it('posts to response URLs and reports an expired one', async () => {
    const url = slack.createResponseUrl({ channel: 'C0OPS', user: 'U0ALICE' });
    await gateway.respond(url, { response_type: 'ephemeral', text: 'only you' });
    expect(slack.responses()).toEqual([expect.objectContaining({ url, body: { response_type: 'ephemeral', text: 'only you' }, ok: true })]);
    await expect(gateway.respond(`${slack.url.replace(/\/api\/?$/, '')}/response/T0NONE/0`, { text: 'late' })).rejects.toMatchObject({ code: 'http_404', retryable: false });
  });

  it('fails a call to an address where nothing listens as a network failure, logged as JSON lines with the cause', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const lines: string[] = [];
    const nowhere = createSlackGateway({ token: slack.botToken, slackApiUrl: `http://127.0.0.1:${port}/api/`, logger: createLogger('info', (line) => lines.push(line)) });
    // Refused before anything was sent: nothing can have happened, so the outcome is known.
    await expect(nowhere.call('auth.test', {})).rejects.toMatchObject({ code: 'network', retryable: true, outcomeUnknown: false });
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'warn', component: 'web-api', msg: expect.stringContaining('ECONNREFUSED') }),
      expect.objectContaining({ level: 'warn', msg: 'slack call failed', method: 'auth.test', host: `127.0.0.1:${port}`, code: 'network', cause: `127.0.0.1:${port}: ECONNREFUSED` }),
    ]);
    expect(nowhere.reachability()).toMatchObject({ reachable: false, lastError: `auth.test to 127.0.0.1:${port}: ECONNREFUSED` });
  });
});

describe('nodeHttpFetch', () => {
  let server: http.Server;
  let base: string;
  beforeEach(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/empty') {
        res.writeHead(204).end();
        return;
      }
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-echo': req.headers['x-echo'] ?? '' }).end(JSON.stringify({ method: req.method, body })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it('answers like fetch: status, headers and body', async () => {
    const response = await nodeHttpFetch(`${base}/echo`, { method: 'POST', headers: { 'x-echo': 'hi' }, body: 'a=1&b=é' });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.headers.get('x-echo')).toBe('hi');
    expect(await response.json()).toEqual({ method: 'POST', body: 'a=1&b=é' });
    const headersObject = await nodeHttpFetch(`${base}/echo`, { method: 'POST', headers: new Headers({ 'x-echo': 'from Headers' }), body: '' });
    expect(headersObject.headers.get('x-echo')).toBe('from Headers');
    const empty = await nodeHttpFetch(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('gives up when its signal aborts', async () => {
    server.removeAllListeners('request');
    server.on('request', () => undefined); // never answers
    await expect(nodeHttpFetch(`${base}/slow`, { method: 'POST', body: 'x', signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: expect.stringMatching(/AbortError|TimeoutError/) });
  });
});
