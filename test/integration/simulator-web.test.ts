/**
 * The simulator's page API without a browser: the demo world (simulated Slack and a real Klaxon) with `/sim`
 * mounted, driven with fetch. What a person sees is only theirs, what they do reaches Klaxon as Slack's own
 * requests and comes back as Klaxon answered it, bad requests are refused before anything is sent, and the page
 * is served so that nothing typed in the workspace can run as code in it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { one } from '../../src/core/db.ts';
import { startDemoWorld, type DemoWorld } from '../../src/demo/world.ts';

const ALICE = 'U01ALICE';
const ERIN = 'U01ERIN';
const GENERAL = 'C0GENERAL';
const INCIDENTS = 'C0INCIDENTS';
const PAYMENTS = 'C0PAYMENTS';
const WEB_DIR = 'src/simulator/web';

interface ShownMessage {
  ts: string;
  author: string;
  text: string;
  blocks?: unknown[];
  onlyYou: boolean;
}
interface ShownChannel {
  id: string;
  displayName: string;
  kind: string;
  messages: ShownMessage[];
}
interface State {
  team: string;
  version: string;
  you: { id: string; name: string; tz: string };
  people: { id: string; name: string; realName: string; tz: string }[];
  channels: ShownChannel[];
  modal: { id: string; title: string; submit: string | null; fields: { blockId: string; type: string; options: { value: string }[] }[] } | null;
}

let world: DemoWorld;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'klaxon-sim-web-'));
  world = await startDemoWorld({ outputDir: dir, port: 0, simPort: 0 });
});

afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = (path: string): string => `${world.simUrl}/api/${path}`;

async function state(userId: string): Promise<State> {
  const response = await fetch(api(`state?user=${userId}`));
  expect(response.status).toBe(200);
  return (await response.json()) as State;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(api(path), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls an async check until it gives something, as the page would see it on its next refresh. */
async function until<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const channelIn = (view: State, id: string): ShownChannel | undefined => view.channels.find((c) => c.id === id);

describe('the /sim page', () => {
  it('is served with a strict content security policy and no inline code', async () => {
    const response = await fetch(world.simUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/sim/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/sim/app.css">');
    // Every script has a src (no inline code), and no element carries a style attribute or a <style> block.
    expect([...html.matchAll(/<script\b[^>]*>/g)].every((m) => /\bsrc="\/sim\//.test(m[0]))).toBe(true);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);

    const script = await fetch(`${world.simUrl}/app.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await script.text()).toContain("from './blocks.js'");
    const css = await fetch(`${world.simUrl}/app.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${world.simUrl}/secrets.txt`)).status).toBe(404);
  });

  it('never puts workspace text into the page as HTML', () => {
    const scripts = readdirSync(WEB_DIR).filter((f) => f.endsWith('.js'));
    expect(scripts).toEqual(expect.arrayContaining(['app.js', 'blocks.js', 'mrkdwn.js', 'modal.js', 'dom.js']));
    for (const file of scripts) expect(readFileSync(join(WEB_DIR, file), 'utf8'), file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });
});

describe('GET /sim/api/state', () => {
  it("lists a person's channels and not the ones they are not in", async () => {
    const alice = await state(ALICE);
    expect(alice.team).toBe('Klaxon Demo');
    expect(alice.you).toMatchObject({ id: ALICE, name: 'alice', tz: 'Europe/London' });
    expect(alice.channels.map((c) => c.displayName)).toEqual(['#general', '#incidents', '#payments-eng']);
    expect(alice.people.map((p) => p.name)).toContain('erin');
    expect(alice.people.map((p) => p.name)).not.toContain('klaxon');

    const erin = await state(ERIN);
    expect(erin.channels.map((c) => c.id)).toEqual([GENERAL, INCIDENTS]);
  });

  it('refuses a missing or unknown person', async () => {
    expect((await fetch(api('state'))).status).toBe(400);
    const unknown = await fetch(api('state?user=U0NOBODY'));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain('U0NOBODY');
    expect((await fetch(api('state?user=U0KLAXON'))).status).toBe(404);
  });
});

describe('POST /sim/api/command', () => {
  it('sends /incident help as Slack would and shows the answer to the person alone', async () => {
    const before = (await state(ALICE)).version;
    const sent = await post('command', { user: ALICE, channel: GENERAL, text: '/incident help' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ kind: 'command', status: 200 });

    const alice = await state(ALICE);
    expect(alice.version).not.toBe(before);
    const answer = channelIn(alice, GENERAL)!.messages.find((m) => m.onlyYou);
    expect(answer?.author).toBe('Klaxon');
    expect(JSON.stringify(answer)).toContain('declare');
    const erin = await state(ERIN);
    expect(channelIn(erin, GENERAL)!.messages.some((m) => m.onlyYou)).toBe(false);
  });

  it('posts a plain message as the person, as data, and tells Klaxon in channels it is in', async () => {
    const text = '<script>alert("x")</script> & @erin <b>bold</b>';
    const sent = await post('command', { user: ALICE, channel: INCIDENTS, text });
    expect(sent.status).toBe(200);
    // Klaxon is in #incidents and subscribes to message.channels: the event was delivered and accepted.
    expect(sent.body).toMatchObject({ kind: 'message', delivered: true, status: 200 });

    const message = channelIn(await state(ERIN), INCIDENTS)!.messages.find((m) => m.ts === sent.body.ts);
    // As Slack stores it: the three characters escaped, the mention as a token; the page shows it as text.
    expect(message).toMatchObject({ author: 'alice', onlyYou: false, text: '&lt;script&gt;alert("x")&lt;/script&gt; &amp; <@U01ERIN> &lt;b&gt;bold&lt;/b&gt;' });

    const elsewhere = await post('command', { user: ALICE, channel: GENERAL, text: 'hello' });
    expect(elsewhere.body).toMatchObject({ kind: 'message', delivered: false });
  });

  it('refuses bad bodies, unknown commands and channels the person is not in', async () => {
    const cases: [unknown, number, RegExp][] = [
      ['{not json', 400, /not valid JSON/],
      [{ user: ALICE, channel: GENERAL }, 400, /text/],
      [{ user: ALICE, channel: GENERAL, text: '   ' }, 400, /text/],
      [{ user: 'alice', channel: GENERAL, text: 'hi' }, 400, /user/],
      [{ user: ALICE, channel: GENERAL, text: '/nope do it' }, 400, /\/nope is not a valid command/],
      [{ user: 'U0NOBODY', channel: GENERAL, text: 'hi' }, 404, /U0NOBODY/],
      [{ user: ERIN, channel: PAYMENTS, text: 'hi' }, 404, /erin sees no channel/],
    ];
    for (const [body, status, error] of cases) {
      const answer = await post('command', body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(String(answer.body.error)).toMatch(error);
    }
    const form = await fetch(api('command'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=U01ALICE&channel=C0GENERAL&text=hi' });
    expect(form.status).toBe(400);
    const huge = await post('command', { user: ALICE, channel: GENERAL, text: 'x'.repeat(120_000) });
    expect(huge.status).toBe(413);
    const forged = await post('command', { user: ALICE, channel: GENERAL, text: 'hi' }, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    // Nothing refused was posted.
    expect(channelIn(await state(ALICE), GENERAL)!.messages.some((m) => m.text === 'hi')).toBe(false);
  });
});

describe('modals and clicks through the API', () => {
  it('opens the declare form, shows field errors from Klaxon, declares on submit, and pages someone who acknowledges', async () => {
    await post('command', { user: ALICE, channel: GENERAL, text: '/incident declare' });
    const modal = await until(async () => (await state(ALICE)).modal, 'the declare form');
    expect(modal).toMatchObject({ title: 'Declare an incident', submit: 'Declare' });
    expect(modal.fields.map((f) => f.blockId)).toEqual(expect.arrayContaining(['title', 'severity', 'summary']));

    const refused = await post('submit', { user: ALICE, viewId: modal.id, answers: { title: '   ' } });
    expect(refused.status).toBe(200);
    expect(Object.keys(refused.body.errors as object)).toEqual(['title']);
    expect((await state(ALICE)).modal?.id).toBe(modal.id);

    expect((await post('submit', { user: ALICE, viewId: 'V0OTHER', answers: {} })).status).toBe(409);
    expect((await post('submit', { user: ALICE, answers: { title: 12 } })).status).toBe(400);

    const accepted = await post('submit', { user: ALICE, viewId: modal.id, answers: { title: 'Checkout times out', severity: 'sev2', service: 'payments' } });
    expect(accepted.body.errors).toBeUndefined();
    expect((await state(ALICE)).modal).toBeNull();
    await world.klaxon.scheduler.idle();
    const channel = await until(async () => (await state(ALICE)).channels.find((c) => c.displayName.includes('checkout-times-out')), 'the incident channel');
    expect(channel.kind).toBe('public');

    const pagedId = await until(async () => world.slack.state.users().find((u) => world.slack.state.dmsWith(u.id).some((m) => JSON.stringify(m.blocks ?? []).includes('"Acknowledge"')))?.id, 'a page');
    const paged = await state(pagedId);
    const dm = paged.channels.find((c) => c.kind === 'im')!;
    expect(dm.displayName).toBe('Klaxon');
    // Whoever is on call now (the demo's rota changes hands each day), someone else does not see their DM.
    const other = pagedId === ALICE ? ERIN : ALICE;
    expect((await state(other)).channels.some((c) => c.id === dm.id)).toBe(false);
    const page = dm.messages.find((m) => JSON.stringify(m.blocks ?? []).includes('"Acknowledge"'))!;

    expect((await post('click', { user: pagedId, channel: dm.id, ts: page.ts, actionId: 'no.such_button' })).status).toBe(404);
    expect((await post('click', { user: pagedId, channel: dm.id, ts: '1.000001', actionId: 'oncall.ack' })).status).toBe(404);
    const clicked = await post('click', { user: pagedId, channel: dm.id, ts: page.ts, actionId: 'oncall.ack', value: '1' });
    expect(clicked).toMatchObject({ status: 200, body: { status: 200 } });
    await world.klaxon.scheduler.idle();
    await until(async () => !JSON.stringify((await state(pagedId)).channels.find((c) => c.id === dm.id)?.messages.find((m) => m.ts === page.ts)?.blocks ?? []).includes('"Acknowledge"'), 'the page to show it was acknowledged');
    const row = await one(world.klaxon.database.db, sql`select status, user_id as "userId" from pages order by id limit 1`);
    expect(row).toEqual({ status: 'acknowledged', userId: pagedId });
  });

  it('closes an open form without telling Klaxon', async () => {
    await post('command', { user: ERIN, channel: GENERAL, text: '/incident declare' });
    await until(async () => (await state(ERIN)).modal, 'the declare form');
    const closed = await post('close', { user: ERIN });
    expect(closed).toEqual({ status: 200, body: { closed: true } });
    expect((await state(ERIN)).modal).toBeNull();
    expect((await post('close', { user: ERIN })).body).toEqual({ closed: false });
    expect((await post('close', {})).status).toBe(400);
  });
});
