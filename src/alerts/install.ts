/** The alerts feature, installed: monitoring's webhook, alert groups and their messages, and how their pages show them. */
import type { Counter } from '../core/counter.ts';
import type { Kit } from '../core/kit.ts';
import type { EscalateDeps, PagedSubject } from '../paging/index.ts';
import { alertGroupAcknowledged } from './acknowledge.ts';
import { declareFromAlertModal, incidentDeclaredFromAlert } from './declare.ts';
import { jobKinds } from './ids.ts';
import { registerAlertListeners } from './listeners.ts';
import { openAlerts } from './open-alerts.ts';
import { openAlertsAnswer } from './open-alerts-blocks.ts';
import { openAlertsSubcommands } from './open-alerts-listeners.ts';
import { escalateAlertNow, resolveByHand } from './resolve.ts';
import { heartbeatsHandler } from './heartbeat-route.ts';
import { ensureHeartbeatDeadlines, heartbeatDeadlinePassed } from './heartbeats.ts';
import { alertsHandler } from './route.ts';
import { HeartbeatDeadlinePayloadSchema, MessagePayloadSchema } from './schemas.ts';
import { pagedAlertGroup, syncAlertMessage } from './surfaces.ts';

export interface AlertsFeature {
  /** How an alert group's page DM shows it (for the paging feature). */
  pagedSubject(groupId: number): Promise<PagedSubject>;
  /** Its page was acknowledged (a flow, inside that transaction). */
  acknowledged(groupId: number, userId: string, at: number): Promise<void>;
  /** An incident was declared from it (a flow): whether someone had acknowledged it, so that nobody more is paged. */
  declaredFrom(groupId: number, incidentId: number, at: number): Promise<boolean>;
  /** On start, where jobs run: every integration with `heartbeat:` gets a deadline (a new one counts from now). */
  start(at: number): Promise<void>;
}

/** `refusedRequests`: counts the webhook requests refused, for GET /metrics. */
export function installAlerts(kit: Kit, needs: { paging: EscalateDeps; refusedRequests?: Counter<'integration' | 'status'> }): AlertsFeature {
  const { db, clock, scheduler, config } = kit;
  const file = config.klaxon;
  const surfaces = { db, outbox: kit.outbox, file, incidentsChannel: config.env.incidentsChannel };
  scheduler.register(jobKinds.message, { schema: MessagePayloadSchema, maxAttempts: 12, retryFailedOnStart: true, run: ({ groupId, revision }) => syncAlertMessage(surfaces, groupId, revision) });
  const heartbeatDeps = { db, clock, scheduler, paging: needs.paging, integrations: file.integrations, logger: kit.logger };
  scheduler.register(jobKinds.heartbeatMissed, { schema: HeartbeatDeadlinePayloadSchema, run: (payload) => heartbeatDeadlinePassed(heartbeatDeps, payload) });
  const feature: AlertsFeature = {
    pagedSubject: (groupId) => pagedAlertGroup(surfaces, groupId),
    acknowledged: (groupId, userId, at) => alertGroupAcknowledged({ db, scheduler }, groupId, userId, at),
    declaredFrom: (groupId, incidentId, at) => incidentDeclaredFromAlert({ db, scheduler, paging: needs.paging }, groupId, incidentId, at),
    start: (at) => ensureHeartbeatDeadlines(heartbeatDeps, at),
  };
  if (!kit.answersSlack) return feature;
  const actionDeps = { db, clock, scheduler, paging: needs.paging };
  kit.subcommands.push(...openAlertsSubcommands({ openAlerts: async () => openAlertsAnswer(await openAlerts(db, file.services)) }));
  registerAlertListeners(kit.listeners, {
    resolve: (groupId, userId) => resolveByHand(actionDeps, groupId, userId),
    escalate: (groupId, userId) => escalateAlertNow(actionDeps, groupId, userId),
    declare: async (groupId, triggerId) => kit.openModal(triggerId, await declareFromAlertModal({ db, services: file.services }, groupId)),
  });
  kit.routes.push({
    path: '/alerts/:integration',
    method: 'POST',
    handler: alertsHandler({ db, clock, scheduler, paging: needs.paging, integrations: file.integrations, tokens: config.integrationTokens ?? {}, logger: kit.logger, ...(needs.refusedRequests ? { refused: needs.refusedRequests } : {}) }),
  });
  kit.routes.push({
    path: '/heartbeats/:integration',
    method: 'POST',
    handler: heartbeatsHandler({ db, clock, scheduler, paging: needs.paging, integrations: file.integrations, tokens: config.integrationTokens ?? {}, logger: kit.logger }),
  });
  return feature;
}
