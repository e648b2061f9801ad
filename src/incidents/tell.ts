/**
 * The messages people must read about one timeline entry, posted once each through the outbox: a status
 * update in the channel and INCIDENTS_CHANNEL, the resolution (with the post-mortem offer), a reopening, a new
 * role (the invitation and a DM saying what it means; the summary shows who has it), and the closing note
 * before the channel is archived.
 */
import { DeferError, PermanentError } from '../core/errors.ts';
import { SlackCallError } from '../core/slack-gateway.ts';
import { closingText, reopenedText, resolvedBlocks, resolvedText, roleDmText, statusUpdateBlocks, statusUpdateText } from './change-blocks.ts';
import { incidentRef } from '../core/incident-ref.ts';
import type { Incident } from './incident.ts';
import { isRole } from './lifecycle.ts';
import type { ProvisionDeps } from './provision.ts';
import { getIncident, getTimelineEvent, type TimelineEvent } from './store.ts';

/** What setting an incident up needs, but the callback for its new channel. */
export type TellDeps = Omit<ProvisionDeps, 'onChannel'>;

export async function tellAbout(deps: TellDeps, eventId: number): Promise<void> {
  const event = await getTimelineEvent(deps.db, eventId);
  if (!event) throw new PermanentError(`timeline entry ${eventId} does not exist`);
  const incident = (await getIncident(deps.db, event.incidentId))!;
  // Until provisioning records the channel there is nowhere to post; the job waits without using an attempt.
  if (!incident.channelId) {
    if (incident.provisioning === 'failed') throw new PermanentError(`${incidentRef(incident.id)} has no channel: setting it up failed`);
    throw new DeferError('the incident has no channel yet', 1000);
  }
  const by = event.actorId ?? incident.declaredBy;
  const key = `tell:${eventId}`;
  const post = (suffix: string, channel: string, content: Record<string, unknown>) => {
    const postKey = `${key}:${suffix}`;
    return deps.outbox.send(postKey, 'chat.postMessage', { channel, ...content, unfurl_links: false });
  };
  const announceIn = incident.isPrivate ? undefined : deps.incidentsChannel;
  switch (event.kind) {
    case 'update': {
      const update = { text: event.text ?? '', by };
      await post('channel', incident.channelId, { text: statusUpdateText(incident, update.text), blocks: statusUpdateBlocks(incident, update, false) });
      if (announceIn) await optional(deps, incident, () => post('announce', announceIn, { text: statusUpdateText(incident, update.text), blocks: statusUpdateBlocks(incident, update, true) }));
      return;
    }
    case 'resolved': {
      const resolved = { ...incident, resolution: event.text, resolvedAt: event.at };
      await post('channel', incident.channelId, { text: resolvedText(resolved), blocks: resolvedBlocks(resolved, by, event.at, false) });
      if (announceIn) await optional(deps, incident, () => post('announce', announceIn, { text: resolvedText(resolved), blocks: resolvedBlocks(resolved, by, event.at, true) }));
      return;
    }
    case 'reopened':
      await post('channel', incident.channelId, { text: reopenedText(incident, by) });
      return;
    case 'role_assigned':
      return tellRole(deps, incident, event, by);
    case 'closed':
      await post('channel', incident.channelId, { text: closingText(incident, by) });
      await deps.outbox.send(`${key}:archive`, 'conversations.archive', { channel: incident.channelId }, { alreadyDone: ['already_archived'] });
      return;
    default:
      return;
  }
}

async function tellRole(deps: TellDeps, incident: Incident, event: TimelineEvent, by: string): Promise<void> {
  const role = String(event.data?.role ?? '');
  const userId = String(event.data?.userId ?? '');
  if (!isRole(role) || !userId) throw new PermanentError(`timeline entry ${event.id} names no role`);
  const key = `tell:${event.id}`;
  const channel = incident.channelId!;
  await optional(deps, incident, () => deps.outbox.send(`${key}:invite`, 'conversations.invite', { channel, users: userId }, { alreadyDone: ['already_in_channel'] }));
  await optional(deps, incident, () => deps.outbox.send(`${key}:dm`, 'chat.postMessage', { channel: userId, text: roleDmText(incident, role, by) }));
}

/** A message the incident can do without (the announcement copy, an invitation, a DM): refused for good, it is logged. */
async function optional(deps: TellDeps, incident: Incident, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof SlackCallError) || error.retryable) throw error;
    deps.logger.warn('an incident message was not delivered', { incident: incidentRef(incident.id), method: error.method, code: error.code });
  }
}
