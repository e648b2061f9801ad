/**
 * The composition root, and the only place that constructs things: configuration → database (migrated) →
 * clock → Slack gateways → outbox → scheduler → the kit → each feature installs itself → the flows between them
 * → Bolt → listen. `npm start` builds it twice: on the main thread to answer Slack, and on the job worker's
 * thread to run jobs (there, features register their jobs only).
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ModalView } from '@slack/types';
import { systemClock, type Clock } from './core/clock.ts';
import { integrationTokens, loadEnv, loadKlaxonFile, problemWebhook, type Config } from './core/config.ts';
import { isDatabaseReachable } from './core/db.ts';
import { ConfigError, errorMessage, UserError } from './core/errors.ts';
import { EventDedupe } from './core/event-dedupe.ts';
import { holdInstanceLock } from './core/instance-lock.ts';
import { KeyedLock } from './core/keyed-lock.ts';
import { openKlaxonDatabase, type OpenedDatabase } from './core/open-database.ts';
import type { Kit } from './core/kit.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { Outbox } from './core/outbox.ts';
import { Scheduler } from './core/scheduler/index.ts';
import { firstSighting, registerForgettingRequests, scheduleForgettingRequests } from './core/signed-requests.ts';
import { linkSigningSecret } from './core/signed-links.ts';
import { createSlackGateway, currentReachability, SlackCallError, type SlackGateway } from './core/slack-gateway.ts';
import { lowerOtherThreadsPriority } from './core/thread-priority.ts';
import { isPostgresUrl } from './core/urls.ts';
import { UserProfiles } from './core/user-profiles.ts';
import { checkpointPeriodically } from './core/wal-checkpoints.ts';
import { WebLinks } from './core/web-links.ts';
import { installAlerts } from './alerts/index.ts';
import { productFlows } from './flows.ts';
import { installHome } from './home/index.ts';
import { findIncidentIdByChannel, getIncidentAccess, installIncidents, mayUseIncident } from './incidents/index.ts';
import { startJobWorker, type JobWorker } from './job-worker.ts';
import { installKnowledge } from './knowledge/index.ts';
import { MetricsCollector } from './metrics/collect.ts';
import type { MetricFamily } from './metrics/families.ts';
import { createProcessMetrics } from './metrics/process-metrics.ts';
import { installPaging } from './paging/index.ts';
import { installPostmortems } from './postmortems/index.ts';
import { installProblems, openTicketsOf } from './problems/index.ts';
import { installRotas } from './rotas/index.ts';
import type { SlackApp } from './slack/app.ts';
import { ListenerTable, type Registered } from './slack/listeners.ts';
import { registerIncidentCommand } from './slack/router.ts';
import { installStats } from './stats/index.ts';
import { addTimelineEvent, installTimeline } from './timeline/index.ts';
import { healthzHandler } from './web/healthz.ts';
import { metricsHandler } from './web/metrics.ts';
import { STYLESHEET_PATH, stylesheetHandler } from './web/page.ts';

/**
 * Several instances on Postgres: a job whose instance died is taken over once its lease runs out (renewed every
 * third of it while the job runs), and every scheduler looks for due work at least this often, besides being told
 * of new jobs: together they bound a takeover at about twelve seconds.
 */
const CLUSTER_LEASE_MS = 10_000;
const CLUSTER_POLL_MS = 2_000;

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
  database: OpenedDatabase;
  /** Resolves once no Slack request is being handled (for tests: Bolt answers an event before handling it). */
  requestsHandled(): Promise<void>;
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

export async function createKlaxon(config: Config, opts: KlaxonOptions = {}): Promise<Klaxon> {
  const role = opts.role ?? 'all';
  const { env } = config;
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger(env.logLevel);
  // Under npm start the job worker checkpoints the WAL for both threads: the answering thread never waits for one.
  const database = await openKlaxonDatabase(env.dbFile, { autoCheckpoint: role !== 'requests' });
  const { db } = database;
  const metrics = createProcessMetrics();
  metrics.processStartTime.set({}, clock.now() / 1000);
  // Which instance answers, for an operator with several behind one load balancer.
  const instance = { instance: `${hostname()}:${process.pid}`, engine: database.engine };
  metrics.instanceInfo.set(instance, 1);
  const slack = createSlackGateway({ token: env.botToken, slackApiUrl: env.slackApiUrl, logger, metrics, now: () => clock.now(), ...(opts.slackTimeoutMs ? { timeoutMs: opts.slackTimeoutMs } : {}) });
  // For the calls made while a person waits for the answer (access checks, forms, time zones): they give up in
  // time for the answer to reach Slack within its 3 seconds, so that a command is either answered and done or
  // refused and not done, never refused by Slack's timeout and done later.
  const slackNow = slack.withTimeout(Math.min(opts.slackTimeoutMs ?? REQUEST_SLACK_TIMEOUT_MS, REQUEST_SLACK_TIMEOUT_MS));
  const scheduler = new Scheduler({
    db,
    clock,
    logger: logger.child({ component: 'scheduler' }),
    retryBaseMs: opts.schedulerRetryBaseMs,
    ...(opts.onScheduled ? { onScheduled: opts.onScheduled } : {}),
    ...(database.cluster ? { soleInstance: false, leaseMs: CLUSTER_LEASE_MS, pollEveryMs: CLUSTER_POLL_MS, announce: database.cluster.announceJob } : {}),
    onClaim: (_job, lateMs) => metrics.schedulerLag.observe({}, lateMs / 1000),
  });
  const secret = await linkSigningSecret(db);
  const linkSecret = () => secret;
  const listeners = new ListenerTable();
  const kit: Kit = {
    config,
    db,
    clock,
    locks: new KeyedLock(database.cluster?.acrossInstances),
    logger,
    scheduler,
    outbox: new Outbox(db, slack, clock, metrics),
    slack,
    slackNow,
    profiles: new UserProfiles(slack, clock, logger, config.klaxon.timezone),
    profilesNow: new UserProfiles(slackNow, clock, logger, config.klaxon.timezone),
    links: new WebLinks(env.publicUrl, linkSecret, config.klaxon.web.require_signed_links, () => clock.now()),
    linkSecret,
    // Built from what the features return once all are installed; nothing calls a flow while they install.
    flows: { incidentDeclared: notYet, channelReady: notYet, incidentResolved: notYet, homeChanged: notYet, similarFound: notYet, alertAcknowledged: notYet },
    answersSlack: role !== 'jobs',
    listeners,
    subcommands: [],
    routes: [],
    openModal: (triggerId, view) => openModal(slackNow, triggerId, view),
  };

  // Installed in the order /incident help lists them; what one needs of a later one is read when it is used.
  const incidents = installIncidents(kit, { addTimelineEvent });
  installTimeline(kit);
  const postmortems = installPostmortems(kit, { problems: () => problems.deps });
  const problems = installProblems(kit);
  const rotas = await installRotas(kit);
  const paging = installPaging(kit, { rotas: rotas.rotas, alertSubject: (groupId) => alerts.pagedSubject(groupId), alertPaged: (seconds) => metrics.alertToPage.observe({}, seconds) });
  const alerts = installAlerts(kit, { paging: paging.deps, refusedRequests: metrics.alertRequestsRefused });
  const knowledge = installKnowledge(kit, { postmortemUrlOf: postmortems.urlOf });
  installStats(kit);
  installHome(kit, { shiftsOf: rotas.shiftsOf, problemsOf: (userId) => openTicketsOf(problems.deps, userId), declareModal: incidents.emptyDeclareModal });
  Object.assign(kit.flows, productFlows({ db, scheduler, paging: paging.deps, problems: problems.deps, alerts }));
  registerForgettingRequests(scheduler, db);

  const reachability = () => currentReachability(slackNow, clock.now());
  const collector = new MetricsCollector({ db, registry: metrics.registry, slack: reachability, ...(opts.workerMetrics ? { worker: opts.workerMetrics } : {}) });
  if (kit.answersSlack) {
    registerIncidentCommand(listeners, {
      slack: slackNow,
      logger,
      subcommands: kit.subcommands,
      incidentIdByChannel: (channelId) => findIncidentIdByChannel(db, channelId),
      incidentExists: async (id) => (await getIncidentAccess(db, id)) !== undefined,
      mayUseIncident: (id, userId, channelId) => mayUseIncident({ db, slack: slackNow }, id, userId, channelId),
    });
  }
  // The job thread answers nobody: it builds no Slack app, and never loads Bolt (slack/app.ts is imported when used).
  let slackApp: SlackApp | undefined;
  let runbookWatcher: { close(): void } | undefined;
  let stopCheckpoints: (() => void) | undefined;
  let jobListener: { close(): Promise<void> } | undefined;

  async function answerSlack(): Promise<SlackApp> {
    const { createSlackApp } = await import('./slack/app.ts');
    const eventDedupe = new EventDedupe(db, clock, metrics);
    return createSlackApp({
      env,
      logger,
      listeners,
      firstDelivery: (eventId) => eventDedupe.firstDelivery(eventId),
      firstSighting: (signature, signedAt) => firstSighting(db, signature, signedAt),
      onRepeat: (kind) => metrics.duplicateDeliveries.inc({ kind }),
      identity: () => slackNow.knownIdentity(),
      now: () => clock.now(),
      routes: [
        { path: '/healthz', method: 'GET', handler: healthzHandler(() => isDatabaseReachable(db), reachability, instance) },
        { path: '/metrics', method: 'GET', handler: metricsHandler(() => collector.all(), logger) },
        { path: STYLESHEET_PATH, method: 'GET', handler: stylesheetHandler() },
        ...kit.routes,
      ],
    });
  }

  return {
    scheduler,
    slack,
    database,
    registered: listeners.registered,
    metrics: collector,
    requestsHandled: async () => slackApp?.idle(),
    async start() {
      if (role !== 'requests') {
        await rotas.start(clock.now());
        await alerts.start(clock.now());
        await scheduleForgettingRequests(scheduler, db, clock.now());
        await scheduler.start();
        jobListener = database.cluster?.listenForJobs((at) => scheduler.wake(at), logger);
      }
      if (!kit.answersSlack) {
        if (database.sqlite) stopCheckpoints = checkpointPeriodically(database.sqlite, clock, (error) => logger.error('a WAL checkpoint failed', { error }));
        return 0;
      }
      slackApp = await answerSlack();
      runbookWatcher = await knowledge.start();
      // Who the bot is, for Bolt to drop the bot's own events; asked now, and again on later calls if Slack is out of reach.
      slackNow.botUserId().catch((error: unknown) => logger.warn('Slack could not say who the bot is yet: requests are answered meanwhile', { error: errorMessage(error) }));
      const port = await slackApp.start();
      logger.info('klaxon is listening', { port, mode: env.appToken ? 'socket' : 'http', services: config.klaxon.services.length });
      return port;
    },
    async stop() {
      runbookWatcher?.close();
      stopCheckpoints?.();
      await slackApp?.stop();
      await jobListener?.close();
      await scheduler.stop();
      await database.close();
    },
  };
}

async function notYet(): Promise<never> {
  throw new Error('a flow was called before every feature was installed');
}

/** Opens a modal from a button; a refusal (the click's trigger expired) is answered to the person who clicked. */
async function openModal(slack: SlackGateway, triggerId: string, view: ModalView): Promise<void> {
  try {
    await slack.call('views.open', { trigger_id: triggerId, view });
  } catch (error) {
    if (error instanceof SlackCallError) throw new UserError(`Slack did not open the form (${error.code}). Please click again.`);
    throw error;
  }
}

export function loadConfig(source: Record<string, string | undefined>): { config: Config; configMissing: boolean } {
  const env = loadEnv(source);
  const { config: klaxon, missing } = loadKlaxonFile(env.configFile);
  const webhook = problemWebhook(klaxon, source);
  return { config: { env, klaxon, integrationTokens: integrationTokens(klaxon, source), ...(webhook ? { problemWebhook: webhook } : {}) }, configMissing: missing };
}

/** The program `npm start` runs (src/start.ts): the job worker, then the thread that answers Slack, until a signal. */
export async function main(): Promise<void> {
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
  const lock = isPostgresUrl(loaded.config.env.dbFile) ? { release: () => undefined } : holdInstanceLock(loaded.config.env.dbFile);
  // Migrated once, here, before two threads open it; then each thread sets itself up at the same time (the worker
  // on another core), and Klaxon listens once both are ready.
  await (await openKlaxonDatabase(loaded.config.env.dbFile)).close();
  let worker: JobWorker | undefined;
  const [jobs, klaxon] = await Promise.all([
    startJobWorker(loaded.config, logger, () => process.exit(1)).then((started) => (worker = started)),
    createKlaxon(loaded.config, { logger, role: 'requests', onScheduled: (at) => worker?.wake(at), workerMetrics: async () => worker?.metrics(1000) }),
  ]);
  await klaxon.start();
  lowerOtherThreadsPriority();
  const shutdown = (signal: string): void => {
    logger.info('shutting down', { signal });
    klaxon
      .stop()
      .then(() => jobs.stop())
      .then(() => lock.release())
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
