/**
 * Sets a declared incident up in Slack, step by step, each step an idempotent outbox call: create the channel
 * (suffixing the name on `name_taken`), set topic and purpose, invite the declarer, post and pin the summary,
 * announce it, and tell the declarer. Run again after a crash or a failure, it repeats only what did not happen.
 */
import type { ServiceConfig } from '../core/config.ts';
import { transaction } from '../core/db.ts';
import { errorMessage, PermanentError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { channelLink } from '../core/mrkdwn.ts';
import type { OutboxResult } from '../core/outbox.ts';
import { findInPages, SlackCallError, type SlackGateway } from '../core/slack-gateway.ts';
import { announcementBlocks, announcementText, channelPurpose, declaredReply, incidentSummaryBlocks, incidentSummaryText, provisioningFailedReply } from './blocks.ts';
import { incidentChannelName } from './channel-name.ts';
import { incidentRef } from '../core/incident-ref.ts';
import type { ProvisionPayload, ReplyTo } from './schemas.ts';
import type { Incident } from './incident.ts';
import { setTopic, summaryViewOf } from './surfaces.ts';
import { getIncident, setAnnouncement, setIncidentChannel, setProvisioning, setSummaryMessage } from './store.ts';

export interface ProvisionDeps extends Pick<Kit, 'db' | 'clock' | 'slack' | 'outbox' | 'logger'> {
  services: ServiceConfig[];
  incidentsChannel?: string;
  /** Called in the transaction that records the new channel: what needs the channel can be scheduled then. */
  onChannel?: (incidentId: number, at: number) => Promise<void>;
}

const MAX_NAME_ATTEMPTS = 20;

export async function provisionIncident(deps: ProvisionDeps, payload: ProvisionPayload): Promise<void> {
  const { db, outbox, clock } = deps;
  let incident = await requireIncident(deps, payload.incidentId);
  const ref = incidentRef(incident.id);
  const warnings: string[] = [];

  if (!incident.channelId) {
    const created = await createChannel(deps, incident);
    await transaction(db, async () => {
      const at = clock.now();
      await setIncidentChannel(db, incident.id, created, at);
      await deps.onChannel?.(incident.id, at);
    });
    incident = await requireIncident(deps, incident.id);
  }
  const channel = incident.channelId!;

  const step = (what: string, run: () => Promise<unknown>) => bestEffort(deps, incident, what, run).then((warning) => warning && warnings.push(warning));
  await step('set the channel topic', () => setTopic(outbox, incident));
  await step('set the channel purpose', () => outbox.send(`purpose:${ref}`, 'conversations.setPurpose', { channel, purpose: channelPurpose(incident) }));
  await step(`invite you to ${channelLink(channel)}`, () =>
    outbox.send(`invite:${ref}:${incident.declaredBy}`, 'conversations.invite', { channel, users: incident.declaredBy }, { alreadyDone: ['already_in_channel'] }),
  );

  const summaryKey = `summary:${ref}`;
  const summary = await outbox.send(summaryKey, 'chat.postMessage', { channel, text: incidentSummaryText(incident), blocks: incidentSummaryBlocks(await summaryViewOf(db, incident), deps.services), unfurl_links: false });
  await setSummaryMessage(db, incident.id, String(summary.ts), clock.now());
  await step('pin the summary message', () => outbox.send(`pin:${ref}`, 'pins.add', { channel, timestamp: summary.ts }, { alreadyDone: ['already_pinned'] }));

  const announceIn = deps.incidentsChannel;
  if (!incident.isPrivate && announceIn) await step(`announce it in ${channelLink(announceIn)}`, () => announce(deps, incident, announceIn));

  await setProvisioning(db, incident.id, 'done', null, clock.now());
  await replyToDeclarer(deps, await requireIncident(deps, incident.id), payload.replyTo, 'done', declaredReply(incident, warnings));
}

/** When provisioning fails for good: the incident stays recorded and the declarer hears what did not happen. */
export async function reportProvisioningFailure(deps: ProvisionDeps, payload: ProvisionPayload, error: unknown): Promise<void> {
  const incident = await getIncident(deps.db, payload.incidentId);
  if (!incident) return;
  const problem = describeFailure(error);
  await setProvisioning(deps.db, incident.id, 'failed', problem, deps.clock.now());
  await replyToDeclarer(deps, incident, payload.replyTo, 'failed', provisioningFailedReply(incident, problem));
}

async function requireIncident(deps: ProvisionDeps, id: number): Promise<Incident> {
  const incident = await getIncident(deps.db, id);
  if (!incident) throw new PermanentError(`incident ${id} does not exist`);
  return incident;
}

async function createChannel(deps: ProvisionDeps, incident: Incident): Promise<{ id: string; name: string }> {
  const ref = incidentRef(incident.id);
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt += 1) {
    const name = incidentChannelName(incident.id, incident.title, attempt);
    try {
      const result = await deps.outbox.send(
        `channel:${ref}:${name}`,
        'conversations.create',
        { name, is_private: incident.isPrivate },
        {
          pick: (res) => ({ channel: (res.channel as { id: string }).id, name }),
          recover: () => findOwnChannelByName(deps.slack, name),
        },
      );
      return { id: String(result.channel), name };
    } catch (error) {
      if (error instanceof SlackCallError && error.code === 'name_taken') continue;
      throw error;
    }
  }
  throw new PermanentError(`no free channel name for ${ref} after ${MAX_NAME_ATTEMPTS} tries`);
}

/** Announces in INCIDENTS_CHANNEL and remembers the message for later edits. */
async function announce(deps: ProvisionDeps, incident: Incident, channel: string): Promise<void> {
  const key = `announce:${incidentRef(incident.id)}`;
  const result = await deps.outbox.send(key, 'chat.postMessage', { channel, text: announcementText(incident), blocks: announcementBlocks(incident, deps.services), unfurl_links: false });
  await setAnnouncement(deps.db, incident.id, channel, String(result.ts), deps.clock.now());
}

/**
 * Runs a step the incident can live without (topic, invite, pin, announcement). If Slack refuses it for good,
 * the declarer gets a warning instead of a failed declaration; passing faults still retry the whole job.
 */
async function bestEffort(deps: ProvisionDeps, incident: Incident, what: string, run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    if (!(error instanceof SlackCallError) || error.retryable) throw error;
    deps.logger.error('an incident setup step was refused', { incident: incidentRef(incident.id), step: what, method: error.method, error });
    return `Klaxon could not ${what}: Slack said \`${error.code}\`${HINTS[error.code] ? ` (${HINTS[error.code]})` : ''}.`;
  }
}

/** What to do about the refusals people can fix themselves. */
const HINTS: Record<string, string> = {
  not_in_channel: 'invite Klaxon to that channel',
  channel_not_found: 'check INCIDENTS_CHANNEL',
  is_archived: 'the channel is archived',
  missing_scope: 'reinstall the app from manifest.yml',
};

/** Answers through the command's response_url; when there is none or it has expired, by DM. */
async function replyToDeclarer(deps: ProvisionDeps, incident: Incident, replyTo: ReplyTo, outcome: string, text: string): Promise<void> {
  const ref = incidentRef(incident.id);
  if (replyTo.responseUrl) {
    try {
      await deps.outbox.respond(`reply:${ref}:${outcome}`, replyTo.responseUrl, { response_type: 'ephemeral', replace_original: true, text });
      return;
    } catch (error) {
      if (error instanceof SlackCallError && error.retryable) throw error;
      deps.logger.warn('response_url refused the reply; sending a DM instead', { incident: ref, error: errorMessage(error) });
    }
  }
  await deps.outbox.send(`reply-dm:${ref}:${outcome}`, 'chat.postMessage', { channel: incident.declaredBy, text });
}

function describeFailure(error: unknown): string {
  if (error instanceof SlackCallError) return `Slack answered \`${error.code}\` to ${error.method}`;
  return errorMessage(error);
}

/** Finds a channel with this exact name that Klaxon itself created (the answer to that create was lost). */
async function findOwnChannelByName(slack: SlackGateway, name: string): Promise<OutboxResult | undefined> {
  const botUserId = await slack.botUserId();
  return findInPages(slack, 'conversations.list', { types: 'public_channel,private_channel', exclude_archived: false, limit: 1000 }, (page) => {
    const found = ((page.channels ?? []) as { id: string; name: string; creator?: string }[]).find((c) => c.name === name && c.creator === botUserId);
    return found ? { channel: found.id, name } : undefined;
  });
}
