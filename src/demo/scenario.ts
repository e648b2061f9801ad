/**
 * The demo's incident, played by the seeded people through the simulated Slack exactly as they would use the
 * real one: Alice declares a sev1 on Payments, the on-call engineer is paged and does not answer, the page
 * escalates to the second level, someone acknowledges, the responders take notes and move the status on,
 * resolve it, and write the post-mortem with five whys, which opens a problem ticket for its first action.
 * Time is skipped where an incident waits ("five minutes pass"), so escalations and reminders really fire.
 */
import type { Outcome } from '../simulator/people.ts';
import type { Message } from '../simulator/slack/index.ts';
import type { Narration } from '../simulator/transcript.ts';
import { waitFor } from '../simulator/wait.ts';
import type { DemoWorld } from './world.ts';

const ALICE = 'U01ALICE';
const MANAGER = 'U01MANAGER';
const PAYMENTS_CHANNEL = 'C0PAYMENTS';
const MINUTE = 60_000;

/** The script's waits, in minutes: where it skips the clock ahead rather than make anyone wait. */
const WAITS = { pageUnanswered: 5, digging: 4, rollback: 6, errorRateNormal: 15, postmortemMeeting: 60 } as const;

/**
 * How far the script moves the clock ahead in all. The demo's world starts its clock this far behind real time,
 * so that the scripted incident is played in the recent past and ends at real time: whatever a person does
 * afterwards is stamped after it, at the time they do it, and reports over "the last 30 days" count all of it.
 */
export const SCRIPTED_SKIP_MS = Object.values(WAITS).reduce((sum, minutes) => sum + minutes, 0) * MINUTE;

export interface PlayedIncident {
  /** `INC-1` */
  ref: string;
  channelId: string;
  channelName: string;
  /** Who was paged first (and did not answer), and who acknowledged after the escalation. */
  firstPaged: string;
  acknowledgedBy: string;
  /** `PRB-1` */
  problemRef: string;
  problemOwner: string;
  narration: Narration[];
}

const hasButton = (message: Message, label: string): boolean => JSON.stringify(message.blocks ?? []).includes(`"text":"${label}"`);

export async function playIncident(world: DemoWorld): Promise<PlayedIncident> {
  const { slack, people, clock } = world;
  const narration: Narration[] = [];
  const narrate = (text: string): void => void narration.push({ at: clock.now(), seq: slack.state.nextSeq(), text });
  // Each step lets Klaxon finish what it set off (its jobs) before the next, as people would wait to read it.
  const settled = (): Promise<void> => world.klaxon.scheduler.idle();
  const skip = async (minutes: number, why: string): Promise<void> => {
    await settled();
    narrate(`${minutes} minutes pass. ${why}`);
    await clock.jumpAhead(minutes * MINUTE, settled);
  };
  /** Waits for what the person's action set off: an answer that comes through its response_url, and the jobs. */
  const answered = async (outcome: Outcome): Promise<void> => {
    if (!outcome.answer && outcome.responseUrl) await waitFor(() => slack.responses().some((r) => r.url === outcome.responseUrl), 'the answer', 2000).catch(() => undefined);
    await settled();
  };
  const command = async (userId: string, channelId: string, text: string): Promise<void> => answered(await people.command(userId, channelId, text));
  const click = async (userId: string, channelId: string, message: Message, label: string): Promise<void> => answered(await people.clickButton(userId, channelId, message, label));
  const name = (userId: string): string => slack.state.user(userId)?.name ?? userId;
  const pageFor = (userId: string): Message | undefined => slack.state.dmsWith(userId).find((m) => hasButton(m, 'Acknowledge'));

  narrate('Card payments start failing at checkout. Alice, on the payments team, declares an incident.');
  await command(ALICE, PAYMENTS_CHANNEL, 'declare sev1 payments Card payments failing at checkout');
  const channel = await waitFor(() => slack.state.channels().find((c) => c.name.startsWith('inc-1-')), 'the incident channel');
  const ref = 'INC-1';
  const summary = await waitFor(() => slack.state.messages(channel.id).find((m) => hasButton(m, 'Resolve')), 'the incident summary');
  const firstPaged = await waitFor(() => slack.state.users().find((u) => pageFor(u.id))?.id, 'the first page');

  await skip(WAITS.pageUnanswered, `${name(firstPaged)} does not answer the page.`);
  const secondLevel = await waitFor(() => {
    const paged = slack.state.users().filter((u) => u.id !== firstPaged && pageFor(u.id)).map((u) => u.id);
    return paged.length > 0 ? paged : undefined;
  }, 'the escalation to the second level');
  const responder = secondLevel.find((id) => id !== MANAGER) ?? secondLevel[0]!;
  await settled();
  narrate(`The page escalates. ${name(responder)} acknowledges it.`);
  await click(responder, slack.state.imWith(responder).id, pageFor(responder)!, 'Acknowledge');
  await waitFor(() => !pageFor(responder), 'the acknowledged page');

  await command(ALICE, channel.id, `lead <@${responder}>`);
  await command(responder, channel.id, 'note Card authorisations time out; the errors started with the 4.2 release at the top of the hour');
  await skip(WAITS.digging, 'The responders dig into the payments dashboards.');
  await command(responder, channel.id, 'status identified Release 4.2 retries card authorisations without backoff and exhausts the database pool');
  await command(responder, channel.id, 'update Rolling back to 4.1; card payments still failing for about a third of customers');
  await skip(WAITS.rollback, 'The rollback goes out.');
  await command(responder, channel.id, 'status monitoring Rolled back to 4.1; error rate falling');
  await skip(WAITS.errorRateNormal, 'The error rate stays normal.');

  narrate(`${name(responder)} resolves the incident from the pinned summary.`);
  await click(responder, channel.id, summary, 'Resolve');
  await waitFor(() => people.openModal(responder), 'the resolve form');
  await people.submit(responder, { resolution: 'Rolled back to 4.1; pool settings fixed for 4.2.1' });
  await settled();
  const resolution = await waitFor(() => slack.state.messages(channel.id).find((m) => hasButton(m, 'Write the post-mortem')), 'the post-mortem offer');

  await skip(WAITS.postmortemMeeting, 'The team meets to write the post-mortem together.');
  await click(responder, channel.id, resolution, 'Write the post-mortem');
  await waitFor(() => people.openModal(responder), 'the post-mortem form');
  const problemOwner = ALICE;
  const due = new Date(clock.now() + 14 * 24 * 60 * MINUTE).toISOString().slice(0, 10);
  const outcome = await people.submit(responder, {
    summary: 'Release 4.2 exhausted the payments database pool; a third of card payments failed for 25 minutes.',
    impact: 'About 34% of card checkouts failed between the release and the rollback.',
    detection: 'Customers reported failures in #payments-eng before the 5xx alert fired.',
    trigger: 'Deploy of payments release 4.2.',
    why_1: 'Card payments failed at checkout',
    why_2: 'The payments API could not get database connections',
    why_3: 'Release 4.2 retried card authorisations without backoff, holding a connection per retry',
    why_4: 'The retry change was not load tested',
    why_5: 'Load tests are skipped for changes marked as configuration',
    contributing: 'The 5xx alert threshold was too high to fire early.',
    went_well: 'The rollback runbook worked first time.',
    went_badly: 'Detection took customer reports.',
    lucky: 'It happened outside the evening peak.',
    action_1_what: 'Run load tests on every release, configuration changes included',
    action_1_owner: problemOwner,
    action_1_due: due,
    action_2_what: 'Lower the payments 5xx alert threshold to 2%',
    action_2_owner: 'U01BOB',
    action_2_due: due,
    create_problem: ['create'],
  });
  if (outcome.errors) throw new Error(`the post-mortem form was refused: ${JSON.stringify(outcome.errors)}`);
  await settled();
  await waitFor(() => slack.state.filesIn(channel.id).length > 0 || undefined, 'the post-mortem document in the channel');
  const ticket = await waitFor(() => slack.state.dmsWith(problemOwner).find((m) => /PRB-\d+/.test(m.text)), 'the problem ticket');
  const problemRef = /PRB-\d+/.exec(ticket.text)![0];

  narrate(`${name(problemOwner)} checks the follow-up work assigned to her.`);
  await command(problemOwner, 'C0GENERAL', 'problems mine');
  return { ref, channelId: channel.id, channelName: channel.name, firstPaged, acknowledgedBy: responder, problemRef, problemOwner, narration };
}
