/**
 * Who may lead, end to end over signed HTTP: the lead is chosen only by the lead (handing over) or an admin,
 * from the channel and from elsewhere with INC-n alike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getIncident, type Incident } from '../../src/incidents/index.ts';
import { listTimeline } from '../../src/incidents/store.ts';
import { startHarness, USERS, type Harness } from '../support/harness.ts';

let h: Harness;
afterEach(async () => h?.close());

const ADMINS_YML = `timezone: UTC\nadmins: [${USERS.carol}]\nservices:\n  - { id: payments, name: Payments API }\n`;

const incident = (id: number): Incident => getIncident(h.klaxon.database.db, id)!;
const provisioned = (id: number) => h.waitFor(() => getIncident(h.klaxon.database.db, id)?.provisioning === 'done' && incident(id), `INC-${id} to be set up`);
const roleEntries = () => listTimeline(h.klaxon.database.db, 1).filter((e) => e.kind === 'role_assigned');
const answerTo = async (text: string, opts: { user?: string; channel?: string } = {}): Promise<string> => String((await h.slash(text, opts)).json().text);

async function declare(): Promise<Incident> {
  await h.slash('declare sev2 payments Checkout returns 502');
  return provisioned(1);
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
    expect(incident(1)).toMatchObject({ leadId: USERS.alice, status: 'investigating' });
    expect(roleEntries()).toEqual([]);

    // An admin may choose the lead from anywhere; the new lead may hand over.
    expect(await answerTo(`lead INC-1 <@${USERS.bob}|bob>`, { user: USERS.carol })).toContain(`<@${USERS.bob}> is now incident lead of INC-1`);
    expect(await answerTo(`lead <@${USERS.alice}|alice>`, { user: USERS.bob, channel: inc.channelId! })).toContain(`<@${USERS.alice}> is now incident lead of INC-1`);
    expect(roleEntries().map((e) => [e.actorId, e.data])).toEqual([
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
