/**
 * Who may lead, and who can be given a role or paged, end to end over signed HTTP. The lead is chosen only by
 * the lead (handing over) or an admin, from the channel and from elsewhere with INC-n alike; an id Slack does
 * not know, a deactivated account and a bot are refused by name before anything changes; and when Slack
 * cannot be asked, the answer says so instead of guessing.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { getIncident, type Incident } from '../../src/incidents/index.ts';
import { listTimeline } from '../../src/incidents/store.ts';
import { startHarness, USERS, type Harness } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ADMINS_YML = `timezone: UTC\nadmins: [${USERS.carol}]\nservices:\n  - { id: payments, name: Payments API }\n`;
const GONE = 'U01GONE';

const incident = async (id: number): Promise<Incident> => (await getIncident(h.klaxon.database.db, id))!;
const roleEntries = async () => (await listTimeline(h.klaxon.database.db, 1)).filter((e) => e.kind === 'role_assigned');
const count = async (table: string): Promise<number> => (await h.rows<{ n: number }>(sql`select count(*) as n from ${sql.raw(table)}`))[0]!.n;
const answerTo = async (text: string, opts: { user?: string; channel?: string } = {}): Promise<string> => String((await h.slash(text, opts)).json().text);

async function declare(): Promise<Incident> {
  await h.slash('declare sev2 payments Checkout returns 502');
  return h.provisioned(1);
}

describe('choosing the lead', () => {
  it('leaves the lead to the lead and the admins, in the channel and from elsewhere, and says who can', async () => {
    h = await startHarness({ klaxonYml: ADMINS_YML });
    const inc = await declare();
    const refusal = `Only INC-1's lead (<@${USERS.alice}>) or a Klaxon admin can choose its lead.`;
    for (const [command, channel] of [
      [`lead <@${USERS.bob}|bob>`, inc.channelId!],
      [`role lead <@${USERS.bob}|bob>`, inc.channelId!],
      [`lead INC-1 <@${USERS.bob}|bob>`, 'C0GENERAL'],
      [`role INC-1 lead <@${USERS.bob}|bob>`, 'C0GENERAL'],
    ] as const) {
      const answer = await answerTo(command, { user: USERS.bob, channel });
      expect(answer, command).toContain(refusal);
      expect(answer, command).toContain('Nothing was changed.');
    }
    // Not having become lead, Bob cannot resolve either: the pages go on.
    expect(await answerTo('resolve INC-1 rolled back', { user: USERS.bob })).toContain('can resolve it');
    expect(await incident(1)).toMatchObject({ leadId: USERS.alice, status: 'investigating' });
    expect(await roleEntries()).toEqual([]);

    // An admin may choose the lead from anywhere; the new lead may hand over.
    expect(await answerTo(`lead INC-1 <@${USERS.bob}|bob>`, { user: USERS.carol })).toContain(`<@${USERS.bob}> is now incident lead of INC-1`);
    expect(await answerTo(`lead <@${USERS.alice}|alice>`, { user: USERS.bob, channel: inc.channelId! })).toContain(`<@${USERS.alice}> is now incident lead of INC-1`);
    expect((await roleEntries()).map((e) => [e.actorId, e.data])).toEqual([
      [USERS.carol, { role: 'lead', userId: USERS.bob, previous: USERS.alice }],
      [USERS.bob, { role: 'lead', userId: USERS.alice, previous: USERS.bob }],
    ]);
  });

  it('still lets anyone in the channel give the comms and scribe roles', async () => {
    h = await startHarness({ klaxonYml: ADMINS_YML });
    const inc = await declare();
    expect(await answerTo(`role scribe <@${USERS.bob}|bob>`, { user: USERS.bob, channel: inc.channelId! })).toContain(`<@${USERS.bob}> is now scribe of INC-1`);
  });
});

describe('who can be given a role or paged', () => {
  it('refuses ids Slack does not know, deactivated accounts and bots by name, changing nothing', async () => {
    h = await startHarness();
    h.slack.state.addUser({ id: GONE, name: 'gone', real_name: 'Gone Away', deleted: true });
    const inc = await declare();
    await h.klaxon.scheduler.idle();
    const before = { pages: await count('pages'), escalations: await count('escalations'), invites: h.slack.calls('conversations.invite').length, revision: (await incident(1)).revision };
    const cases = [
      [`lead <@${h.slack.botUserId}|klaxon>`, `<@${h.slack.botUserId}> is a bot; only people can be incident lead of INC-1.`],
      [`role comms <@U0NOBODY99>`, 'Slack knows nobody as U0NOBODY99, so they cannot be communications of INC-1.'],
      [`role scribe <@W0NOBODY99>`, 'Slack knows nobody as W0NOBODY99, so they cannot be scribe of INC-1.'],
      [`lead <@${GONE}|gone>`, `<@${GONE}> is deactivated in Slack, so they cannot be incident lead of INC-1.`],
      [`page <@${USERS.bob}|bob> <@${h.slack.botUserId}|klaxon>`, `<@${h.slack.botUserId}> is a bot; only people can be paged.`],
      [`page <@${GONE}|gone>`, `<@${GONE}> is deactivated in Slack, so they cannot be paged.`],
      ['page <@U0NOBODY99>', 'Slack knows nobody as U0NOBODY99, so they cannot be paged.'],
    ] as const;
    for (const [command, refusal] of cases) {
      const answer = await answerTo(command, { channel: inc.channelId! });
      expect(answer, command).toContain(refusal);
      expect(answer, command).toContain('Nothing was changed.');
    }
    // Each person was looked up in Slack before anything was decided.
    expect(h.slack.calls('users.info').map((c) => c.args.user)).toEqual(expect.arrayContaining([h.slack.botUserId, 'U0NOBODY99', 'W0NOBODY99', GONE]));
    await h.klaxon.scheduler.idle();
    expect(await roleEntries()).toEqual([]);
    expect(await incident(1)).toMatchObject({ leadId: USERS.alice, revision: before.revision });
    expect({ pages: await count('pages'), escalations: await count('escalations'), invites: h.slack.calls('conversations.invite').length, revision: (await incident(1)).revision }).toEqual(before);
    expect(h.slack.state.dmsWith(USERS.bob)).toEqual([]);
  });

  it('says Slack could not be reached, and that trying again will work, when the check cannot be made', async () => {
    h = await startHarness();
    const inc = await declare();
    h.slack.failNext('users.info', { status: 500 });
    const failed = await answerTo(`role comms <@${USERS.bob}|bob>`, { channel: inc.channelId! });
    expect(failed).toContain('Slack did not answer Klaxon in time. Try again in a minute');
    expect(failed).toContain(`/incident role comms @bob`);
    h.slack.failNext('users.info', { status: 429, retryAfter: 30 });
    expect(await answerTo(`page <@${USERS.bob}|bob>`, { channel: inc.channelId! })).toContain('Slack is limiting how fast Klaxon may call it right now. Try again in a minute.');
    await h.klaxon.scheduler.idle();
    expect(await roleEntries()).toEqual([]);
    expect(await count('pages')).toBe(0);
    // And trying again does work.
    expect(await answerTo(`role comms <@${USERS.bob}|bob>`, { channel: inc.channelId! })).toContain(`<@${USERS.bob}> is now communications of INC-1`);
  });
});
