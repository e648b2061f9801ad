/**
 * A crash in the middle of a declaration: the process is killed with SIGKILL while a Slack call is in flight,
 * then started again on the same database file. The incident ends complete, with nothing made twice.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { childAppEnv, startChildApp, type ChildApp } from '../support/child-app.ts';
import { startFakeSlack, type FakeSlack } from '../../src/simulator/slack/index.ts';
import { INCIDENTS_CHANNEL, paymentsPagesBobThenCarolYml, SIGNING_SECRET, TEST_KLAXON_YML, USERS } from '../support/harness.ts';
import { manifestBotScopes } from '../support/manifest.ts';
import { signedHeaders } from '../../src/simulator/sign.ts';
import { slashCommandBody } from '../../src/simulator/requests.ts';
import { waitFor } from '../../src/simulator/wait.ts';

/**
 * Each test starts Klaxon twice as a real process, and a start may take up to 15 s on a busy machine
 * (startChildApp): the limit leaves room for both, so that a slow machine fails a test only by a wait's own message.
 */
const TWO_STARTS = { timeout: 60_000 };

let slack: FakeSlack;
let app: ChildApp | undefined;
let dir: string;
afterEach(async () => {
  await app?.kill();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(klaxonYml = TEST_KLAXON_YML): Promise<Record<string, string> & { KLAXON_DB: string }> {
  slack = await startFakeSlack({
    scopes: manifestBotScopes(),
    users: [{ id: USERS.alice, name: 'alice' }, { id: USERS.bob, name: 'bob' }, { id: USERS.carol, name: 'carol' }],
    channels: [{ id: 'C0GENERAL', name: 'general', members: [USERS.alice] }, { id: INCIDENTS_CHANNEL, name: 'incidents', members: [USERS.alice] }],
  });
  dir = mkdtempSync(join(tmpdir(), 'klaxon-restart-'));
  writeFileSync(join(dir, 'klaxon.yml'), klaxonYml);
  // No runbooks: the messages these tests count are the declaration's own.
  return childAppEnv(slack, dir);
}

async function declare(port: number, text: string): Promise<string> {
  const responseUrl = slack.createResponseUrl({ channel: 'C0GENERAL' });
  const body = slashCommandBody({ text, userId: USERS.alice, channelId: 'C0GENERAL', responseUrl, triggerId: slack.issueTriggerId() });
  const response = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body, headers: signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded') });
  expect(response.status).toBe(200);
  return responseUrl;
}

function incidentRow(dbFile: string): { provisioning: string; channel_id: string | null; summary_ts: string | null } | undefined {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare('select provisioning, channel_id, summary_ts from incidents where id = 1').get() as never;
  } finally {
    db.close();
  }
}

/** Each thread's nice value (Linux: /proc/<pid>/task/<tid>/stat, field 19). */
function threadNiceValues(pid: number): Map<number, number> {
  return new Map(
    readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return [Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
    }),
  );
}

describe('stopped with SIGTERM', () => {
  it('finishes what it is doing, exits 0, and the next start carries on', TWO_STARTS, async () => {
    const env = await setup();
    app = await startChildApp(env);
    await declare(app.port, 'declare sev3 Graceful stop');
    await waitFor(() => incidentRow(env.KLAXON_DB)?.provisioning === 'done' || undefined, 'the incident');
    if (process.platform === 'linux') {
      // Every thread but the main one (the job worker, V8's and libuv's) runs below it: answering Slack comes first.
      const nice = threadNiceValues(app.process.pid!);
      expect(nice.get(app.process.pid!)).toBe(0);
      expect([...nice].filter(([tid]) => tid !== app!.process.pid).every(([, n]) => n === 10)).toBe(true);
      expect(nice.size).toBeGreaterThan(5);
    }
    expect(await app.kill('SIGTERM')).toBe(0);
    expect(app.logs.some((line) => line.includes('"msg":"shutting down"'))).toBe(true);
    app = await startChildApp(env);
    const second = await declare(app.port, 'declare sev3 After the restart');
    await waitFor(() => slack.responses().some((r) => r.url === second && (r.body as { text?: string }).text?.includes('*INC-2* is open')) || undefined, 'INC-2');
  });
});

describe('killed mid-declaration', () => {
  // Every Slack step of setting an incident up, in order.
  for (const method of ['conversations.create', 'conversations.setTopic', 'conversations.setPurpose', 'conversations.invite', 'chat.postMessage', 'pins.add']) {
    it(`finishes the incident after a SIGKILL during ${method}, making nothing twice`, TWO_STARTS, async () => {
      const env = await setup();
      app = await startChildApp(env);
      // The call reaches Slack and takes effect, but the answer comes too late for the killed process.
      slack.failNext(method, { delayMs: 1500 });
      const responseUrl = await declare(app.port, 'declare sev2 payments Crash during setup');
      await waitFor(() => slack.calls(method).length > 0 || undefined, `${method} to be called`);
      await app.kill('SIGKILL');
      app = undefined;

      app = await startChildApp(env);
      const row = await waitFor(() => incidentRow(env.KLAXON_DB)?.provisioning === 'done' && incidentRow(env.KLAXON_DB), 'the incident to be complete', 20_000);
      const channels = slack.state.channels().filter((c) => c.name.startsWith('inc-1-'));
      expect(channels.map((c) => c.name)).toEqual(['inc-1-crash-during-setup']);
      expect(row.channel_id).toBe(channels[0]!.id);
      expect(slack.state.messages(row.channel_id!)).toHaveLength(1);
      expect(slack.state.channel(row.channel_id!)!.pins).toEqual([row.summary_ts]);
      expect(slack.state.messages(INCIDENTS_CHANNEL)).toHaveLength(1);
      await waitFor(() => slack.responses().some((r) => r.url === responseUrl) || undefined, 'the reply');
      expect(slack.responses().filter((r) => r.url === responseUrl)).toHaveLength(1);
      // A lost answer to a step that makes something was looked for before anything was made again; the other
      // steps are safe to repeat (the same topic, an invitation or pin Slack says already exists).
      if (method === 'conversations.create') expect(slack.calls('conversations.list').length).toBeGreaterThan(0);
      if (method === 'chat.postMessage') expect(slack.calls('conversations.history').length).toBeGreaterThan(0);
    });
  }
});

describe('killed mid-escalation', () => {
  const yml = paymentsPagesBobThenCarolYml(2);

  it('pages every level exactly once after a SIGKILL while the level 2 page is being posted', TWO_STARTS, async () => {
    const env = await setup(yml);
    app = await startChildApp(env);
    // The level 2 DM reaches Slack, but its answer comes too late for the killed process (whatever else is
    // posted meanwhile, however long setting the incident up takes).
    const carolsDm = slack.state.imWith(USERS.carol).id;
    slack.failNext('chat.postMessage', { delayMs: 1500, channel: carolsDm });
    await declare(app.port, 'declare sev1 payments Card payments failing');
    const dms = (userId: string) => slack.state.dmsWith(userId);
    await waitFor(() => dms(USERS.bob)[0], 'the level 1 page');
    const channel = await waitFor(() => incidentRow(env.KLAXON_DB)?.channel_id ?? undefined, 'the incident channel');
    await waitFor(() => slack.calls('chat.postMessage').some((c) => c.args.channel === carolsDm) || undefined, 'the level 2 page to be sent', 10_000);
    await app.kill('SIGKILL');
    app = undefined;

    app = await startChildApp(env);
    // Level 2 times out in turn: the alert goes out, once, and nobody was paged twice.
    await waitFor(() => slack.state.messages(channel).find((m) => m.text.includes('Nobody has acknowledged INC-1')), 'the alert after the restart', 20_000);
    await waitFor(() => slack.state.messages(channel).filter((m) => m.text.includes('Paged <@U01CAROL>')).length === 1 || undefined, 'the level 2 line');
    expect(dms(USERS.bob)).toHaveLength(1);
    expect(dms(USERS.carol)).toHaveLength(1);
    expect(slack.state.messages(channel).filter((m) => m.text.includes('Nobody has acknowledged INC-1'))).toHaveLength(1);
    expect(slack.calls('conversations.history').some((c) => c.args.channel === carolsDm)).toBe(true);
  });
});

describe('a signed request replayed after a restart', () => {
  it('declares once: the second start knows the signature, answers with an empty 200 and logs the replay', TWO_STARTS, async () => {
    const env = await setup();
    app = await startChildApp(env);
    const body = slashCommandBody({ text: 'declare sev3 Replayed after a restart', userId: USERS.alice, channelId: 'C0GENERAL', responseUrl: slack.createResponseUrl({ channel: 'C0GENERAL' }), triggerId: slack.issueTriggerId() });
    const headers = signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded');
    const send = async (port: number) => {
      const response = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body, headers });
      return { status: response.status, text: await response.text() };
    };
    expect((await send(app.port)).status).toBe(200);
    await waitFor(() => incidentRow(env.KLAXON_DB)?.provisioning === 'done' || undefined, 'the incident');
    expect(await app.kill('SIGTERM')).toBe(0);

    app = await startChildApp(env);
    expect(await send(app.port)).toEqual({ status: 200, text: '' });
    await waitFor(() => app!.logs.some((line) => line.includes('a signed request was received again')) || undefined, 'the log line about the replay');
    const db = new Database(env.KLAXON_DB, { readonly: true });
    try {
      expect(db.prepare('select count(*) as n from incidents').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});

describe('a second process on the same SQLite file', () => {
  it('refuses to start with one line while the first runs, and starts at once after the first is killed', TWO_STARTS, async () => {
    const env = await setup();
    app = await startChildApp(env);
    const refused = await startChildApp(env).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refused).toBe(
      `Klaxon exited with 1:\nklaxon: another Klaxon is already running on ${env.KLAXON_DB} (it holds ${env.KLAXON_DB}.lock): stop it before starting this one; to run several instances, use Postgres (KLAXON_DB=postgres://…)`,
    );
    // The first one is unharmed: it still answers.
    const responseUrl = await declare(app.port, 'declare sev3 Still answering');
    await waitFor(() => slack.responses().some((r) => r.url === responseUrl) || undefined, 'the answer');

    await app.kill('SIGKILL');
    app = await startChildApp(env);
    expect(app.port).toBeGreaterThan(0);
  });
});
