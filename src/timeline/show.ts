/** Reading the timeline: one page for a person, in their time zone; a private incident only for its members. */
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { isChannelMember, type SlackGateway } from '../core/slack-gateway.ts';
import type { UserProfiles } from '../core/user-profiles.ts';
import { getIncident, incidentRef } from '../incidents/index.ts';
import { timelinePage, type TimelinePage } from './blocks.ts';
import { visibleSlice, visibleTimes } from './store.ts';

export interface ShowDeps extends Pick<Kit, 'db'> {
  /** The request-path gateway and profiles (kit.slackNow, kit.profilesNow): a person waits for the answer. */
  slack: SlackGateway;
  profiles: UserProfiles;
}

export async function timelineFor(deps: ShowDeps, incidentId: number, userId: string, page: number): Promise<TimelinePage> {
  const incident = await getIncident(deps.db, incidentId);
  if (!incident) throw new UserError(`There is no ${incidentRef(incidentId)}.`);
  if (incident.isPrivate && !(await isChannelMember(deps.slack, incident.channelId, userId))) {
    throw new UserError(`${incidentRef(incidentId)} is private: only members of its channel can read its timeline.`);
  }
  const timeZone = await deps.profiles.timeZone(userId);
  return timelinePage(incident, await visibleTimes(deps.db, incidentId), (from, to) => visibleSlice(deps.db, incidentId, from, to), timeZone, page);
}
