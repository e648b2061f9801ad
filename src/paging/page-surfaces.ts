/**
 * Brings every Slack message about an escalation up to date with its state: each paged person's DM (posted
 * once, then edited), their invitation to the incident channel, each step's line in the channel, and the alert
 * when nobody acknowledged. Run by a job keyed by the escalation's revision; every call goes through the
 * outbox, so a run repeated after a crash or a Slack failure only does what is missing.
 */
import type { KlaxonFile } from '../core/config.ts';
import { DeferError } from '../core/errors.ts';
import type { KeyedLock } from '../core/keyed-lock.ts';
import type { Kit } from '../core/kit.ts';
import { lookAgainIn, type Patience } from '../core/look-again.ts';
import { SlackCallError } from '../core/slack-gateway.ts';
import { getIncident, incidentRef, SEVERITY_INFO, type Incident } from '../incidents/index.ts';
import { nextPosition } from './escalation.ts';
import { exhaustedAlertText, pageDmBlocks, pageDmText, stepLineBlocks, stepLineText, type EscalationFacts, type PagedSubject, type StepFacts } from './page-blocks.ts';
import { getEscalation, pagesOf, setEscalationAlert, setPageDeliveryError, setPageDm, setStepChannelTs, stepsOf, type EscalationRow, type PageRow, type StepRow } from './store.ts';
import { serviceNameOrNull } from '../core/service-names.ts';

export interface SurfaceDeps extends Pick<Kit, 'db' | 'clock' | 'slack' | 'outbox' | 'logger'> {
  file: KlaxonFile;
  incidentsChannel?: string;
  lock: KeyedLock;
  /** How an alert group's page shows it (the alerts feature). */
  alertSubject: (alertGroupId: number) => Promise<PagedSubject>;
  /** Told the seconds from an alert group received to a page DM posted, for each person its escalation paged first. */
  alertPaged?: (seconds: number) => void;
}

/**
 * How pages wait for the incident channel so that the DM can link to it: up to 30 s from the escalation's start,
 * looking 250 ms apart at first, doubling to 2 s apart. A channel that arrives wakes the pages at once
 * (showPagesInChannel), so the looks only bound how late a page goes out when creating the channel failed; after
 * 30 s the DM goes out saying the channel is being created, and is edited to link it once it exists.
 */
const CHANNEL_PATIENCE: Patience = { firstMs: 250, maxMs: 2_000, giveUpAfterMs: 30_000 };

export async function syncEscalation(deps: SurfaceDeps, escalationId: number, revision: number): Promise<void> {
  await deps.lock.run(`escalation:${escalationId}`, async () => {
    const escalation = await getEscalation(deps.db, escalationId);
    // A newer revision has its own job, which will show the newer state.
    if (!escalation || escalation.revision > revision) return;
    const steps = await stepsOf(deps.db, escalationId);
    const pages = await pagesOf(deps.db, escalationId);
    const facts = escalationFacts(escalation, steps, deps.file);
    if (escalation.alertGroupId !== null) {
      // An alert group's page is its DMs; its message in the alert channel is the alerts feature's.
      const view = { subject: await deps.alertSubject(escalation.alertGroupId), facts, steps, pages, revision: escalation.revision };
      for (const page of pages) await syncDm(deps, escalation, view, page);
      return;
    }
    const incident = (await getIncident(deps.db, escalation.incidentId!))!;
    if (!incident.channelId && incident.provisioning === 'pending') {
      const wait = lookAgainIn(deps.clock.now() - escalation.startedAt, CHANNEL_PATIENCE);
      if (wait !== undefined) throw new DeferError('waiting for the incident channel', wait);
    }
    const view = { subject: pagedIncident(incident, deps.file), facts, steps, pages, revision: escalation.revision };
    for (const page of pages) await syncDm(deps, escalation, view, page);
    if (incident.channelId) {
      for (const page of pages) await invite(deps, incident, page.userId);
      for (const step of steps) await syncStepLine(deps, incident.channelId, view, step);
    }
    if (escalation.exhaustedAt !== null) await syncAlerts(deps, escalation, incident, view);
  });
}

interface View {
  subject: PagedSubject;
  facts: EscalationFacts;
  steps: StepRow[];
  pages: PageRow[];
  revision: number;
}

function pagedIncident(incident: Incident, file: KlaxonFile): PagedSubject {
  return {
    ref: incidentRef(incident.id),
    title: incident.title,
    severityLabel: SEVERITY_INFO[incident.severity].label,
    serviceName: serviceNameOrNull(file.services, incident.serviceId),
    channelId: incident.channelId,
  };
}

function escalationFacts(escalation: EscalationRow, steps: StepRow[], file: KlaxonFile): EscalationFacts {
  const active = escalation.status === 'active';
  const currentStep = steps.find((s) => s.level === escalation.level && s.loop === escalation.loop);
  const current = { level: escalation.level, loop: escalation.loop };
  return {
    status: escalation.status,
    label: serviceNameOrNull(file.services, escalation.serviceId),
    startedBy: escalation.startedBy,
    acknowledgedBy: escalation.acknowledgedBy,
    acknowledgedAt: escalation.acknowledgedAt,
    current: active && currentStep ? current : null,
    nextAt: active && currentStep ? currentStep.timeoutAt : null,
    nextPosition: active ? (nextPosition(escalation.policy, current) ?? null) : null,
  };
}

function stepFacts(step: StepRow, pages: PageRow[]): StepFacts {
  return {
    ...step,
    people: pages.filter((p) => p.stepId === step.id).map((p) => ({ userId: p.userId, pagedAt: p.pagedAt, acknowledgedAt: p.acknowledgedAt, deliveryError: p.deliveryError })),
  };
}

/** Posts the page DM once (conversations.open + chat.postMessage), and edits it after that. */
async function syncDm(deps: SurfaceDeps, escalation: EscalationRow, view: View, page: PageRow): Promise<void> {
  const step = view.steps.find((s) => s.id === page.stepId)!;
  const key = `page-dm:${view.subject.ref}:P${page.id}`;
  const content = { text: pageDmText(view.subject), blocks: pageDmBlocks(view.subject, view.facts, stepFacts(step, view.pages), page), unfurl_links: false };
  try {
    if (page.dmChannel && page.dmTs) {
      await deps.outbox.edit(key, `r${view.revision}`, 'chat.update', { channel: page.dmChannel, ts: page.dmTs, ...content });
      return;
    }
    const im = await deps.outbox.send(`im:${page.userId}`, 'conversations.open', { users: page.userId }, { pick: (r) => ({ channel: (r.channel as { id: string }).id }) });
    const channel = String(im.channel);
    const posted = await deps.outbox.send(key, 'chat.postMessage', { channel, ...content });
    await setPageDm(deps.db, page.id, String(posted.channel ?? channel), String(posted.ts));
    if (view.subject.alert && page.stepId === firstPagedStepId(view.pages)) deps.alertPaged?.((deps.clock.now() - view.subject.alert.openedAt) / 1000);
  } catch (error) {
    if (!(error instanceof SlackCallError) || error.retryable) throw error;
    // The person cannot be reached this way (deactivated, a bot, …): the channel line says so; the escalation goes on.
    deps.logger.error('a page DM was refused', { page: page.id, escalation: escalation.id, method: error.method, error });
    await setPageDeliveryError(deps.db, page.id, error.code);
    page.deliveryError = error.code;
  }
}

/**
 * The step that paged people first (steps are inserted in the order they are taken): its pages are the alert's
 * own, while those of later steps wait for a timeout or someone's "Escalate now".
 */
function firstPagedStepId(pages: readonly PageRow[]): number {
  return Math.min(...pages.map((p) => p.stepId));
}

async function invite(deps: SurfaceDeps, incident: Incident, userId: string): Promise<void> {
  try {
    await deps.outbox.send(`invite:${incidentRef(incident.id)}:${userId}`, 'conversations.invite', { channel: incident.channelId, users: userId }, { alreadyDone: ['already_in_channel'] });
  } catch (error) {
    if (!(error instanceof SlackCallError) || error.retryable) throw error;
    deps.logger.warn('could not invite a paged person to the incident channel', { incident: incidentRef(incident.id), user: userId, code: error.code });
  }
}

async function syncStepLine(deps: SurfaceDeps, channel: string, view: View, step: StepRow): Promise<void> {
  const facts = stepFacts(step, view.pages);
  const content = { text: stepLineText(view.facts, facts), blocks: stepLineBlocks(view.facts, facts), unfurl_links: false };
  const key = `page-line:${view.subject.ref}:S${step.id}`;
  if (step.channelTs) {
    await deps.outbox.edit(key, `r${view.revision}`, 'chat.update', { channel, ts: step.channelTs, ...content });
    return;
  }
  const posted = await deps.outbox.send(key, 'chat.postMessage', { channel, ...content });
  await setStepChannelTs(deps.db, step.id, String(posted.ts));
}

/**
 * The loud alert, in the incident channel and (for a service's escalation of a public incident) in
 * INCIDENTS_CHANNEL: posted while nobody has acknowledged, edited when someone does.
 */
async function syncAlerts(deps: SurfaceDeps, escalation: EscalationRow, incident: Incident, view: View): Promise<void> {
  const places: { where: 'channel' | 'announcement'; channel: string | null | undefined; ts: string | null }[] = [
    { where: 'channel', channel: incident.channelId, ts: escalation.alertTs },
    { where: 'announcement', channel: escalation.policyId !== null && !incident.isPrivate ? deps.incidentsChannel : undefined, ts: escalation.announcementAlertTs },
  ];
  for (const { where, channel, ts } of places) {
    if (!channel) continue;
    const text = exhaustedAlertText(view.subject, view.facts, where === 'channel');
    const key = `alert:${view.subject.ref}:E${escalation.id}:${where}`;
    if (ts) {
      await deps.outbox.edit(key, `r${view.revision}`, 'chat.update', { channel, ts, text });
    } else if (escalation.status === 'exhausted') {
      const posted = await deps.outbox.send(key, 'chat.postMessage', { channel, text });
      await setEscalationAlert(deps.db, escalation.id, where, String(posted.ts));
    }
  }
}
