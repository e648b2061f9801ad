/**
 * What Klaxon needs to know about people from their Slack profiles (users.info): their time zone, so that
 * times are read and shown in each person's own, and their name, for places outside Slack (calendars). Cached
 * for an hour; when Slack cannot say, the fallback zone (klaxon.yml's) and the user id are used.
 */
import type { Clock } from './clock.ts';
import { errorMessage } from './errors.ts';
import type { Logger } from './logger.ts';
import type { SlackGateway } from './slack-gateway.ts';
import { isTimeZone } from './wall-clock.ts';

const TTL_MS = 3_600_000;

export interface UserProfile {
  timeZone: string;
  name: string;
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
      const result = await this.slack.call('users.info', { user: userId });
      const user = (result.user ?? {}) as { tz?: string; real_name?: string; name?: string; profile?: { display_name?: string; real_name?: string } };
      const profile = {
        timeZone: user.tz && isTimeZone(user.tz) ? user.tz : this.fallbackZone,
        name: user.real_name || user.profile?.real_name || user.profile?.display_name || user.name || userId,
      };
      this.cache.set(userId, { profile, until: this.clock.now() + TTL_MS });
      return profile;
    } catch (error) {
      this.logger.warn('could not read a Slack profile; using defaults', { user: userId, error: errorMessage(error) });
      return { timeZone: this.fallbackZone, name: userId };
    }
  }
}
