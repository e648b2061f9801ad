/**
 * The alert group in Slack: its message in the service's alert channel (posted once, then edited by a job keyed
 * by the group's revision, through the outbox, so that a repeated run only does what is missing), and how its page
 * DM shows it (the paging feature asks).
 */
import type { KlaxonFile } from '../core/config.ts';
import type { Kit } from '../core/kit.ts';
import { alertRef } from '../core/alert-ref.ts';
import { serviceNameOrNull } from '../core/service-names.ts';
import type { PagedSubject } from '../paging/index.ts';
import { alertDetails, alertMessageBlocks, alertMessageText, alertPageButtons } from './blocks.ts';
import { jobKinds } from './ids.ts';
import { alertChannelOf } from './routing.ts';
import { alertsOf, getAlertGroup, setAlertGroupMessage } from './store.ts';

export interface AlertSurfaceDeps extends Pick<Kit, 'db' | 'outbox'> {
  file: KlaxonFile;
  incidentsChannel?: string;
}

/**
 * How long an edit of a posted message waits, so that the changes of a storm (an alert a moment) make one edit a
 * second rather than one each, within Slack's rate limit for chat.update; a job whose revision is no longer the
 * latest does nothing. The first post goes at once.
 */
const EDIT_DELAY_MS = 1000;

/** Call inside the transaction that changed the group. */
export async function scheduleAlertMessage(deps: Pick<Kit, 'db' | 'scheduler'>, groupId: number, at: number): Promise<void> {
  const group = (await getAlertGroup(deps.db, groupId))!;
  const dueAt = group.channelTs ? at + EDIT_DELAY_MS : at;
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.message, key: `alert-message:${alertRef(groupId)}:r${group.revision}`, dueAt, payload: { groupId, revision: group.revision } });
}

export async function syncAlertMessage(deps: AlertSurfaceDeps, groupId: number, revision: number): Promise<void> {
  const group = await getAlertGroup(deps.db, groupId);
  // A newer revision has its own job, which shows the newer state.
  if (!group || group.revision > revision) return;
  const channel = group.channelId ?? alertChannelOf(deps.file, group.serviceId, deps.incidentsChannel);
  if (!channel) return;
  const content = { text: alertMessageText(group), blocks: alertMessageBlocks(group, await alertsOf(deps.db, groupId), serviceNameOrNull(deps.file.services, group.serviceId)), unfurl_links: false, unfurl_media: false };
  const key = `alert-message:${alertRef(groupId)}`;
  if (group.channelId && group.channelTs) {
    await deps.outbox.edit(key, `r${group.revision}`, 'chat.update', { channel: group.channelId, ts: group.channelTs, ...content });
    return;
  }
  const posted = await deps.outbox.send(key, 'chat.postMessage', { channel, ...content });
  await setAlertGroupMessage(deps.db, groupId, String(posted.channel ?? channel), String(posted.ts));
}

/** How the group's page DM shows it. */
export async function pagedAlertGroup(deps: Pick<AlertSurfaceDeps, 'db' | 'file'>, groupId: number): Promise<PagedSubject> {
  const group = (await getAlertGroup(deps.db, groupId))!;
  return {
    ref: alertRef(groupId),
    title: group.title,
    severityLabel: group.urgency === 'high' ? 'High urgency' : 'Low urgency',
    serviceName: serviceNameOrNull(deps.file.services, group.serviceId),
    channelId: null,
    alert: { details: alertDetails(group, await alertsOf(deps.db, groupId)), buttons: alertPageButtons(group), openedAt: group.openedAt },
  };
}
