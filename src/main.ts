/**
 * The composition root, and the only place that constructs things:
 * config → database (migrated) → clock → Slack gateway → outbox → scheduler → features → Bolt → listen.
 * `npm start` builds it twice: on the main thread to answer Slack, and on the job worker's thread to run jobs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ModalView } from '@slack/types';
import { systemClock, type Clock } from './core/clock.ts';
import { loadEnv, loadKlaxonFile, problemWebhook, type Config } from './core/config.ts';
import { isDatabaseReachable, openDatabase } from './core/db.ts';
import { ConfigError, errorMessage, UserError } from './core/errors.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { Outbox } from './core/outbox.ts';
import { Scheduler } from './core/scheduler/index.ts';
import { createSlackGateway, currentReachability, isChannelMember, SlackCallError, type SlackGateway } from './core/slack-gateway.ts';
import { KeyedLock } from './core/keyed-lock.ts';
import {
  declareIncident,
  declareModal,
  findIncidentIdByChannel,
  getIncident,
  getIncidentAccess,
  incidentChanges,
  incidentSubcommands,
  lifecycleSubcommands,
  registerIncidentJobs,
  registerIncidentListeners,
  registerLifecycleListeners,
  reminderIntervalsFrom,
} from './incidents/index.ts';
import {
  acknowledgeMine,
  acknowledgePage,
  calendarHandler,
  coverShift,
  createOverride,
  noticeRotaChanges,
  onCallAnswer,
  onCallBlocks,
  onCallSubcommands,
  onCallText,
  pageIntoIncident,
  pagingSubcommands,
  registerOnCallListeners,
  registerPagingJobs,
  registerPagingListeners,
  registerShiftJobs,
  removeOverride,
  Rotas,
  scheduleNextHandoffs,
  showPagesInChannel,
  overridesVersion,
  slackOverrides,
  startServiceEscalation,
  withdrawPages,
} from './oncall/index.ts';
import {
  indexRunbooks,
  knowledgeSubcommands,
  linkRunbookByHand,
  registerKnowledgeJobs,
  registerKnowledgeListeners,
  reloadReply,
  runbookBySlug,
  runbookHandler,
  runbookListReply,
  runbookSearchReply,
  scheduleSuggestions,
  similarForAsker,
  watchRunbooks,
  type IndexReport,
} from './knowledge/index.ts';
import { linkSigningSecret } from './core/signed-links.ts';
import { WebLinks } from './core/web-links.ts';
import { checkpointPeriodically } from './core/wal-checkpoints.ts';
import { lowerOtherThreadsPriority } from './core/thread-priority.ts';
import { EventDedupe } from './core/event-dedupe.ts';
import { firstSighting, registerForgettingRequests, scheduleForgettingRequests } from './core/signed-requests.ts';
import { draftOf, getPostmortem, postmortemHandler, postmortemUrl, postmortemSubcommands, registerPostmortemJobs, registerPostmortemListeners, savePostmortem, type PostmortemForm } from './postmortems/index.ts';
import {
  changeProblemDue,
  getProblem,
  markActionDone,
  noteRecurrences,
  problemsAnswer,
  problemSubcommands,
  reassignProblem,
  registerProblemJobs,
  registerProblemListeners,
  resolveProblem,
  ticketView,
  openTicketsOf,
  type ProblemDeps,
} from './problems/index.ts';
import { openedHome, registerHomeJobs, registerHomeListeners, scheduleHomeRefresh } from './home/index.ts';
import {
  addNote,
  captureMessage,
  reflectDeletion,
  reflectEdit,
  registerTimelineJobs,
  registerTimelineListeners,
  releasePin,
  timelineFor,
  timelineSubcommands,
  type CapturedMessage,
} from './timeline/index.ts';
import { UserProfiles } from './core/user-profiles.ts';
import { createSlackApp } from './slack/app.ts';
import type { Registered } from './slack/listeners.ts';
import { statsAnswer, statsSubcommands, type StatsRequest } from './stats/index.ts';
import { registerIncidentCommand } from './slack/router.ts';
import { healthzHandler } from './web/healthz.ts';
import { metricsHandler } from './web/metrics.ts';
import { MetricsCollector } from './metrics/collect.ts';
import type { MetricFamily } from './metrics/families.ts';
import { createProcessMetrics } from './metrics/process-metrics.ts';
import { startJobWorker } from './job-worker.ts';
import { STYLESHEET_PATH, stylesheetHandler } from './web/page.ts';

/** How long a Slack call made while a person waits for Klaxon's answer may take: Slack waits 3 s for the answer. */
const REQUEST_SLACK_TIMEOUT_MS = 2_000;

export interface Klaxon {
  /** Starts what the role runs (the scheduler, the Slack receiver or both); resolves with the HTTP port (0 for `jobs`). */
  start(): Promise<number>;
  /** Stops taking requests and timers; pending jobs stay in the database for the next start. */
  stop(): Promise<void>;
  scheduler: Scheduler;
  slack: SlackGateway;
  registered: Registered;
  database: ReturnType<typeof openDatabase>;
  /** GET /metrics's figures; on the job worker's thread, what it answers the main thread's scrapes with. */
  metrics: MetricsCollector;
}

/**
 * What one Klaxon instance does: `all` (everything on one thread, as the tests run it), or the two
 * halves of `npm start`: `requests` answers Slack and schedules jobs, `jobs` runs them on a worker thread
 * (so that background work never delays an acknowledgement), woken through `onScheduled`, and checkpoints the
 * WAL for both (wal-checkpoints.ts).
 */
export type Role = 'all' | 'requests' | 'jobs';

export interface KlaxonOptions {
  clock?: Clock;
  logger?: Logger;
  schedulerRetryBaseMs?: number;
  role?: Role;
  /** With role `requests`: told of every job scheduled, to wake the job worker. */
  onScheduled?: (dueAt: number) => void;
  /** With role `requests`: the job worker's in-memory metrics for GET /metrics (undefined when it does not answer). */
  workerMetrics?: () => Promise<MetricFamily[] | undefined>;
  /** How long a Slack call may take before it counts as timed out (10 s; the tests shorten it). */
  slackTimeoutMs?: number;
}

export function createKlaxon(config: Config, opts: KlaxonOptions = {}): Klaxon {
  const role = opts.role ?? 'all';
  const { env, klaxon } = config;
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger(env.logLevel);
  // Under npm start the job worker checkpoints the WAL for both threads: the answering thread never waits for one.
  const database = openDatabase(env.dbFile, { autoCheckpoint: role !== 'requests' });
  const { db } = database;
  const metrics = createProcessMetrics();
  metrics.processStartTime.set({}, clock.now() / 1000);
  const slack = createSlackGateway({ token: env.botToken, slackApiUrl: env.slackApiUrl, logger, metrics, now: () => clock.now(), ...(opts.slackTimeoutMs ? { timeoutMs: opts.slackTimeoutMs } : {}) });
  // For the calls made while a person waits for the answer (access checks, forms, time zones): they give up in
  // time for the answer to reach Slack within its 3 seconds, so that a command is either answered and done or
  // refused and not done, never refused by Slack's timeout and done later.
  const slackNow = slack.withTimeout(Math.min(opts.slackTimeoutMs ?? REQUEST_SLACK_TIMEOUT_MS, REQUEST_SLACK_TIMEOUT_MS));
  const outbox = new Outbox(db, slack, clock, metrics);
  const scheduler = new Scheduler({
    db,
    clock,
    logger: logger.child({ component: 'scheduler' }),
    retryBaseMs: opts.schedulerRetryBaseMs,
    ...(opts.onScheduled ? { onScheduled: opts.onScheduled } : {}),
    onClaim: (_job, lateMs) => metrics.schedulerLag.observe({}, lateMs / 1000),
  });
  const services = klaxon.services;
  const rotas = new Rotas(klaxon, () => slackOverrides(db, clock.now()), () => clock.now(), () => overridesVersion(db));
  const escalateDeps = { db, clock, scheduler, rotas, file: klaxon };
  const profiles = new UserProfiles(slack, clock, logger, klaxon.timezone);
  const profilesNow = new UserProfiles(slackNow, clock, logger, klaxon.timezone);
  const requirePerson = (userId: string, what: string) => profilesNow.requirePerson(userId, what);
  const shiftDeps = { ...escalateDeps, outbox, profiles, logger };
  const shiftDepsNow = { ...shiftDeps, profiles: profilesNow };
  const linkSecret = () => linkSigningSecret(db);
  const links = new WebLinks(env.publicUrl, linkSecret, klaxon.web.require_signed_links, () => clock.now());
  const problemDeps: ProblemDeps = {
    db,
    clock,
    scheduler,
    timeZone: klaxon.timezone,
    ...(config.problemWebhook ? { webhook: config.problemWebhook } : {}),
    onChanged: (at) => scheduleHomeRefresh(homeDeps, at),
  };
  const knowledgeDeps = {
    db,
    clock,
    slack,
    outbox,
    logger,
    file: klaxon,
    links,
    onSimilarFound: (incidentId: number, similarIds: number[], at: number) => noteRecurrences(problemDeps, incidentId, similarIds, at),
    postmortemUrlOf: (incidentId: number) => {
      const incident = getIncident(db, incidentId);
      return incident && getPostmortem(db, incidentId)?.document ? postmortemUrl(links, incident) : undefined;
    },
  };
  const indexDeps = { db, clock, dir: env.runbooksDir, serviceIds: services.map((s) => s.id) };
  const reindex = (): IndexReport => {
    const report = indexRunbooks(indexDeps);
    if (report.missing) logger.warn('the runbooks directory does not exist: no runbooks', { dir: report.dir });
    else logger.info('runbooks indexed', { dir: report.dir, indexed: report.indexed, added: report.added.length, updated: report.updated.length, removed: report.removed.length });
    for (const file of report.problems) logger.warn(file.skipped ? 'a runbook was not indexed' : 'a runbook has problems', { file: file.path, problems: file.problems.map((p) => `${p.field}: ${p.message}`).join('; ') });
    return report;
  };
  let runbookWatcher: { close(): void } | undefined;
  let stopCheckpoints: (() => void) | undefined;

  const reminderIntervals = reminderIntervalsFrom(klaxon.update_reminders);
  const homeDeps = {
    db,
    clock,
    slack,
    scheduler,
    logger,
    shiftsOf: (userId: string, from: number, to: number) => rotas.shiftsOf(userId, from, to),
    problemsOf: (userId: string) => openTicketsOf(problemDeps, userId),
  };
  registerHomeJobs(scheduler, homeDeps);
  const changeDeps = {
    db,
    clock,
    scheduler,
    reminderIntervals,
    admins: klaxon.admins,
    requirePerson,
    onResolved: (incidentId: number, at: number) => void withdrawPages(escalateDeps, incidentId, at),
    onChanged: (_incidentId: number, at: number) => scheduleHomeRefresh(homeDeps, at),
  };
  registerIncidentJobs(scheduler, {
    db,
    clock,
    scheduler,
    slack,
    outbox,
    logger,
    services,
    reminderIntervals,
    incidentsChannel: env.incidentsChannel,
    onChannel: (incidentId, at) => {
      showPagesInChannel(escalateDeps, incidentId, at);
      scheduleSuggestions({ db, scheduler }, incidentId, at);
      scheduleHomeRefresh(homeDeps, at);
    },
  });
  registerPagingJobs(scheduler, { ...escalateDeps, slack, outbox, logger, incidentsChannel: env.incidentsChannel, lock: new KeyedLock() });
  registerShiftJobs(scheduler, shiftDeps);
  registerKnowledgeJobs(scheduler, knowledgeDeps);
  const captureDeps = { db, clock, scheduler };
  registerTimelineJobs(scheduler, { ...captureDeps, slack });
  registerProblemJobs(scheduler, { ...problemDeps, outbox, logger });
  const publishDeps = { db, clock, slack, outbox, logger, profiles, services, timeZone: klaxon.timezone, links, lock: new KeyedLock() };
  registerPostmortemJobs(scheduler, publishDeps);

  registerForgettingRequests(scheduler, db);
  const eventDedupe = new EventDedupe(db, clock, metrics);
  const reachability = () => currentReachability(slackNow, clock.now());
  const collector = new MetricsCollector({ db, registry: metrics.registry, slack: reachability, ...(opts.workerMetrics ? { worker: opts.workerMetrics } : {}) });
  /** Opens a modal from a button; a refusal (the click's trigger expired) is answered to the person who clicked. */
  const openModal = async (triggerId: string, view: ModalView): Promise<void> => {
    try {
      await slackNow.call('views.open', { trigger_id: triggerId, view });
    } catch (error) {
      if (error instanceof SlackCallError) throw new UserError(`Slack did not open the form (${error.code}). Please click again.`);
      throw error;
    }
  };
  const slackApp = createSlackApp({
    env,
    logger,
    firstDelivery: (eventId) => eventDedupe.firstDelivery(eventId),
    firstSighting: (signature, signedAt) => firstSighting(db, signature, signedAt),
    onRepeat: (kind) => metrics.duplicateDeliveries.inc({ kind }),
    identity: () => slackNow.knownIdentity(),
    now: () => clock.now(),
    routes: [
      { path: '/healthz', method: 'GET', handler: healthzHandler(() => isDatabaseReachable(database.sqlite), reachability) },
      { path: '/metrics', method: 'GET', handler: metricsHandler(() => collector.all(), logger) },
      { path: '/runbooks/:slug', method: 'GET', handler: runbookHandler({ find: (slug) => runbookBySlug(db, slug), now: () => clock.now(), allows: (url) => links.allows(url), serviceNames: new Map(services.map((s) => [s.id, s.name])) }) },
      { path: STYLESHEET_PATH, method: 'GET', handler: stylesheetHandler() },
      { path: '/postmortems/:ref', method: 'GET', handler: postmortemHandler({ db, links }) },
      { path: '/oncall/:file', method: 'GET', handler: calendarHandler({ clock, rotas, file: klaxon, publicUrl: env.publicUrl, linkSecret, profiles: profilesNow }) },
    ],
  });
  const incidentListenerDeps = {
    services,
    declare: (raw: Record<string, unknown>, by: string, replyTo: { responseUrl?: string }) =>
      declareIncident(
        {
          db,
          clock,
          scheduler,
          services,
          reminderIntervals,
          onDeclared: (incident, at) => {
            if (incident.serviceId) startServiceEscalation(escalateDeps, incident.id, incident.serviceId, incident.declaredBy, at);
          },
        },
        raw,
        by,
        replyTo,
      ),
  };
  const pagingListenerDeps = {
    serviceIds: services.map((s) => s.id),
    acknowledgePage: (pageId: number, userId: string) => acknowledgePage(escalateDeps, pageId, userId),
    acknowledgeMine: (userId: string, incidentId: number | undefined) => acknowledgeMine(escalateDeps, userId, incidentId),
    page: (incidentId: number, request: { userIds: string[]; serviceIds: string[] }, by: string) => pageIntoIncident({ ...escalateDeps, requirePerson }, getIncident(db, incidentId)!, request, by),
    incidentIdByChannel: (channelId: string) => findIncidentIdByChannel(db, channelId),
  };
  const onCallListenerDeps = {
    scheduleIds: rotas.ids(),
    answer: async (userId: string, serviceArg: string) => {
      const answer = await onCallAnswer({ clock, rotas, file: klaxon, profiles: profilesNow, publicUrl: env.publicUrl, linkSecret }, userId, serviceArg);
      return { text: onCallText(answer), blocks: onCallBlocks(answer) };
    },
    coverShift: (userId: string, text: string) => coverShift(shiftDepsNow, userId, text),
    coverShiftFromModal: async (userId: string, args: { scheduleId: string; userId: string; from: number; to: number }) => createOverride(shiftDepsNow, userId, args, await profilesNow.timeZone(userId)),
    removeOverride: (userId: string, overrideId: number) => removeOverride(shiftDepsNow, userId, overrideId),
    openModal,
    tell: async (userId: string, text: string) => void (await slackNow.call('chat.postMessage', { channel: userId, text })),
    now: () => clock.now(),
  };
  const answerDeps = { db, clock, file: klaxon, links, dir: env.runbooksDir };
  const knowledgeListenerDeps = {
    searchRunbooks: (query: string, incidentId: number | undefined) => runbookSearchReply(answerDeps, query, incidentId),
    listRunbooks: () => runbookListReply(answerDeps),
    reloadRunbooks: () => reloadReply(reindex()),
    similar: (incidentId: number, userId: string) => similarForAsker({ ...knowledgeDeps, slack: slackNow }, incidentId, userId),
    linkRunbook: (incidentId: number, slug: string, userId: string) => linkRunbookByHand({ ...knowledgeDeps, scheduler }, incidentId, slug, userId),
    incidentIdByChannel: (channelId: string) => findIncidentIdByChannel(db, channelId),
  };
  const lifecycleListenerDeps = {
    changes: incidentChanges(changeDeps),
    incident: (id: number) => getIncident(db, id),
    announces: env.incidentsChannel !== undefined,
    openModal,
  };
  const timelineListenerDeps = {
    incidentIdByChannel: (channelId: string) => findIncidentIdByChannel(db, channelId),
    incident: (id: number) => getIncident(db, id),
    addNote: (incidentId: number, text: string, by: string) => addNote(captureDeps, incidentId, text, by),
    capture: (message: CapturedMessage, by: string, via: 'pin' | 'shortcut') => captureMessage(captureDeps, message, by, via),
    releasePin: (channelId: string, ts: string, by: string) => void releasePin(captureDeps, channelId, ts, by),
    reflectEdit: (channelId: string, ts: string, text: string) => void reflectEdit(captureDeps, channelId, ts, text),
    reflectDeletion: (channelId: string, ts: string) => void reflectDeletion(captureDeps, channelId, ts),
    page: (incidentId: number, userId: string, page: number) => timelineFor({ db, slack: slackNow, profiles: profilesNow }, incidentId, userId, page),
    openModal,
  };
  const postmortemListenerDeps = {
    incident: (id: number) => getIncident(db, id),
    draft: (incidentId: number) => draftOf(db, getIncident(db, incidentId)!),
    save: (incidentId: number, form: PostmortemForm, by: string) => savePostmortem({ db, clock, scheduler, timeZone: klaxon.timezone, problems: problemDeps }, incidentId, form, by),
    openModal,
  };
  const problemListenerDeps = {
    list: (which: 'mine' | 'open' | 'all', userId: string) => problemsAnswer(problemDeps, which, userId),
    ticket: (problemId: number) => {
      const problem = getProblem(db, problemId);
      return problem ? ticketView(db, problem, klaxon.timezone, clock.now()) : undefined;
    },
    markActionDone: (actionId: number, by: string) => void markActionDone(problemDeps, actionId, by),
    reassign: (problemId: number, ownerId: string, by: string) => void reassignProblem(problemDeps, problemId, ownerId, by),
    changeDue: (problemId: number, dueDate: string, by: string) => void changeProblemDue(problemDeps, problemId, dueDate, by),
    resolve: (problemId: number, reason: string, by: string) => void resolveProblem(problemDeps, problemId, reason, by),
    openModal,
    respond: (responseUrl: string, body: Record<string, unknown>) => slackNow.respond(responseUrl, body),
  };
  const statsListenerDeps = {
    serviceIds: services.map((s) => s.id),
    stats: (userId: string, request: StatsRequest, responseUrl: string) => statsAnswer({ db, clock, slack, logger, profiles: profilesNow, file: klaxon }, userId, request, responseUrl),
  };
  registerIncidentCommand(slackApp.listeners, {
    slack: slackNow,
    logger,
    subcommands: [...incidentSubcommands(incidentListenerDeps), ...lifecycleSubcommands(lifecycleListenerDeps), ...timelineSubcommands(timelineListenerDeps), ...postmortemSubcommands(postmortemListenerDeps), ...problemSubcommands(problemListenerDeps), ...pagingSubcommands(pagingListenerDeps), ...onCallSubcommands(onCallListenerDeps), ...knowledgeSubcommands(knowledgeListenerDeps), ...statsSubcommands(statsListenerDeps)],
    incidentIdByChannel: (channelId) => findIncidentIdByChannel(db, channelId),
    incidentExists: (id) => getIncidentAccess(db, id) !== undefined,
    mayUseIncident: async (id, userId, channelId) => {
      const incident = getIncidentAccess(db, id);
      if (!incident?.isPrivate || incident.channelId === channelId) return true;
      return isChannelMember(slackNow, incident.channelId, userId);
    },
  });
  registerIncidentListeners(slackApp.listeners, incidentListenerDeps);
  registerLifecycleListeners(slackApp.listeners, lifecycleListenerDeps);
  registerTimelineListeners(slackApp.listeners, timelineListenerDeps);
  registerPostmortemListeners(slackApp.listeners, postmortemListenerDeps);
  registerProblemListeners(slackApp.listeners, problemListenerDeps);
  registerHomeListeners(slackApp.listeners, {
    opened: (userId) => openedHome(homeDeps, userId),
    declareModal: () => declareModal(services, {}, JSON.stringify({})),
    openModal,
  });
  registerPagingListeners(slackApp.listeners, pagingListenerDeps);
  registerOnCallListeners(slackApp.listeners, onCallListenerDeps);
  registerKnowledgeListeners(slackApp.listeners, knowledgeListenerDeps);

  return {
    scheduler,
    slack,
    database,
    registered: slackApp.listeners.registered,
    metrics: collector,
    async start() {
      if (role !== 'requests') {
        noticeRotaChanges(shiftDeps, clock.now());
        db.transaction(() => scheduleNextHandoffs(shiftDeps, clock.now()));
        scheduleForgettingRequests(scheduler, db, clock.now());
        scheduler.start();
      }
      if (role === 'jobs') {
        stopCheckpoints = checkpointPeriodically(database.sqlite, clock, (error) => logger.error('a WAL checkpoint failed', { error }));
        return 0;
      }
      reindex();
      runbookWatcher = watchRunbooks(env.runbooksDir, reindex, logger);
      // Who the bot is, for Bolt to drop the bot's own events; asked now, and again on later calls if Slack is out of reach.
      slackNow.botUserId().catch((error: unknown) => logger.warn('Slack could not say who the bot is yet: requests are answered meanwhile', { error: errorMessage(error) }));
      const port = await slackApp.start();
      logger.info('klaxon is listening', { port, mode: env.appToken ? 'socket' : 'http', services: services.length });
      return port;
    },
    async stop() {
      runbookWatcher?.close();
      stopCheckpoints?.();
      if (role !== 'jobs') await slackApp.stop();
      await scheduler.stop();
      database.close();
    },
  };
}

export function loadConfig(source: Record<string, string | undefined>): { config: Config; configMissing: boolean } {
  const env = loadEnv(source);
  const { config: klaxon, missing } = loadKlaxonFile(env.configFile);
  const webhook = problemWebhook(klaxon, source);
  return { config: { env, klaxon, ...(webhook ? { problemWebhook: webhook } : {}) }, configMissing: missing };
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let loaded;
  try {
    loaded = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`klaxon: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(loaded.config.env.logLevel);
  if (loaded.configMissing) logger.info(`no ${loaded.config.env.configFile} found: starting with no services`);
  const jobs = await startJobWorker(loaded.config, logger, () => process.exit(1));
  const klaxon = createKlaxon(loaded.config, { logger, role: 'requests', onScheduled: (at) => jobs.wake(at), workerMetrics: () => jobs.metrics(1000) });
  await klaxon.start();
  lowerOtherThreadsPriority();
  const shutdown = (signal: string): void => {
    logger.info('shutting down', { signal });
    klaxon
      .stop()
      .then(() => jobs.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', { error });
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(`klaxon: ${errorMessage(error)}`);
    process.exit(1);
  });
}
