/** The incidents feature, installed: declaring, the lifecycle, setting incidents up in Slack, reminders. */
import type { DeclaredIncident, Kit } from '../core/kit.ts';
import type { DeclareOrigin } from './schemas.ts';
import { declareModal } from './blocks.ts';
import { incidentChanges, type IncidentChanges } from './changes.ts';
import { declareIncident } from './declare.ts';
import { registerIncidentJobs } from './jobs.ts';
import { reminderIntervalsFrom } from './lifecycle.ts';
import { registerLifecycleListeners, lifecycleSubcommands } from './lifecycle-listeners.ts';
import { incidentSubcommands, registerIncidentListeners } from './listeners.ts';
import { getIncident, type AddTimelineEvent } from './store.ts';

export interface IncidentsFeature {
  changes: IncidentChanges;
  /** The declare form, empty (App Home's button opens it). */
  emptyDeclareModal(): ReturnType<typeof declareModal>;
}

/** Timeline entries are the timeline feature's to write: it is handed in, as incidents sit below timeline. */
export function installIncidents(kit: Kit, needs: { addTimelineEvent: AddTimelineEvent }): IncidentsFeature {
  const { db, clock, scheduler, flows } = kit;
  const { env, klaxon: file } = kit.config;
  const services = file.services;
  const reminderIntervals = reminderIntervalsFrom(file.update_reminders);
  registerIncidentJobs(scheduler, {
    db,
    clock,
    scheduler,
    slack: kit.slack,
    outbox: kit.outbox,
    logger: kit.logger,
    services,
    reminderIntervals,
    incidentsChannel: env.incidentsChannel,
    onChannel: (incidentId, at) => flows.channelReady(incidentId, at),
  });
  const changes = incidentChanges({
    db,
    clock,
    scheduler,
    reminderIntervals,
    addTimelineEvent: needs.addTimelineEvent,
    admins: file.admins,
    requirePerson: (userId, what) => kit.profilesNow.requirePerson(userId, what),
    onResolved: (incidentId, at) => flows.incidentResolved(incidentId, at),
    onChanged: (_incidentId, at) => flows.homeChanged(at),
  });
  const feature = { changes, emptyDeclareModal: () => declareModal(services, {}, JSON.stringify({})) };
  if (!kit.answersSlack) return feature;

  const declareDeps = { db, clock, scheduler, services, reminderIntervals, addTimelineEvent: needs.addTimelineEvent, onDeclared: (incident: DeclaredIncident, at: number) => flows.incidentDeclared(incident, at) };
  const incidentListenerDeps = { services, declare: (raw: Record<string, unknown>, by: string, origin: DeclareOrigin) => declareIncident(declareDeps, raw, by, origin) };
  const lifecycleListenerDeps = { changes, incident: (id: number) => getIncident(db, id), announces: env.incidentsChannel !== undefined, openModal: kit.openModal };
  kit.subcommands.push(...incidentSubcommands(incidentListenerDeps), ...lifecycleSubcommands(lifecycleListenerDeps));
  registerIncidentListeners(kit.listeners, incidentListenerDeps);
  registerLifecycleListeners(kit.listeners, lifecycleListenerDeps);
  return feature;
}
