/** The post-mortems feature, installed: the form, its drafts, the published document and its page. */
import type { Kit } from '../core/kit.ts';
import { getIncident } from '../incidents/index.ts';
import type { ProblemDeps } from '../problems/index.ts';
import { draftOf } from './drafts.ts';
import type { PostmortemForm } from './form.ts';
import { registerPostmortemJobs } from './jobs.ts';
import { postmortemSubcommands, registerPostmortemListeners } from './listeners.ts';
import { postmortemUrl } from './publish.ts';
import { postmortemHandler } from './route.ts';
import { savePostmortem } from './save.ts';
import { getPostmortem } from './store.ts';

export interface PostmortemsFeature {
  /** The address of an incident's post-mortem page, when it has a published one. */
  urlOf(incidentId: number): Promise<string | undefined>;
}

/** A complete post-mortem may open a problem ticket, through the problems feature's deps. */
export function installPostmortems(kit: Kit, needs: { problems: () => ProblemDeps }): PostmortemsFeature {
  const { db, clock, scheduler, links, config } = kit;
  const timeZone = config.klaxon.timezone;
  registerPostmortemJobs(scheduler, { db, clock, slack: kit.slack, outbox: kit.outbox, logger: kit.logger, profiles: kit.profiles, services: config.klaxon.services, timeZone, links, lock: kit.locks });
  const feature = {
    urlOf: async (incidentId: number) => {
      const incident = await getIncident(db, incidentId);
      return incident && (await getPostmortem(db, incidentId))?.document ? postmortemUrl(links, incident) : undefined;
    },
  };
  if (!kit.answersSlack) return feature;
  const listenerDeps = {
    incident: async (id: number) => getIncident(db, id),
    draft: async (incidentId: number) => draftOf(db, (await getIncident(db, incidentId))!),
    save: (incidentId: number, form: PostmortemForm, by: string) => savePostmortem({ db, clock, scheduler, timeZone, problems: needs.problems() }, incidentId, form, by),
    openModal: kit.openModal,
  };
  kit.subcommands.push(...postmortemSubcommands(listenerDeps));
  registerPostmortemListeners(kit.listeners, listenerDeps);
  kit.routes.push({ path: '/postmortems/:ref', method: 'GET', handler: postmortemHandler({ db, links }) });
  return feature;
}
