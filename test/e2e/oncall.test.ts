/**
 * On-call from Slack end to end: `/incident oncall` answers who is on call now and next in the asker's zone,
 * overrides are made and removed from Slack (command and modal) with DMs to the people concerned, a shift start
 * sends one handoff DM, and the signed calendar link serves the schedule.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInZone } from '../../src/core/wall-clock.ts';
import { getOverride } from '../../src/rotas/store.ts';
import type { Message } from '../../src/simulator/slack/index.ts';
import { startHarness, USERS, type Harness } from '../support/harness.ts';
import { blockActionPayload } from '../../src/simulator/requests.ts';

let h: Harness;
afterEach(async () => h?.close());

const DAY = 86_400_000;
const todayUtc = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const yesterday = new Date(todayUtc - DAY).toISOString().slice(0, 10);
const tomorrow = new Date(todayUtc + DAY).toISOString().slice(0, 10);

/** Daily UTC shifts from yesterday 00:00: Alice yesterday, Bob today, Alice tomorrow. */
function klaxonYml(overrides = ''): string {
  return `
timezone: UTC
services:
  - id: payments
    name: Payments API
    escalation_policy: payments
schedules:
  - id: primary
    rotation: { kind: daily, handoff: "00:00", start: ${yesterday}, participants: [U01ALICE, U01BOB] }
${overrides}
escalation_policies:
  - id: payments
    levels:
      - targets: [schedule:primary]
        timeout: 5m
`;
}

const dmsTo = (userId: string): Message[] => h.slack.state.dmsWith(userId);
const answerText = (answer: { json(): Record<string, unknown> }): string => JSON.stringify(answer.json().blocks ?? answer.json().text);

describe('/incident oncall', () => {
  it('says who is on call now and next, in the asker’s own time zone, with a calendar link that works only signed', async () => {
    h = await startHarness({ klaxonYml: klaxonYml() });
    const answer = await h.slash('oncall', { user: USERS.bob });
    const text = answerText(answer);
    expect(text).toContain('times in your zone, America/New_York');
    expect(text).toContain(`<@U01BOB> until ${formatInZone(todayUtc + DAY, 'America/New_York')}`);
    expect(text).toContain(`next <@U01ALICE> from ${formatInZone(todayUtc + DAY, 'America/New_York')}`);
    expect(text).toContain('oncall.override_open');
    expect(h.slack.calls('users.info').at(-1)!.args).toMatchObject({ user: USERS.bob });

    const url = /<(http:\/\/[^|>]+\/oncall\/primary\.ics\?sig=[^|>]+)\|primary>/.exec(text)![1]!;
    const path = new URL(url).pathname + new URL(url).search;
    const calendar = await fetch(`${h.baseUrl}${path}`);
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('content-type')).toContain('text/calendar');
    const ics = await calendar.text();
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain(`DTSTART:${new Date(todayUtc).toISOString().replace(/[-:]/g, '').replace('.000', '')}`);
    expect(ics).toContain('SUMMARY:On call (Payments API (primary)): Bob Baker');
    expect((await fetch(`${h.baseUrl}/oncall/primary.ics`)).status).toBe(404);
    expect((await fetch(`${h.baseUrl}${path.replace('sig=', 'sig=x')}`)).status).toBe(404);

    expect(answerText(await h.slash('oncall nonsense'))).toContain('There is no service `nonsense`');
  });
});

describe('overrides from Slack', () => {
  it('covers a shift with times read in the asker’s zone, tells both people, and can be removed', async () => {
    h = await startHarness({ klaxonYml: klaxonYml() });
    // Alice (London) hands tomorrow's 09:00-17:00 to Carol (Tokyo).
    const reply = answerText(await h.slash(`oncall override <@U01CAROL|carol> ${tomorrow} 09:00 ${tomorrow} 17:00`, { user: USERS.alice }));
    const from = Date.parse(`${tomorrow}T09:00:00Z`); // London is on UTC in winter and BST in summer:
    const londonFrom = from - (formatInZone(from, 'Europe/London').endsWith('BST') ? 3_600_000 : 0);
    const londonTo = londonFrom + 8 * 3_600_000;
    expect(reply).toContain(`*OVR-1*: <@U01CAROL> covers \`primary\` from ${formatInZone(londonFrom, 'Europe/London')} to ${formatInZone(londonTo, 'Europe/London')} (your time zone, Europe/London)`);
    expect(await getOverride(h.klaxon.database.db, 1)).toMatchObject({ scheduleId: 'primary', userId: USERS.carol, fromAt: londonFrom, toAt: londonTo, createdBy: USERS.alice });

    const carolDm = await h.waitFor(() => dmsTo(USERS.carol)[0], 'the DM to the person covering');
    expect(carolDm.text).toContain(`You now cover Payments API (schedule \`primary\`) from ${formatInZone(londonFrom, 'Asia/Tokyo')} to ${formatInZone(londonTo, 'Asia/Tokyo')}`);
    const aliceDm = await h.waitFor(() => dmsTo(USERS.alice)[0], 'the DM to the person covered');
    expect(aliceDm.text).toContain('<@U01CAROL> covers your Payments API (schedule `primary`) shift');
    expect(dmsTo(USERS.bob)).toEqual([]);

    // Who is on call then has changed, and the answer lists the override with a button to remove it.
    const listed = answerText(await h.slash('oncall payments', { user: USERS.alice }));
    expect(listed).toContain('Overrides coming up');
    expect(listed).toContain('OVR-1, made by <@U01ALICE>');
    expect(listed).toContain('"action_id":"oncall.override_remove","value":"1"');

    // Overlapping it is refused, and changes nothing.
    const clash = answerText(await h.slash(`oncall override <@U01BOB|bob> ${tomorrow} 10:00 4h`, { user: USERS.alice }));
    expect(clash).toContain('That overlaps OVR-1');
    expect(await getOverride(h.klaxon.database.db, 2)).toBeUndefined();

    const removed = answerText(await h.slash('oncall override remove OVR-1', { user: USERS.alice }));
    expect(removed).toContain('Removed *OVR-1*');
    expect(await getOverride(h.klaxon.database.db, 1)).toMatchObject({ removedBy: USERS.alice });
    await h.waitFor(() => dmsTo(USERS.carol)[1], 'the DM saying the cover is off');
    expect(dmsTo(USERS.carol)[1]!.text).toContain('You no longer cover');
    expect(answerText(await h.slash('oncall override remove OVR-1', { user: USERS.alice }))).toContain('OVR-1 was already removed');
    expect(answerText(await h.slash('oncall override <@U01CAROL|carol> someday', { user: USERS.alice }))).toContain('I could not read the start');
  });

  it('gives typed text back as text in its answers: no live mention, broadcast or disguised link', async () => {
    h = await startHarness({ klaxonYml: klaxonYml() });
    for (const nasty of ['<!channel>', '<@U01BOB|bob>', '<https://evil.test|click>']) {
      for (const command of [`oncall override <@U01CAROL|carol> ${nasty} 12h`, `oncall override <@U01CAROL|carol> ${tomorrow} 09:00 ${nasty}`, `oncall override <@U01CAROL|carol> ${tomorrow} 09:00 12h ${nasty}`]) {
        const answer = answerText(await h.slash(command, { user: USERS.alice }));
        expect(answer, command).toContain('Nothing was changed');
        expect(answer, command).not.toMatch(/<!channel>|<@U01BOB|<https:\/\/evil/);
      }
    }
    const reasons = answerText(await h.slash(`oncall override <@U01CAROL|carol> ${tomorrow} 09:00 12h <!channel> <https://evil.test|click>`, { user: USERS.alice }));
    expect(reasons).toContain('I did not understand `@channel https://evil.test` at the end');
    expect(await getOverride(h.klaxon.database.db, 1)).toBeUndefined();
  });

  it('covers a shift from the modal opened by the on-call answer', async () => {
    h = await startHarness({ klaxonYml: klaxonYml() });
    const answer = await h.slash('oncall', { user: USERS.alice });
    const responseUrl = h.slack.createResponseUrl({ channel: 'C0GENERAL', user: USERS.alice });
    const click = blockActionPayload({ userId: USERS.alice, channelId: 'C0GENERAL', messageTs: '1.000001', responseUrl, triggerId: h.slack.issueTriggerId(), actionId: 'oncall.override_open', blockId: 'oncall.actions', value: '' });
    expect(answer.status).toBe(200);
    expect((await h.interact(click)).status).toBe(200);
    const opened = await h.waitFor(() => h.slack.calls('views.open').find((c) => c.ok), 'the override modal');
    expect(JSON.stringify(opened.args)).toContain('"callback_id":"oncall.override"');

    // Alice's own shift (the rotation gives her every other day from yesterday): she hands part of it to Bob.
    const from = Math.floor((todayUtc + 3 * DAY) / 1000);
    const submit = (to: number, userId: string = USERS.alice) => submitOverride(from, to, userId);
    const backwards = await submit(from - 3600);
    expect(backwards.json()).toMatchObject({ response_action: 'errors', errors: { to: expect.stringContaining('must come after the start') } });
    expect(await getOverride(h.klaxon.database.db, 1)).toBeUndefined();

    const stranger = await submit(from + 6 * 3600, USERS.carol);
    expect(stranger.json()).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(stranger.json())).toContain('Only the person covering');
    expect(await getOverride(h.klaxon.database.db, 1)).toBeUndefined();
    expect((await submit(from + 6 * 3600)).text).toBe('');
    expect(await getOverride(h.klaxon.database.db, 1)).toMatchObject({ userId: USERS.bob, fromAt: from * 1000, toAt: (from + 6 * 3600) * 1000 });
    await h.waitFor(() => dmsTo(USERS.alice).find((m) => m.text.includes('*OVR-1*')), 'the confirmation DM to Alice');
  });
});

/** The "Cover a shift" form, submitted by `userId`: Bob covers the primary schedule from `from` to `to` (epoch seconds). */
function submitOverride(from: number, to: number, userId: string = USERS.alice) {
  return h.submitView({
    userId,
    view: { id: 'V0OVERRIDE', callback_id: 'oncall.override' },
    values: {
      schedule: { value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'primary' }, value: 'primary' } } },
      user: { value: { type: 'users_select', selected_user: USERS.bob } },
      from: { value: { type: 'datetimepicker', selected_date_time: from } },
      to: { value: { type: 'datetimepicker', selected_date_time: to } },
    },
  });
}

describe('override edge cases', () => {
  const submit = (from: number, to: number) => submitOverride(from, to);
  const overrides = async () => (await h.rows<{ n: number }>(sql`select count(*) as n from rota_overrides`))[0]!.n;

  it('answers times out of bounds on the field that is wrong, storing nothing', async () => {
    h = await startHarness({ klaxonYml: klaxonYml() });
    const start = Math.floor((todayUtc + 3 * DAY) / 1000);
    // A year past JavaScript's date range (8.64e15 ms, in the year 275760), and a start before 1970.
    const farFuture = 8_640_000_000_000 + 365 * 86_400;
    expect((await submit(farFuture, farFuture + 3600)).json()).toEqual({ response_action: 'errors', errors: { from: 'The start is more than two years ahead; for that, change the rotation in klaxon.yml.' } });
    expect((await submit(start, farFuture)).json()).toEqual({ response_action: 'errors', errors: { to: 'An override can cover at most 90 days; for longer, change the rotation in klaxon.yml.' } });
    expect((await submit(-86_400, start)).json()).toEqual({ response_action: 'errors', errors: { from: 'The start is more than a day ago: an override covers from now on.' } });
    expect((await submit(start, -86_400)).json()).toMatchObject({ response_action: 'errors', errors: { to: expect.stringContaining('The end must come after the start') } });
    expect(await overrides()).toBe(0);
    expect(dmsTo(USERS.alice)).toEqual([]);
    const yearOne = answerText(await h.slash('oncall override <@U01CAROL|carol> 0001-01-01T09:00 4h', { user: USERS.alice }));
    expect(yearOne).toContain('The start is more than a day ago');
    expect(await overrides()).toBe(0);
  });

  it('writes the year in the DMs about an override in another year', async () => {
    h = await startHarness({ klaxonYml: klaxonYml() });
    // 401 days ahead is one of Alice's days (every other day from yesterday); she hands four hours to Carol.
    const day = new Date(todayUtc + 401 * DAY);
    const reply = answerText(await h.slash(`oncall override <@U01CAROL|carol> ${day.toISOString().slice(0, 10)} 09:00 4h`, { user: USERS.alice }));
    expect(reply).toContain('*OVR-1*');
    const carolDm = await h.waitFor(() => dmsTo(USERS.carol)[0], 'the DM to the person covering');
    expect(carolDm.text).toMatch(new RegExp(`You now cover .* from \\w{3} \\d{1,2} \\w{3} ${day.getUTCFullYear()} \\d{2}:\\d{2}`));
  });

  it('answers a malformed override id on removal by saying how to name one', async () => {
    h = await startHarness({ klaxonYml: klaxonYml() });
    for (const typed of ['OVR-x', 'abc', '<!channel>', 'OVR-99999999999999999999']) {
      const answer = answerText(await h.slash(`oncall override remove ${typed}`, { user: USERS.alice }));
      expect(answer, typed).toContain('is not an override: name the one to remove by its number, as in `/incident oncall override remove OVR-12`');
      expect(answer, typed).not.toContain('Say who covers');
      expect(answer, typed).not.toContain('<!channel>');
    }
    expect(answerText(await h.slash('oncall override remove', { user: USERS.alice }))).toContain('Name the one to remove by its number');
  });
});

describe('handoffs', () => {
  it('DMs the incoming person once when their shift starts', async () => {
    const start = new Date(Date.now() + 10 * 60_000).toISOString().slice(0, 19);
    const end = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19);
    h = await startHarness({ klaxonYml: klaxonYml(`    overrides:\n      - { user: U01CAROL, from: "${start}Z", to: "${end}Z" }`) });
    await h.fastForward(9 * 60_000);
    expect(dmsTo(USERS.carol)).toEqual([]);
    await h.fastForward(60_000);
    const handoff = await h.waitFor(() => dmsTo(USERS.carol)[0], 'the handoff DM');
    expect(handoff.text).toContain(`You are on call for Payments API (schedule \`primary\`) until ${formatInZone(Date.parse(`${end}Z`), 'Asia/Tokyo')}`);
    await h.restart();
    await h.fastForward(60_000);
    expect(dmsTo(USERS.carol)).toHaveLength(1);
  });
});
