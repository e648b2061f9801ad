/**
 * What Klaxon needs to know about people from their Slack profiles (users.info): their time zone, so that
 * times are read and shown in each person's own, and their name, for places outside Slack (calendars); and,
 * before someone is given a role or paged, that they are a person Slack knows and can reach. Profiles are
 * cached for an hour; when Slack cannot say, the fallback zone (klaxon.yml's) and the user id are used.
 */
import type { Clock } from './clock.ts';
import { errorMessage, UserError } from './errors.ts';
import type { Logger } from './logger.ts';
import { escape, mention } from './mrkdwn.ts';
import { SlackCallError, type SlackGateway } from './slack-gateway.ts';
import { isTimeZone } from './wall-clock.ts';

const TTL_MS = 3_600_000;
/** Slack's own bot, which users.info does not mark as one. */
const SLACKBOT = 'USLACKBOT';

export interface UserProfile {
  timeZone: string;
  name: string;
}

/** Refuses (UserError) anyone who cannot `what` ("be paged", "be scribe of INC-4"); see UserProfiles.requirePerson. */
export type RequirePerson = (userId: string, what: string) => Promise<void>;

/** The fields of users.info's `user` that Klaxon reads. */
interface SlackUser {
  tz?: string;
  real_name?: string;
  name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  profile?: { display_name?: string; real_name?: string };
}

export class UserProfiles {
  private readonly cache = new Map<string, { profile: UserProfile; until: number }>();

  constructor(
    private readonly slack: SlackGateway,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly fallbackZone: string,
  ) {}

  async timeZone(userId: string): Promise<string> {
    return (await this.of(userId)).timeZone;
  }

  async of(userId: string): Promise<UserProfile> {
    const cached = this.cache.get(userId);
    if (cached && cached.until > this.clock.now()) return cached.profile;
    try {
      return this.remember(userId, await this.lookUp(userId));
    } catch (error) {
      this.logger.warn('could not read a Slack profile; using defaults', { user: userId, error: errorMessage(error) });
      return { timeZone: this.fallbackZone, name: userId };
    }
  }

  /**
   * Refuses (UserError) anyone who cannot `what` ("be paged"): an id Slack does not know, a deactivated
   * account, or a bot (Klaxon itself included), since Klaxon could neither invite nor tell them anything.
   * Asks Slack every time (an account may have been deactivated within the hour); when Slack cannot be
   * reached the refusal says so, and that trying again shortly will work.
   */
  async requirePerson(userId: string, what: string): Promise<void> {
    let user: SlackUser;
    try {
      user = await this.lookUp(userId);
    } catch (error) {
      if (error instanceof SlackCallError && (error.code === 'user_not_found' || error.code === 'user_not_visible')) {
        throw new UserError(`Slack knows nobody as ${escape(userId)}, so they cannot ${what}.`);
      }
      // Slack not answering or rate-limiting is answered as such by whoever asked (slackTroubleText).
      throw error;
    }
    this.remember(userId, user);
    if (user.deleted) throw new UserError(`${mention(userId)} is deactivated in Slack, so they cannot ${what}.`);
    if (user.is_bot || userId === SLACKBOT) throw new UserError(`${mention(userId)} is a bot; only people can ${what}.`);
  }

  private async lookUp(userId: string): Promise<SlackUser> {
    const result = await this.slack.call('users.info', { user: userId });
    return (result.user ?? {}) as SlackUser;
  }

  private remember(userId: string, user: SlackUser): UserProfile {
    const profile = {
      timeZone: user.tz && isTimeZone(user.tz) ? user.tz : this.fallbackZone,
      name: user.real_name || user.profile?.real_name || user.profile?.display_name || user.name || userId,
    };
    this.cache.set(userId, { profile, until: this.clock.now() + TTL_MS });
    return profile;
  }
}
