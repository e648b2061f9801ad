/**
 * Bad input, generated: command texts and form values that are huge, empty, full of control characters,
 * mentions, Block Kit-like JSON, non-Latin scripts and emoji. Each gets a clear answer (never a server error),
 * nothing a person typed is ever posted back as a live mention, and the database stays consistent. Replayed
 * and malformed requests change nothing.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIncident } from '../../src/incidents/index.ts';
import { SIGNING_SECRET, startHarness, USERS, type Harness } from '../support/harness.ts';
import { signedHeaders } from '../../src/simulator/sign.ts';
import { declareFormValues, interactivityBody, slashCommandBody, viewSubmissionPayload } from '../../src/simulator/requests.ts';

let h: Harness;
let channel: string;
beforeAll(async () => {
  h = await startHarness();
  await h.slash('declare sev3 search Baseline incident');
  channel = (await h.waitFor(async () => (await getIncident(h.klaxon.database.db, 1))?.channelId ?? undefined, 'INC-1'))!;
});
afterAll(async () => h?.close());

/** Pieces people (and attackers) type, mixed with arbitrary text. */
const nasty = fc.oneof(
  fc.constantFrom('<!channel>', '<!here>', '<!everyone>', '<@U01BOB|bob>', '<#C0GENERAL|general>', '<https://evil.test|click>', '&lt;b&gt;', '*bold* _it_ ~s~ `c`', '{"type":"section","text":{"type":"mrkdwn","text":"<!channel>"}}', '[{"blocks":[]}]', '\u0000\u0007\u001b[31m', '\u202eevil', 'Ünïcödé 日本語 العربية 🚨🔥', 'INC-1', 'sev1', 'resolved', '@here'),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const typed = fc.array(nasty, { maxLength: 6 }).map((parts) => parts.join(' '));
const huge = fc.integer({ min: 3001, max: 9000 }).map((n) => 'x'.repeat(n));

const SUBCOMMANDS = ['declare', 'note', 'update', 'status', 'severity', 'lead', 'role', 'page', 'oncall', 'runbook', 'timeline', 'problems', 'similar', 'ack', 'frobnicate'];

function assertNoLiveMentionFromUser(text: string): void {
  expect(text).not.toMatch(/<!(channel|here|everyone)>/);
  expect(text).not.toMatch(/<https:\/\/evil/);
}

async function count(table: string): Promise<number> {
  const [row] = await h.rows<{ n: number }>(sql`select count(*) as n from ${sql.raw(table)}`);
  return row!.n;
}

/** Posts `body` signed as Slack signs it, and posts the very same bytes and headers again for each of `replays`. */
async function postSigned(body: string, contentType: string, replays = 0) {
  const headers = signedHeaders(SIGNING_SECRET, body, contentType);
  const answers = [];
  for (let n = 0; n <= replays; n += 1) answers.push(await h.post('/slack/events', body, headers));
  return answers;
}

/** SQLite's own checks; Postgres enforces every foreign key as each row is written and has no such pragma. */
async function assertConsistent(): Promise<void> {
  if (h.klaxon.database.engine !== 'sqlite') return;
  expect(await h.rows(sql`PRAGMA foreign_key_check`)).toEqual([]);
  expect(await h.rows(sql`PRAGMA quick_check`)).toEqual([{ quick_check: 'ok' }]);
}

describe('generated bad input', () => {
  it('answers every sub-command with any text clearly, never with a server error or a live mention', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SUBCOMMANDS), fc.oneof(typed, huge), fc.boolean(), async (sub, text, inChannel) => {
        // Declaring is left to the form here: every declare with a title would make an incident.
        const command = sub === 'declare' ? 'declare' : `${sub} ${text}`;
        const answer = await h.slash(command.slice(0, 8000), { channel: inChannel ? channel : 'C0GENERAL' });
        expect(answer.status).toBe(200);
        if (answer.text) {
          const body = answer.json();
          expect(body.response_type).toBe('ephemeral');
          assertNoLiveMentionFromUser(JSON.stringify(body));
        }
      }),
      { numRuns: 150 },
    );
    await h.klaxon.scheduler.idle();
    for (const m of h.slack.state.messages(channel)) assertNoLiveMentionFromUser(`${m.text} ${JSON.stringify(m.blocks ?? '')}`);
    await assertConsistent();
  });

  it('answers any declare or post-mortem form values with field errors or success, never a server error', { timeout: 120_000 }, async () => {
    const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
    await fc.assert(
      fc.asyncProperty(fc.oneof(typed, huge, fc.constant('')), fc.oneof(typed, fc.constant('')), async (title, why) => {
        const declare = await h.submitView({
          userId: USERS.alice,
          view: { id: 'VDECL', callback_id: 'incident.declare' },
          values: { title: text(title), severity: { value: { type: 'static_select', selected_option: { value: 'sev4' } } }, summary: text(why), options: { value: { type: 'checkboxes', selected_options: [] } } },
        });
        expect(declare.status).toBe(200);
        if (declare.text) expect(declare.json()).toMatchObject({ response_action: 'errors' });
        const values: Record<string, Record<string, unknown>> = { summary: text(title), impact: text(why), detection: text(null), trigger: text(null), root_cause: text(null), contributing: text(why), went_well: text(null), went_badly: text(null), lucky: text(null), create_problem: { value: { type: 'checkboxes', selected_options: [] } } };
        for (let n = 1; n <= 5; n += 1) {
          values[`why_${n}`] = text(n === 1 ? title : why);
          values[`action_${n}_what`] = text(n === 1 ? why : null);
          values[`action_${n}_owner`] = { value: { type: 'users_select', selected_user: null } };
          values[`action_${n}_due`] = { value: { type: 'datepicker', selected_date: null } };
        }
        const saved = await h.submitView({ userId: USERS.alice, view: { id: 'VPM', callback_id: 'postmortem.form', private_metadata: JSON.stringify({ incidentId: 1 }) }, values });
        expect(saved.status).toBe(200);
        expect(saved.json()).toMatchObject({ response_action: 'errors' });
      }),
      { numRuns: 60 },
    );
    await h.klaxon.scheduler.idle();
    for (const ch of h.slack.state.channels()) for (const m of ch.messages) assertNoLiveMentionFromUser(`${m.text} ${JSON.stringify(m.blocks ?? '')}`);
    await assertConsistent();
  });
});

/** Any JSON at all, and objects with the keys Bolt and Klaxon dispatch on, holding any JSON (or sensible values). */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const slackish = fc.record(
  {
    type: fc.oneof(fc.constantFrom('event_callback', 'block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion', 'url_verification', 'app_rate_limited', 'dialog_submission'), anyJson),
    command: fc.oneof(fc.constant('/incident'), anyJson),
    text: anyJson,
    event: fc.oneof(fc.record({ type: fc.oneof(fc.constantFrom('message', 'app_home_opened', 'pin_added', 'member_joined_channel'), anyJson), channel: anyJson, user: anyJson, item: anyJson, subteam: anyJson }, { requiredKeys: [] }), anyJson),
    event_id: anyJson,
    actions: fc.oneof(fc.array(fc.oneof(fc.record({ action_id: anyJson, value: anyJson, block_id: anyJson }, { requiredKeys: [] }), anyJson), { maxLength: 2 }), anyJson),
    view: fc.oneof(fc.record({ id: anyJson, callback_id: fc.oneof(fc.constantFrom('incident.declare', 'timeline.note_modal', 'postmortem.form'), anyJson), state: fc.oneof(fc.record({ values: anyJson }), anyJson), private_metadata: anyJson }, { requiredKeys: [] }), anyJson),
    user: fc.oneof(fc.record({ id: anyJson, team_id: anyJson }, { requiredKeys: [] }), anyJson),
    team: anyJson,
    enterprise: anyJson,
    channel: anyJson,
    container: anyJson,
    callback_id: anyJson,
    message: anyJson,
    name: anyJson,
    user_id: anyJson,
    channel_id: anyJson,
    trigger_id: anyJson,
    response_url: anyJson,
    response_urls: anyJson,
    authorizations: anyJson,
    function_data: anyJson,
    ssl_check: anyJson,
  },
  { requiredKeys: [] },
);
const anyShape = fc.oneof(anyJson, slackish);

describe('signed bodies of any shape', () => {
  it('answers every one with a 4xx or an empty 200, and keeps answering commands', { timeout: 120_000 }, async () => {
    const incidents = await count('incidents');
    await fc.assert(
      fc.asyncProperty(anyShape, fc.constantFrom('json', 'payload', 'form'), async (shape, as) => {
        const body =
          as === 'json'
            ? JSON.stringify(shape)
            : as === 'payload'
              ? `payload=${encodeURIComponent(JSON.stringify(shape))}`
              : new URLSearchParams(Object.entries(typeof shape === 'object' && shape !== null ? shape : { shape }).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x) => [k, JSON.stringify(x)]) : [[k, typeof v === 'string' ? v : JSON.stringify(v)]]))).toString();
        const [answer] = await postSigned(body, as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded');
        expect(answer!.status, body).toBeLessThan(500);
      }),
      { numRuns: 300, examples: [[null, 'json'], [null, 'payload'], [7, 'json'], [[], 'payload'], ['text', 'json'], [{}, 'json'], [{ type: 'view_submission' }, 'payload'], [{ type: 'view_submission', view: null }, 'payload'], [{ type: 'block_actions', actions: 5 }, 'payload'], [{ event: 5 }, 'json']] },
    );
    for (const [body, type] of [['null', 'application/json'], ['payload=null', 'application/x-www-form-urlencoded'], ['payload=%7B%22type%22%3A%22view_submission%22%7D', 'application/x-www-form-urlencoded']] as const) {
      expect((await postSigned(body, type))[0]!.status, body).toBe(400);
    }
    expect(await count('incidents')).toBe(incidents);
    // Still alive and answering.
    const declared = await h.slash('declare sev4 search Still answering');
    expect(declared.status).toBe(200);
    await h.waitFor(async () => (await count('incidents')) === incidents + 1, 'the declaration after the bad bodies');
    await assertConsistent();
  });
});

/** Words meant as an incident reference that name none: out of range, malformed, empty. */
const notAnIncident = fc.oneof(
  fc.bigInt({ min: 1_000_000_000n, max: 10n ** 30n }).map((n) => `INC-${n}`),
  fc.constantFrom('INC-2147483648', 'INC-99999999999999999999', 'INC--1', 'INC-1e3', 'INC-', 'INC-0', 'inc-0x1F', 'INC-1.5', '#0', '#1e3', 'INC–1'),
  fc.string({ minLength: 1, maxLength: 12 }).filter((rest) => !/\s/.test(rest) && !/^\d+$/.test(rest)).map((rest) => `INC-${rest}`),
);

describe('incident references that name no incident', () => {
  it('answers "<what was typed> is not an incident" and changes nothing, inside an incident channel and outside', { timeout: 120_000 }, async () => {
    const before = await count('timeline_events');
    // The generated commands before this test may have moved INC-1 on (a random `lead @bob` is a valid hand-over).
    const { status, severity, leadId } = (await getIncident(h.klaxon.database.db, 1))!;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('resolve', 'note', 'update', 'status', 'severity', 'lead', 'ack'), notAnIncident, fc.boolean(), async (sub, ref, inChannel) => {
        const args = { resolve: 'rolled back', note: 'rolled back', update: 'rolled back', status: 'monitoring', severity: 'sev1', lead: `<@${USERS.bob}|bob>`, ack: '' }[sub];
        const answer = (await h.slash(`${sub} ${ref} ${args}`, { channel: inChannel ? channel : 'C0GENERAL' })).json();
        expect(answer.response_type).toBe('ephemeral');
        expect(answer.text).toMatch(/^\S+ is not an incident: incidents are numbered like INC-42\.\nNothing was changed\./);
        assertNoLiveMentionFromUser(String(answer.text));
      }),
      { numRuns: 80 },
    );
    expect(await getIncident(h.klaxon.database.db, 1)).toMatchObject({ status, severity, leadId });
    expect(await count('timeline_events')).toBe(before);
  });

  it('says the out-of-range reference of the report is not an incident, resolving nothing', async () => {
    // The generated commands of the tests before may have moved INC-1 on (a random `resolve …` is valid): unchanged is what counts.
    const { status, resolution } = (await getIncident(h.klaxon.database.db, 1))!;
    const answer = (await h.slash('resolve INC-2147483648 rolled back', { channel })).json();
    expect(answer.text).toContain('INC-2147483648 is not an incident');
    expect(answer.text).toContain('/incident resolve INC-2147483648 rolled back');
    expect(await getIncident(h.klaxon.database.db, 1)).toMatchObject({ status, resolution });
  });
});

describe('over-long text', () => {
  it('names the command limit and gives the typed text back, changing nothing', async () => {
    const before = await count('timeline_events');
    const text = `note ${'the pool ran dry '.repeat(500)}`.trim();
    const answer = await h.slash(text, { channel });
    expect(answer.status).toBe(200);
    const reply = answer.json();
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(new RegExp(`^The command is ${text.length} characters long; 8000 at most\\.\nNothing was changed\\. You typed:`));
    expect(reply.text).toContain(`\`\`\`/incident ${text}\`\`\``);
    expect(await count('timeline_events')).toBe(before);
  });

  it('names each field’s own limit for updates, resolutions and notes with a change, by command and in the forms', async () => {
    const before = await count('timeline_events');
    const { status } = (await getIncident(h.klaxon.database.db, 1))!;
    const update = await h.slash(`update ${'x'.repeat(3001)}`, { channel });
    expect(update.json().text).toMatch(/^The update is 3001 characters long; 3000 at most\.\nNothing was changed\. You typed:\n```\/incident update x{3001}```$/);
    expect((await h.slash(`resolve ${'y'.repeat(501)}`, { channel })).json().text).toMatch(/^The resolution is 501 characters long; 500 at most\./);
    expect((await h.slash(`status identified ${'z'.repeat(3001)}`, { channel })).json().text).toMatch(/^The note is 3001 characters long; 3000 at most\./);
    const metadata = JSON.stringify({ incidentId: 1 });
    const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
    const updateForm = await h.submitView({ userId: USERS.alice, view: { id: 'VUPD', callback_id: 'incident.update_modal', private_metadata: metadata }, values: { update: text('u'.repeat(3500)) } });
    expect(updateForm.json()).toEqual({ response_action: 'errors', errors: { update: 'The update is 3500 characters long; 3000 at most.' } });
    const statusForm = await h.submitView({
      userId: USERS.alice,
      view: { id: 'VSTA', callback_id: 'incident.status_modal', private_metadata: metadata },
      values: { status: { value: { type: 'static_select', selected_option: { value: 'identified' } } }, note: text('n'.repeat(3100)) },
    });
    expect(statusForm.json()).toEqual({ response_action: 'errors', errors: { note: 'The note is 3100 characters long; 3000 at most.' } });
    expect(await count('timeline_events')).toBe(before);
    expect(await getIncident(h.klaxon.database.db, 1)).toMatchObject({ status });
  });

  it('gives back as much of a huge command as fits in a Slack message, and says so', async () => {
    // Slack sends what was typed with `<`, `&` and `>` as entities.
    const answer = await h.slash(`note ${'&lt;&amp;&gt;'.repeat(20_000)}`, { channel });
    const reply = answer.json().text as string;
    expect(reply.length).toBeLessThanOrEqual(40_000);
    expect(reply).toMatch(/^The command is 60005 characters long; 8000 at most\./);
    expect(reply).toContain('```/incident note &lt;&amp;&gt;&lt;&amp;&gt;');
    expect(reply).toMatch(/Only the first \d+ of the 60005 characters typed are shown: the rest does not fit in a Slack message\.$/);
  });
});

describe('replayed and malformed requests', () => {
  it('runs a replayed slash command once and answers the replay the same', async () => {
    const before = await count('incidents');
    const body = slashCommandBody({ text: 'declare sev4 Replayed declaration', userId: USERS.alice, channelId: 'C0GENERAL', responseUrl: h.slack.createResponseUrl(), triggerId: h.slack.issueTriggerId() });
    const first = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded'));
    const replay = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded'));
    expect(replay.text).toBe(first.text);
    expect(await count('incidents')).toBe(before + 1);
  });

  it('acts once on a declare form submission replayed byte for byte, before and after a restart', async () => {
    const before = await count('incidents');
    const body = interactivityBody(viewSubmissionPayload({ userId: USERS.alice, triggerId: h.slack.issueTriggerId(), view: { id: 'VREPLAY', callback_id: 'incident.declare' }, values: declareFormValues({ title: 'Replayed form', severity: 'sev4' }) }));
    const headers = signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded');
    const answers = [await h.post('/slack/events', body, headers), await h.post('/slack/events', body, headers)];
    await h.restart();
    answers.push(await h.post('/slack/events', body, headers));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await count('incidents')).toBe(before + 1);
  });

  it('adds one note for a note form submitted twice with the same signed bytes, even once the double-click window is past', async () => {
    const before = await count('timeline_events');
    const body = interactivityBody(
      viewSubmissionPayload({ userId: USERS.alice, triggerId: h.slack.issueTriggerId(), view: { id: 'VNOTE', callback_id: 'timeline.note_modal', private_metadata: JSON.stringify({ incidentId: 1 }) }, values: { note: { value: { type: 'plain_text_input', value: 'Replayed note' } } } }),
    );
    const headers = signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded');
    expect((await h.post('/slack/events', body, headers)).status).toBe(200);
    // A restart forgets everything held in memory, as the end of the double-click window does.
    await h.restart();
    const replay = await h.post('/slack/events', body, headers);
    expect(replay.status).toBe(200);
    expect(replay.text).toBe('');
    expect(await count('timeline_events')).toBe(before + 1);
  });

  it('still acts on two note forms submitted one after the other (two requests, not one replayed)', async () => {
    const before = await count('timeline_events');
    const submit = (text: string) => h.submitView({ userId: USERS.alice, view: { id: 'VNOTE2', callback_id: 'timeline.note_modal', private_metadata: JSON.stringify({ incidentId: 1 }) }, values: { note: { value: { type: 'plain_text_input', value: text } } } });
    await submit('First of two notes');
    await submit('Second of two notes');
    expect(await count('timeline_events')).toBe(before + 2);
  });

  it('answers malformed bodies without acting on them', async () => {
    const before = await count('timeline_events');
    for (const [body, type] of [
      ['payload=%7Bnot-json', 'application/x-www-form-urlencoded'],
      ['{"type":"event_callback","event":', 'application/json'],
      ['text=declare&user_id=U01ALICE', 'application/x-www-form-urlencoded'],
      ['\u0000\u0001binary', 'application/octet-stream'],
    ] as const) {
      const answer = await h.post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, type));
      expect(answer.status, body).toBeLessThan(500);
    }
    expect(await count('timeline_events')).toBe(before);
    await assertConsistent();
  });
});
