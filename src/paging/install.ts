/** The paging feature, installed: escalations, pages and their acknowledgement, and what Slack shows of them. */
import type { Kit } from '../core/kit.ts';
import { findIncidentIdByChannel, getIncident } from '../incidents/index.ts';
import type { Rotas } from '../rotas/index.ts';
import { acknowledgeMine, acknowledgePage } from './acknowledge.ts';
import { pageIntoIncident, type EscalateDeps } from './escalate.ts';
import { registerPagingJobs } from './jobs.ts';
import type { PagedSubject } from './page-blocks.ts';
import { pagingSubcommands, registerPagingListeners } from './listeners.ts';

export interface PagingFeature {
  /** What the flows call (start an escalation, withdraw or show pages) take. */
  deps: EscalateDeps;
}

/**
 * `alertSubject`: how an alert group's page shows it, from the alerts feature (installed after this one);
 * `alertPaged`: told the seconds from an alert group received to each of its first page DMs posted, for GET /metrics.
 */
export function installPaging(kit: Kit, needs: { rotas: Rotas; alertSubject: (alertGroupId: number) => Promise<PagedSubject>; alertPaged?: (seconds: number) => void }): PagingFeature {
  const { db, clock, scheduler, config } = kit;
  const file = config.klaxon;
  const deps: EscalateDeps = { db, clock, scheduler, rotas: needs.rotas, file };
  registerPagingJobs(scheduler, { ...deps, slack: kit.slack, outbox: kit.outbox, logger: kit.logger, incidentsChannel: config.env.incidentsChannel, lock: kit.locks, alertSubject: needs.alertSubject, ...(needs.alertPaged ? { alertPaged: needs.alertPaged } : {}) });
  if (!kit.answersSlack) return { deps };
  const requirePerson = (userId: string, what: string) => kit.profilesNow.requirePerson(userId, what);
  const ackDeps = { ...deps, flows: kit.flows };
  const listenerDeps = {
    serviceIds: file.services.map((s) => s.id),
    acknowledgePage: (pageId: number, userId: string) => acknowledgePage(ackDeps, pageId, userId),
    acknowledgeMine: (userId: string, incidentId: number | undefined) => acknowledgeMine(ackDeps, userId, incidentId),
    page: async (incidentId: number, request: { userIds: string[]; serviceIds: string[] }, by: string) => pageIntoIncident({ ...deps, requirePerson }, (await getIncident(db, incidentId))!, request, by),
    incidentIdByChannel: async (channelId: string) => findIncidentIdByChannel(db, channelId),
  };
  kit.subcommands.push(...pagingSubcommands(listenerDeps));
  registerPagingListeners(kit.listeners, listenerDeps);
  return { deps };
}
