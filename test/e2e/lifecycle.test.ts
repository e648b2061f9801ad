/**
 * Running an incident end to end over signed HTTP: status and severity changes (from sub-commands and from the
 * summary's buttons and modals) edit the pinned summary in place; invalid transitions are refused and change
 * nothing; roles invite and brief the assignee; status updates reach the channel and INCIDENTS_CHANNEL; the
 * lead is reminded when no update comes, and not after resolving, which also withdraws pages; close archives.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { getIncident, type Incident } from '../../src/incidents/index.ts';
import { listTimeline } from '../../src/incidents/store.ts';
import { escalationsOf } from '../../src/paging/store.ts';
import { incidentSubject } from '../../src/paging/subject.ts';
import type { Message } from '../../src/simulator/slack/index.ts';
import { INCIDENTS_CHANNEL, startHarness, USERS, type Harness } from '../support/harness.ts';
import { blockActionPayload, declareFormValues } from '../../src/simulator/requests.ts';

let h: Harness;
afterEach(async () => h?.close());

const incident = async (id: number): Promise<Incident> => (await getIncident(h.klaxon.database.db, id))!;
const timeline = (id: number) => listTimeline(h.klaxon.database.db, id);
const text = (m: Message | undefined): string => `${m?.text ?? ''} ${JSON.stringify(m?.blocks ?? [])}`;
const summaryOf = (inc: Incident): Message => h.slack.state.message(h.slack.state.channel(inc.channelId!)!, inc.summaryTs!)!;
const channelMessages = (inc: Incident): Message[] => h.slack.state.messages(inc.channelId!);

async function declare(title = 'Checkout returns 502'): Promise<Incident> {
  await h.slash(`declare sev2 payments ${title}`);
  return h.provisioned(1);
}

/** Clicks a summary button; `late` ms pass between the click and its arrival (the trigger_id ages). */
function click(inc: Incident, actionId: string, opts: { user?: string; late?: number } = {}) {
  const user = opts.user ?? USERS.alice;
  const responseUrl = h.slack.createResponseUrl({ channel: inc.channelId!, user });
  const payload = blockActionPayload({ userId: user, channelId: inc.channelId!, messageTs: inc.summaryTs!, responseUrl, triggerId: h.slack.issueTriggerId(), actionId, blockId: 'incident.summary_actions', value: String(inc.id) });
  if (opts.late) h.skewSlackClock(opts.late);
  return { responseUrl, answer: h.interact(payload) };
}

describe('status and severity', () => {
  it('changes the status from the sub-command, records who and when, and edits the summary and topic in place', async () => {
    h = await startHarness();
    const inc = await declare();
    const before = channelMessages(inc).length;
    const answer = (await h.slash('status identified Bad deploy of 4.2', { channel: inc.channelId! })).json();
    expect(answer.text).toContain('INC-1 is now *identified*');
    expect((await incident(1)).status).toBe('identified');
    const entry = (await timeline(1)).find((e) => e.kind === 'status_changed')!;
    expect(entry).toMatchObject({ actorId: USERS.alice, text: 'Bad deploy of 4.2', data: { from: 'investigating', to: 'identified' } });
    await h.waitFor(() => text(summaryOf(inc)).includes('Identified'), 'the summary to show Identified');
    await h.waitFor(() => h.slack.state.channel(inc.channelId!)!.topic.value.includes('Identified'), 'the topic to show Identified');
    await h.waitFor(() => text(h.slack.state.messages(INCIDENTS_CHANNEL)[0]).includes('Identified'), 'the announcement to show Identified');
    // Quiet channel: the summary was edited, nothing new was posted.
    expect(channelMessages(inc).length).toBe(before);
  });

  it('refuses invalid transitions with a clear answer and changes nothing', async () => {
    h = await startHarness();
    const inc = await declare();
    const entries = (await timeline(1)).length;
    const reopen = (await h.slash('reopen', { channel: inc.channelId! })).json();
    expect(reopen.text).toContain('INC-1 is not resolved (it is investigating), so there is nothing to reopen.');
    const same = (await h.slash('status investigating', { channel: inc.channelId! })).json();
    expect(same.text).toContain('INC-1 is already investigating.');
    const unknown = (await h.slash('status <!channel> fixed', { channel: inc.channelId! })).json();
    expect(unknown.text).toContain('`@channel` is not a status');
    expect(unknown.text).toContain('Nothing was changed.');
    const close = (await h.slash('close', { channel: inc.channelId! })).json();
    expect(close.text).toContain('resolve it before closing it');
    expect((await timeline(1)).length).toBe(entries);
    expect(await incident(1)).toMatchObject({ status: 'investigating', revision: inc.revision });
  });

  it('changes the severity from the summary button through its modal, with a note', async () => {
    h = await startHarness();
    const inc = await declare();
    const { answer } = click(inc, 'incident.severity');
    expect((await answer).status).toBe(200);
    const opened = await h.waitFor(() => h.slack.calls('views.open').find((c) => c.ok), 'the severity modal');
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('incident.severity_modal');
    const submitted = await h.submitView({
      userId: USERS.alice,
      view: { id: 'V1', callback_id: view.callback_id, private_metadata: view.private_metadata },
      values: { severity: { value: { type: 'static_select', selected_option: { value: 'sev1' } } }, note: { value: { type: 'plain_text_input', value: 'All cards failing' } } },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    expect((await incident(1)).severity).toBe('sev1');
    expect((await timeline(1)).find((e) => e.kind === 'severity_changed')).toMatchObject({ actorId: USERS.alice, text: 'All cards failing' });
    await h.waitFor(() => text(summaryOf(inc)).includes('SEV1 Critical'), 'the summary to show SEV1');
  });

  it('tells the person when a button’s form could not be opened (its trigger expired)', async () => {
    h = await startHarness();
    const inc = await declare();
    const { responseUrl, answer } = click(inc, 'incident.status', { late: 10_000 });
    expect((await answer).status).toBe(200);
    const reply = await h.waitFor(() => h.slack.responses().find((r) => r.url === responseUrl), 'the answer');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', text: 'Slack did not open the form (expired_trigger_id). Please click again.' });
  });

  it('leaves resolving, the severity and closing to the lead and the admins, and says so to others', async () => {
    h = await startHarness({ klaxonYml: `timezone: UTC\nadmins: [${USERS.carol}]\nservices:\n  - { id: payments, name: Payments API }\n` });
    const inc = await declare();
    const refused = (await h.slash('severity sev1', { channel: inc.channelId!, user: USERS.bob })).json();
    expect(refused.text).toContain(`Only INC-1's lead (<@${USERS.alice}>) or a Klaxon admin can change its severity.`);
    expect((await h.slash('resolve Fixed it', { channel: inc.channelId!, user: USERS.bob })).json().text).toContain('can resolve it');
    expect(await incident(1)).toMatchObject({ severity: 'sev2', status: 'investigating' });
    // Anyone may move the status and post updates; an admin may resolve.
    expect((await h.slash('status identified', { channel: inc.channelId!, user: USERS.bob })).json().text).toContain('is now *identified*');
    expect((await h.slash('resolve Fixed it', { channel: inc.channelId!, user: USERS.carol })).json().text).toContain('INC-1 is resolved');
    const audit = await h.rows(sql`select actor_id as actor, action from audit_log order by id`);
    expect(audit).toEqual([
      { actor: USERS.alice, action: 'incident.declare' },
      { actor: USERS.bob, action: 'incident.status' },
      { actor: USERS.carol, action: 'incident.resolve' },
    ]);
  });

  it('answers a refused change in a modal as a field error, keeping the form open', async () => {
    h = await startHarness();
    const inc = await declare();
    const submitted = await h.submitView({
      userId: USERS.alice,
      view: { id: 'V1', callback_id: 'incident.severity_modal', private_metadata: JSON.stringify({ incidentId: inc.id }) },
      values: { severity: { value: { type: 'static_select', selected_option: { value: 'sev2' } } }, note: { value: { type: 'plain_text_input', value: null } } },
    });
    expect(submitted.json()).toEqual({ response_action: 'errors', errors: { severity: 'INC-1 is already SEV2.' } });
  });

  it('records impact times from the modal, earlier than the declaration, and refuses impossible ones', async () => {
    h = await startHarness();
    const inc = await declare();
    const started = Math.floor((inc.declaredAt - 30 * 60_000) / 1000);
    const impact = (from: number | null, to: number | null) =>
      h.submitView({
        userId: USERS.alice,
        view: { id: 'V1', callback_id: 'incident.impact_modal', private_metadata: JSON.stringify({ incidentId: inc.id }) },
        values: { impact_started: { value: { type: 'datetimepicker', selected_date_time: from } }, impact_ended: { value: { type: 'datetimepicker', selected_date_time: to } } },
      });
    const refused = await impact(started, started - 60);
    expect(refused.json()).toEqual({ response_action: 'errors', errors: { impact_ended: 'Impact must end after it started.' } });
    const yearOne = await impact(Math.floor(new Date('0001-01-01T00:00:00Z').getTime() / 1000), null);
    expect(yearOne.json()).toEqual({ response_action: 'errors', errors: { impact_started: 'Impact can start at most 365 days before the declaration.' } });
    expect((await incident(1)).impactStartedAt).toBeNull();
    expect((await impact(started, null)).text).toBe('');
    expect((await incident(1)).impactStartedAt).toBe(started * 1000);
    await h.waitFor(() => text(summaryOf(inc)).includes('Impact since'), 'the summary to count from the impact start');
  });
});

describe('double clicks and double submissions', () => {
  it('posts one update for a form submitted twice, and answers both the same', async () => {
    h = await startHarness();
    const inc = await declare();
    const submit = () =>
      h.submitView({ userId: USERS.alice, view: { id: 'VUPD', callback_id: 'incident.update_modal', private_metadata: JSON.stringify({ incidentId: inc.id }) }, values: { update: { value: { type: 'plain_text_input', value: 'Rolled back' } } } });
    const answers = await Promise.all([submit(), submit()]);
    expect(answers.map((a) => [a.status, a.text])).toEqual([[200, ''], [200, '']]);
    await h.waitFor(() => channelMessages(inc).find((m) => m.text.startsWith('Update on INC-1')), 'the update');
    await h.klaxon.scheduler.idle();
    expect((await timeline(1)).filter((e) => e.kind === 'update')).toHaveLength(1);
    expect(channelMessages(inc).filter((m) => m.text.startsWith('Update on INC-1'))).toHaveLength(1);
  });

  it('answers a resolution submitted twice with the same answer, resolving once', async () => {
    h = await startHarness();
    const inc = await declare();
    const submit = () =>
      h.submitView({ userId: USERS.alice, view: { id: 'VRES', callback_id: 'incident.resolve_modal', private_metadata: JSON.stringify({ incidentId: inc.id }) }, values: { resolution: { value: { type: 'plain_text_input', value: 'Restarted the pool' } } } });
    const first = await submit();
    const second = await submit();
    expect([first.text, second.text]).toEqual(['', '']);
    expect((await timeline(1)).filter((e) => e.kind === 'resolved')).toHaveLength(1);
  });
});

describe('roles and updates', () => {
  it('gives a role: invites the person, tells them what it means by DM, and shows them on the summary', async () => {
    h = await startHarness();
    const inc = await declare();
    const answer = (await h.slash(`role comms <@${USERS.bob}|bob>`, { channel: inc.channelId! })).json();
    expect(answer.text).toContain(`<@${USERS.bob}> is now communications of INC-1`);
    await h.waitFor(() => h.slack.state.channel(inc.channelId!)!.members.has(USERS.bob), 'Bob to be invited');
    const dm = await h.waitFor(() => h.slack.state.dmsWith(USERS.bob).find((m) => m.text.includes('Communications')), 'the role DM');
    expect(dm.text).toContain('keep everyone outside the channel informed');
    await h.waitFor(() => text(summaryOf(inc)).includes(`*Comms*\\n<@${USERS.bob}>`), 'the summary to show the comms role');
    expect((await h.slash(`lead <@${USERS.carol}>`, { channel: inc.channelId! })).json().text).toContain('incident lead');
    expect((await incident(1)).leadId).toBe(USERS.carol);
    expect((await timeline(1)).filter((e) => e.kind === 'role_assigned').map((e) => e.data)).toEqual([
      { role: 'comms', userId: USERS.bob, previous: null },
      { role: 'lead', userId: USERS.carol, previous: USERS.alice },
    ]);
    const again = (await h.slash(`lead <@${USERS.carol}>`, { channel: inc.channelId! })).json();
    expect(again.text).toContain('is already incident lead');
  });

  it('posts a status update in the channel and INCIDENTS_CHANNEL, escaped, and shows it on the summary', async () => {
    h = await startHarness();
    const inc = await declare();
    await h.slash('update Rolled back 4.2 <!channel> & watching <https://evil.test|here>', { channel: inc.channelId! });
    const inChannel = await h.waitFor(() => channelMessages(inc).find((m) => m.text.startsWith('Update on INC-1')), 'the update in the channel');
    const announced = await h.waitFor(() => h.slack.state.messages(INCIDENTS_CHANNEL).find((m) => m.text.startsWith('Update on INC-1')), 'the update in #incidents');
    for (const m of [inChannel, announced]) {
      expect(text(m)).toContain('Rolled back 4.2 @channel &amp; watching https://evil.test');
      expect(text(m)).not.toMatch(/<!channel>|<https:\/\/evil/);
    }
    expect(text(announced)).toContain(`Follow in <#${inc.channelId}>`);
    expect((await timeline(1)).find((e) => e.kind === 'update')).toMatchObject({ actorId: USERS.alice, text: 'Rolled back 4.2 @channel & watching https://evil.test' });
    await h.waitFor(() => text(summaryOf(inc)).includes('*Last update*'), 'the summary to show the last update');
    await h.klaxon.scheduler.idle();
    // The announcement does not show updates, so an update leaves it alone: every Slack call changes something people see.
    expect(h.slack.calls('chat.update').filter((c) => c.args.channel === INCIDENTS_CHANNEL)).toHaveLength(0);
    expect(h.slack.calls('conversations.setTopic')).toHaveLength(1);
  });

  it('marks a drill as such on the summary, the announcement and the topic', async () => {
    h = await startHarness();
    await h.submitView({ userId: USERS.alice, view: { id: 'V1', callback_id: 'incident.declare' }, values: declareFormValues({ title: 'Game day: payments failover', severity: 'sev3', drill: true }) });
    const inc = await h.provisioned(1);
    expect(inc.isDrill).toBe(true);
    expect(text(summaryOf(inc))).toContain('*Drill*: practice only');
    expect(summaryOf(inc).text).toMatch(/^\[DRILL\] INC-1/);
    expect(text(h.slack.state.messages(INCIDENTS_CHANNEL)[0])).toContain(':test_tube: *DRILL*');
    expect(h.slack.state.channel(inc.channelId!)!.topic.value).toMatch(/^DRILL \| SEV3/);
  });

  it('answers for a private incident only to members of its channel, as if it did not exist to others', async () => {
    h = await startHarness();
    await h.submitView({ userId: USERS.alice, view: { id: 'V1', callback_id: 'incident.declare' }, values: declareFormValues({ title: 'Fraud investigation', severity: 'sev2', private: true }) });
    await h.provisioned(1);
    for (const command of ['timeline INC-1', 'status INC-1 identified', 'note INC-1 peeking', 'postmortem INC-1']) {
      expect((await h.slash(command, { user: USERS.bob })).json().text).toContain('INC-1 is not an incident you can see: there is none, or it is private and you are not in its channel.');
    }
    expect((await h.slash('timeline INC-9', { user: USERS.bob })).json().text).toContain('INC-9 is not an incident you can see: there is none, or it is private and you are not in its channel.');
    expect((await incident(1)).status).toBe('investigating');
    expect((await h.slash('timeline INC-1', { user: USERS.alice })).json().text).toContain('Timeline of INC-1');
  });

  it('keeps a private incident’s updates out of INCIDENTS_CHANNEL', async () => {
    h = await startHarness();
    await h.submitView({ userId: USERS.alice, view: { id: 'V1', callback_id: 'incident.declare' }, values: declareFormValues({ title: 'Fraud investigation', severity: 'sev2', private: true }) });
    const inc = await h.provisioned(1);
    expect(inc.isPrivate).toBe(true);
    await h.slash('update Narrowed it down', { channel: inc.channelId! });
    await h.waitFor(() => channelMessages(inc).find((m) => m.text.startsWith('Update on INC-1')), 'the update in the channel');
    await h.klaxon.scheduler.idle();
    expect(h.slack.state.messages(INCIDENTS_CHANNEL).some((m) => m.text.startsWith('Update on INC-1'))).toBe(false);
  });
});

const DAY = 86_400_000;
const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
const REMINDING_YML = `
timezone: UTC
services:
  - id: payments
    name: Payments API
    escalation_policy: payments
update_reminders:
  sev2: 30m
schedules:
  - id: primary
    rotation: { kind: daily, handoff: "00:00", start: ${yesterday}, participants: [U01BOB] }
escalation_policies:
  - id: payments
    levels:
      - targets: [schedule:primary]
        timeout: 1h
`;

describe('reminders and resolving', () => {
  it('reminds the lead when no update comes, stops after resolve, withdraws pages and offers the post-mortem', async () => {
    h = await startHarness({ klaxonYml: REMINDING_YML });
    const inc = await declare();
    const page = await h.waitFor(() => h.slack.state.dmsWith(USERS.bob).find((m) => text(m).includes('oncall.ack')), 'Bob’s page');
    const reminders = () => channelMessages(inc).filter((m) => m.text.includes('no status update'));
    await h.fastForward(30 * 60_000);
    const first = await h.waitFor(() => reminders()[0], 'an update reminder');
    expect(text(first)).toContain(`<@${USERS.alice}>, no status update for INC-1`);
    expect(text(first)).toContain('"action_id":"incident.update"');

    const answer = (await h.slash('resolve Rolled back release 4.2', { channel: inc.channelId! })).json();
    expect(answer.text).toContain('INC-1 is resolved');
    expect(await incident(1)).toMatchObject({ status: 'resolved', resolution: 'Rolled back release 4.2' });
    const resolved = await h.waitFor(() => channelMessages(inc).find((m) => m.text.startsWith('INC-1 resolved')), 'the resolution in the channel');
    expect(text(resolved)).toContain('"action_id":"postmortem.open"');
    await h.waitFor(() => h.slack.state.messages(INCIDENTS_CHANNEL).find((m) => m.text.startsWith('INC-1 resolved')), 'the resolution in #incidents');
    expect((await escalationsOf(h.klaxon.database.db, incidentSubject(1))).map((e) => e.status)).toEqual(['cancelled']);
    await h.waitFor(() => text(h.slack.state.message(h.slack.state.imWith(USERS.bob), page.ts)).includes('withdrawn'), 'the page DM to say it was withdrawn');

    // Past the time the next reminder was due, none came.
    const count = reminders().length;
    await h.fastForward(60 * 60_000);
    expect(reminders().length).toBe(count);
    await h.waitFor(() => !text(summaryOf(inc)).includes('"action_id":"incident.resolve"') && text(summaryOf(inc)).includes('"action_id":"incident.reopen"'), 'the summary to offer Reopen');
  });

  it('resolves from the button’s modal, reopens, and closes with confirmation, archiving the channel', async () => {
    h = await startHarness();
    const inc = await declare();
    click(inc, 'incident.resolve');
    const opened = await h.waitFor(() => h.slack.calls('views.open').find((c) => c.ok), 'the resolve modal');
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    const empty = await h.submitView({ userId: USERS.alice, view: { id: 'V1', callback_id: view.callback_id, private_metadata: view.private_metadata }, values: { resolution: { value: { type: 'plain_text_input', value: '   ' } } } });
    expect(empty.json()).toMatchObject({ response_action: 'errors', errors: { resolution: expect.stringContaining('what resolved it') } });
    await h.submitView({ userId: USERS.alice, view: { id: 'V1', callback_id: view.callback_id, private_metadata: view.private_metadata }, values: { resolution: { value: { type: 'plain_text_input', value: 'Restarted the pool' } } } });
    expect((await incident(1)).status).toBe('resolved');

    expect((await h.slash('reopen', { channel: inc.channelId! })).json().text).toContain('open again');
    expect(await incident(1)).toMatchObject({ status: 'investigating', resolvedAt: null });
    await h.waitFor(() => channelMessages(inc).find((m) => m.text.includes('reopened INC-1')), 'the reopening message');
    await h.slash('resolve Restarted the pool again', { channel: inc.channelId! });

    const confirm = (await h.slash('close', { channel: inc.channelId! })).json();
    expect(JSON.stringify(confirm.blocks)).toContain('"confirm"');
    expect(h.slack.state.channel(inc.channelId!)!.archived).toBe(false);
    const { answer } = click(await incident(1), 'incident.close');
    expect((await answer).status).toBe(200);
    await h.waitFor(() => h.slack.state.channel(inc.channelId!)!.archived, 'the channel to be archived');
    expect(channelMessages(inc).some((m) => m.text.includes('closed INC-1'))).toBe(true);
    expect((await incident(1)).closedAt).not.toBeNull();
    expect((await timeline(1)).map((e) => e.kind)).toEqual(expect.arrayContaining(['resolved', 'reopened', 'closed']));

    const entries = (await timeline(1)).length;
    const refused = (await h.slash('note INC-1 one more thing', { user: USERS.alice })).json();
    expect(refused.text).toContain('INC-1 is closed.');
    expect(refused.text).toContain('/incident note INC-1 one more thing');
    expect(await timeline(1)).toHaveLength(entries);
  });
});
