/** The alerts feature, installed: monitoring's webhook, alert groups and their messages, and how their pages show them. */
import type { Kit } from '../core/kit.ts';
import type { EscalateDeps, PagedSubject } from '../paging/index.ts';
import { alertGroupAcknowledged } from './acknowledge.ts';
import { jobKinds } from './ids.ts';
import { registerAlertListeners } from './listeners.ts';
import { escalateAlertNow, resolveByHand } from './resolve.ts';
import { alertsHandler } from './route.ts';
import { MessagePayloadSchema } from './schemas.ts';
import { pagedAlertGroup, syncAlertMessage } from './surfaces.ts';

export interface AlertsFeature {
  /** How an alert group's page DM shows it (for the paging feature). */
  pagedSubject(groupId: number): Promise<PagedSubject>;
  /** Its page was acknowledged (a flow, inside that transaction). */
  acknowledged(groupId: number, userId: string, at: number): Promise<void>;
}

export function installAlerts(kit: Kit, needs: { paging: EscalateDeps }): AlertsFeature {
  const { db, clock, scheduler, config } = kit;
  const file = config.klaxon;
  const surfaces = { db, outbox: kit.outbox, file, incidentsChannel: config.env.incidentsChannel };
  scheduler.register(jobKinds.message, { schema: MessagePayloadSchema, maxAttempts: 12, retryFailedOnStart: true, run: ({ groupId, revision }) => syncAlertMessage(surfaces, groupId, revision) });
  const feature: AlertsFeature = {
    pagedSubject: (groupId) => pagedAlertGroup(surfaces, groupId),
    acknowledged: (groupId, userId, at) => alertGroupAcknowledged({ db, scheduler }, groupId, userId, at),
  };
  if (!kit.answersSlack) return feature;
  const actionDeps = { db, clock, scheduler, paging: needs.paging };
  registerAlertListeners(kit.listeners, {
    resolve: (groupId, userId) => resolveByHand(actionDeps, groupId, userId),
    escalate: (groupId, userId) => escalateAlertNow(actionDeps, groupId, userId),
  });
  kit.routes.push({
    path: '/alerts/:integration',
    method: 'POST',
    handler: alertsHandler({ db, clock, scheduler, paging: needs.paging, integrations: file.integrations, tokens: config.integrationTokens ?? {}, logger: kit.logger }),
  });
  return feature;
}
