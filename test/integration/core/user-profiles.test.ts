/** Checking people with Slack before they are given a role or paged, against the fake Slack's users.info. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.ts';
import { createSlackGateway } from '../../../src/core/slack-gateway.ts';
import { UserProfiles } from '../../../src/core/user-profiles.ts';
import { startFakeSlack, type FakeSlack } from '../../../src/simulator/slack/index.ts';
import { FakeClock } from '../../support/clock.ts';

let slack: FakeSlack;
let profiles: UserProfiles;
beforeEach(async () => {
  slack = await startFakeSlack({
    users: [
      { id: 'U01ALICE', name: 'alice', real_name: 'Alice Archer', tz: 'Europe/London' },
      { id: 'U01GONE', name: 'gone', real_name: 'Gone Away', tz: 'UTC', deleted: true },
      { id: 'USLACKBOT', name: 'slackbot', real_name: 'Slackbot', tz: 'UTC' },
    ],
  });
  profiles = new UserProfiles(createSlackGateway({ token: slack.botToken, slackApiUrl: slack.url, logger: silentLogger }), new FakeClock(), silentLogger, 'UTC');
});
afterEach(() => slack.close());

describe('requirePerson', () => {
  it('accepts an active person, and remembers their profile', async () => {
    await profiles.requirePerson('U01ALICE', 'be paged');
    expect(await profiles.of('U01ALICE')).toEqual({ timeZone: 'Europe/London', name: 'Alice Archer' });
    expect(slack.calls('users.info')).toHaveLength(1);
  });

  it('refuses unknown ids, deactivated accounts, Klaxon and Slackbot by name', async () => {
    await expect(profiles.requirePerson('U0NOBODY99', 'be paged')).rejects.toThrow('Slack knows nobody as U0NOBODY99, so they cannot be paged.');
    await expect(profiles.requirePerson('U01GONE', 'be paged')).rejects.toThrow('<@U01GONE> is deactivated in Slack, so they cannot be paged.');
    await expect(profiles.requirePerson(slack.botUserId, 'be paged')).rejects.toThrow(`<@${slack.botUserId}> is a bot; only people can be paged.`);
    await expect(profiles.requirePerson('USLACKBOT', 'be paged')).rejects.toThrow('<@USLACKBOT> is a bot; only people can be paged.');
  });

  it('passes Slack failures on as they are, for the answer to say whether trying again will work', async () => {
    slack.failNext('users.info', { status: 429, retryAfter: 300 });
    await expect(profiles.requirePerson('U01ALICE', 'be paged')).rejects.toMatchObject({ name: 'SlackCallError', code: 'rate_limited', retryable: true, retryAfterMs: 300_000 });
    slack.failNext('users.info', { status: 500 });
    await expect(profiles.requirePerson('U01ALICE', 'be paged')).rejects.toMatchObject({ name: 'SlackCallError', code: 'http_500', retryable: true });
    slack.failNext('users.info', { error: 'invalid_auth' });
    await expect(profiles.requirePerson('U01ALICE', 'be paged')).rejects.toMatchObject({ name: 'SlackCallError', code: 'invalid_auth' });
  });
});
