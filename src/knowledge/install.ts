/** The knowledge feature, installed: runbooks (indexed, watched, searched, served) and similar past incidents. */
import type { Kit } from '../core/kit.ts';
import { findIncidentIdByChannel } from '../incidents/index.ts';
import { indexRunbooks, type IndexReport } from './index-runbooks.ts';
import { registerKnowledgeJobs } from './jobs.ts';
import { knowledgeSubcommands, registerKnowledgeListeners } from './listeners.ts';
import { reloadReply, runbookListReply, runbookSearchReply } from './runbook-answers.ts';
import { runbookHandler } from './runbook-route.ts';
import { runbookBySlug } from './store.ts';
import { linkRunbookByHand, similarForAsker, type KnowledgeDeps } from './suggest.ts';
import { watchRunbooks } from './watch-runbooks.ts';

export interface KnowledgeFeature {
  /** Indexes the runbooks now and again whenever their directory changes; resolves with how to stop watching. */
  start(): Promise<{ close(): void }>;
}

/** Suggestions link past incidents' post-mortems, which the post-mortems feature knows the address of. */
export function installKnowledge(kit: Kit, needs: { postmortemUrlOf: (incidentId: number) => Promise<string | undefined> }): KnowledgeFeature {
  const { db, clock, scheduler, logger, links, config } = kit;
  const { env, klaxon: file } = config;
  const deps: KnowledgeDeps = {
    db,
    clock,
    slack: kit.slack,
    outbox: kit.outbox,
    logger,
    file,
    links,
    onSimilarFound: (incidentId, similarIds, at) => kit.flows.similarFound(incidentId, similarIds, at),
    postmortemUrlOf: needs.postmortemUrlOf,
  };
  registerKnowledgeJobs(scheduler, deps);
  const reindex = async (): Promise<IndexReport> => {
    const report = await indexRunbooks({ db, clock, dir: env.runbooksDir, serviceIds: file.services.map((s) => s.id) });
    if (report.missing) logger.warn('the runbooks directory does not exist: no runbooks', { dir: report.dir });
    else logger.info('runbooks indexed', { dir: report.dir, indexed: report.indexed, added: report.added.length, updated: report.updated.length, removed: report.removed.length });
    for (const problem of report.problems) logger.warn(problem.skipped ? 'a runbook was not indexed' : 'a runbook has problems', { file: problem.path, problems: problem.problems.map((p) => `${p.field}: ${p.message}`).join('; ') });
    return report;
  };
  const feature = {
    start: async () => {
      await reindex();
      return watchRunbooks(env.runbooksDir, reindex, logger);
    },
  };
  if (!kit.answersSlack) return feature;
  const answerDeps = { db, clock, file, links, dir: env.runbooksDir };
  const listenerDeps = {
    searchRunbooks: (query: string, incidentId: number | undefined) => runbookSearchReply(answerDeps, query, incidentId),
    listRunbooks: () => runbookListReply(answerDeps),
    reloadRunbooks: async () => reloadReply(await reindex()),
    similar: (incidentId: number, userId: string) => similarForAsker({ ...deps, slack: kit.slackNow }, incidentId, userId),
    linkRunbook: (incidentId: number, slug: string, userId: string) => linkRunbookByHand({ ...deps, scheduler }, incidentId, slug, userId),
    incidentIdByChannel: async (channelId: string) => findIncidentIdByChannel(db, channelId),
  };
  kit.subcommands.push(...knowledgeSubcommands(listenerDeps));
  registerKnowledgeListeners(kit.listeners, listenerDeps);
  kit.routes.push({
    path: '/runbooks/:slug',
    method: 'GET',
    handler: runbookHandler({ find: (slug) => runbookBySlug(db, slug), now: () => clock.now(), allows: (url) => links.allows(url), serviceNames: new Map(file.services.map((s) => [s.id, s.name])) }),
  });
  return feature;
}
