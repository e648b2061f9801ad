/**
 * Who may act on an incident from where: a public incident answers to anyone, a private one only to members of
 * its channel (asked of Slack when the person is elsewhere). Refusals read like "no such incident", so that a
 * private incident's existence is not given away.
 */
import type { Db } from '../core/db.ts';
import { isChannelMember, type SlackGateway } from '../core/slack-gateway.ts';
import { getIncidentAccess } from './store.ts';

/** Answers when the database can tell; when Slack must be asked, the question to ask (the caller may acknowledge first). */
export async function mayUseIncident(deps: { db: Db; slack: SlackGateway }, incidentId: number, userId: string, channelId: string): Promise<boolean | (() => Promise<boolean>)> {
  const incident = await getIncidentAccess(deps.db, incidentId);
  if (!incident?.isPrivate || incident.channelId === channelId) return true;
  return () => isChannelMember(deps.slack, incident.channelId, userId);
}
