/**
 * End-to-end harness: the fake Slack on loopback with exactly the manifest's scopes, a real SQLite file, and
 * the real Klaxon app listening on a free port, spoken to with requests signed as Slack signs them. Klaxon and
 * the fake Slack read one clock, which a test fast-forwards instead of sleeping (as GoAlert's smoke harness does).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, silentLogger } from '../../src/core/logger.ts';
import { createKlaxon, loadConfig, type Klaxon } from '../../src/main.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../src/simulator/slack/index.ts';
import type { SQL } from 'drizzle-orm';
import { many } from '../../src/core/db.ts';
import { getIncident, type Incident } from '../../src/incidents/index.ts';
import { tempDir, testDatabaseTarget } from './db.ts';
import { manifestBotScopes } from './manifest.ts';
import { signedHeaders } from '../../src/simulator/sign.ts';
import { SkippableClock } from '../../src/simulator/skippable-clock.ts';
import { waitFor } from '../../src/simulator/wait.ts';
import { eventCallbackBody, interactivityBody, slashCommandBody, viewSubmissionPayload, type ViewSubmission } from '../../src/simulator/requests.ts';

export const SIGNING_SECRET = 'test-signing-secret';
export const INCIDENTS_CHANNEL = 'C0INCIDENTS';
export const USERS = { alice: 'U01ALICE', bob: 'U01BOB', carol: 'U01CAROL' } as const;

export const TEST_KLAXON_YML = `
timezone: Europe/London
services:
  - id: payments
    name: Payments API
  - id: search
    name: Search
`;

/** Payments pages Bob, on call every day since yesterday, with an hour before escalation (no second level). */
export const PAYMENTS_PAGES_BOB_YML = `
timezone: UTC
services:
  - id: payments
    name: Payments API
    escalation_policy: payments
schedules:
  - id: primary
    rotation: { kind: daily, handoff: "00:00", start: ${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}, participants: [U01BOB] }
escalation_policies:
  - id: payments
    levels:
      - targets: [schedule:primary]
        timeout: 1h
`;

/**
 * Payments pages Bob (level 1), then Carol (level 2), each level waiting `levelTimeoutS` seconds: the policy of
 * the tests and benchmark (bench/takeover.ts) that kill Klaxon mid-escalation. Both rotas start today at 00:00 UTC.
 */
export function paymentsPagesBobThenCarolYml(levelTimeoutS: number): string {
  const today = new Date().toISOString().slice(0, 10);
  return `
timezone: UTC
services:
  - { id: payments, name: Payments API, escalation_policy: payments }
schedules:
  - id: primary
    rotation: { kind: daily, handoff: "00:00", start: ${today}, participants: [${USERS.bob}] }
  - id: secondary
    rotation: { kind: daily, handoff: "00:00", start: ${today}, participants: [${USERS.carol}] }
escalation_policies:
  - id: payments
    levels:
      - { targets: [schedule:primary], timeout: ${levelTimeoutS}s }
      - { targets: [schedule:secondary], timeout: ${levelTimeoutS}s }
`;
}

/** The alert tests' Alertmanager integration for payments (appended to a klaxon.yml), its token in KLAXON_ALERTS_PROD_TOKEN. */
export const ALERTS_TOKEN = 'alertmanager-test-token-0123456789';
export const PROD_ALERTMANAGER_YML = `
integrations:
  - id: prod-alertmanager
    kind: alertmanager
    service: payments
    secret_env: KLAXON_ALERTS_PROD_TOKEN
`;

export interface HarnessOptions {
  socketMode?: boolean;
  /** false: none; a channel id: that one; default: #incidents. */
  incidentsChannel?: boolean | string;
  klaxonYml?: string;
  /** Runbook files by name (`payments-5xx.md`) in the test's own RUNBOOKS_DIR; none by default. */
  runbooks?: Record<string, string>;
  fake?: FakeSlackOptions;
  /** More environment variables for Klaxon (an integration's token). */
  env?: Record<string, string>;
  /** Receives every log line (JSON) at debug level and above, instead of the usual silence. */
  logSink?: (line: string) => void;
  /** How long Klaxon waits for a Slack call before it counts as timed out (10 s by default, as in production). */
  slackTimeoutMs?: number;
  /**
   * `h.waitFor` moves the clock this much on between polls, as well as pausing: for tests in which Slack asks
   * Klaxon to wait (Retry-After) and the wait itself is not what they check.
   */
  fastForwardWhileWaitingMs?: number;
}

export interface HttpAnswer {
  status: number;
  text: string;
  json(): Record<string, unknown>;
}

export interface Harness {
  slack: FakeSlack;
  klaxon: Klaxon;
  baseUrl: string;
  dbFile: string;
  /** The test's RUNBOOKS_DIR. */
  runbooksDir: string;
  /** The clock Klaxon and the fake Slack read: real time plus what the test fast-forwarded. */
  clock: SkippableClock;
  /**
   * Moves the clock `ms` forward and resolves once the scheduler is idle: each job that falls due in between runs
   * at its own time, and finishes before the clock moves on. Call it once what the last request set off is seen.
   */
  fastForward(ms: number): Promise<void>;
  /** Moves the fake Slack's clock alone forward (a request that arrives late: its trigger_id has aged). */
  skewSlackClock(ms: number): void;
  /**
   * Stops Klaxon and starts a new one on the same database and configuration (as a restart would); `downMs`:
   * how long it stays down, the clock moving on meanwhile.
   */
  restart(opts?: { downMs?: number }): Promise<void>;
  slash(text: string, opts?: { user?: string; channel?: string; triggerId?: string; responseUrl?: string }): Promise<HttpAnswer & { responseUrl: string; triggerId: string }>;
  submitView(submission: Omit<ViewSubmission, 'triggerId'>): Promise<HttpAnswer>;
  /**
   * Delivers an event as the Events API does (signed JSON); `retry` sends it again as Slack's retry would
   * (same event_id, X-Slack-Retry-Num). Resolves once Klaxon has handled it.
   */
  event(event: Record<string, unknown>, opts?: { eventId?: string; retryNum?: number }): Promise<HttpAnswer & { eventId: string }>;
  /** Sends any interactivity payload (button click, shortcut), signed. */
  interact(payload: Record<string, unknown>): Promise<HttpAnswer>;
  post(path: string, body: string, headers: Record<string, string>): Promise<HttpAnswer>;
  /** Polls until `check` returns a value other than undefined/false (or throws after `timeoutMs`, 10 s by default). */
  waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs?: number): Promise<T>;
  /** Waits until INC-`id` is set up in Slack (its channel recorded, summary posted) and returns it. */
  provisioned(id: number, timeoutMs?: number): Promise<Incident>;
  /** Rows a query reads from Klaxon's database, on either engine. */
  rows<T>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const clock = new SkippableClock();
  let skew = 0;
  const slack = await startFakeSlack({
    scopes: manifestBotScopes(),
    now: () => clock.now() + skew,
    users: [
      { id: USERS.alice, name: 'alice', real_name: 'Alice Archer', tz: 'Europe/London' },
      { id: USERS.bob, name: 'bob', real_name: 'Bob Baker', tz: 'America/New_York' },
      { id: USERS.carol, name: 'carol', real_name: 'Carol Chen', tz: 'Asia/Tokyo' },
    ],
    channels: [
      { id: 'C0GENERAL', name: 'general', members: Object.values(USERS) },
      { id: INCIDENTS_CHANNEL, name: 'incidents', members: Object.values(USERS) },
    ],
    ...opts.fake,
  });
  const tmp = tempDir();
  const configFile = join(tmp.dir, 'klaxon.yml');
  writeFileSync(configFile, opts.klaxonYml ?? TEST_KLAXON_YML);
  const target = await testDatabaseTarget(join(tmp.dir, 'klaxon.db'));
  const dbFile = target.url;
  const runbooksDir = join(tmp.dir, 'runbooks');
  mkdirSync(runbooksDir);
  for (const [name, text] of Object.entries(opts.runbooks ?? {})) writeFileSync(join(runbooksDir, name), text);
  const { config } = loadConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_APP_TOKEN: opts.socketMode ? slack.appToken : undefined,
    SLACK_API_URL: slack.url,
    PORT: '0',
    KLAXON_DB: dbFile,
    KLAXON_CONFIG: configFile,
    RUNBOOKS_DIR: runbooksDir,
    INCIDENTS_CHANNEL: opts.incidentsChannel === false ? undefined : typeof opts.incidentsChannel === 'string' ? opts.incidentsChannel : INCIDENTS_CHANNEL,
    LOG_LEVEL: 'error',
    ...opts.env,
  });
  const logger = opts.logSink ? createLogger('debug', opts.logSink) : testLogger();
  const klaxonOptions = { logger, schedulerRetryBaseMs: 50, clock, ...(opts.slackTimeoutMs ? { slackTimeoutMs: opts.slackTimeoutMs } : {}) };
  let klaxon = await createKlaxon(config, klaxonOptions);
  let baseUrl = `http://127.0.0.1:${await klaxon.start()}`;

  const post = async (path: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> => {
    const response = await fetch(`${harness.baseUrl}${path}`, { method: 'POST', body, headers });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };

  const harness: Harness = {
    slack,
    klaxon,
    baseUrl,
    dbFile,
    runbooksDir,
    async restart(o = {}) {
      await klaxon.stop();
      if (o.downMs) await clock.jumpAhead(o.downMs);
      klaxon = await createKlaxon(config, klaxonOptions);
      baseUrl = `http://127.0.0.1:${await klaxon.start()}`;
      harness.klaxon = klaxon;
      harness.baseUrl = baseUrl;
    },
    clock,
    async fastForward(ms) {
      const settled = () => harness.klaxon.scheduler.idle();
      await settled();
      await clock.jumpAhead(ms, settled);
      await settled();
    },
    skewSlackClock: (ms) => {
      skew += ms;
    },
    async slash(text, o = {}) {
      const channelId = o.channel ?? 'C0GENERAL';
      const triggerId = o.triggerId ?? slack.issueTriggerId();
      const responseUrl = o.responseUrl ?? slack.createResponseUrl({ channel: channelId });
      const body = slashCommandBody({ text, userId: o.user ?? USERS.alice, channelId, responseUrl, triggerId });
      const acked = await post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded'));
      if (acked.status !== 200 || acked.text !== '') return { ...acked, responseUrl, triggerId };
      // Acknowledged without an answer: a form opens, or the answer follows through response_url (a command whose
      // answer needs Slack is acknowledged first). What the person sees is that answer.
      const later = await waitFor(() => slack.responses().find((r) => r.url === responseUrl) ?? (slack.calls('views.open').some((c) => c.args.trigger_id === triggerId) ? 'form' : undefined), 'the answer to the command', 10_000);
      if (later === 'form') return { ...acked, responseUrl, triggerId };
      return { status: acked.status, text: JSON.stringify(later.body), json: () => later.body as Record<string, unknown>, responseUrl, triggerId };
    },
    submitView(submission) {
      return harness.interact(viewSubmissionPayload({ ...submission, triggerId: slack.issueTriggerId() }));
    },
    async event(event, o = {}) {
      const { body, eventId } = eventCallbackBody(event, o.eventId);
      const retry: Record<string, string> = o.retryNum ? { 'x-slack-retry-num': String(o.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
      const answer = await post('/slack/events', body, { ...signedHeaders(SIGNING_SECRET, body, 'application/json'), ...retry });
      // Slack has its answer at once; what the event changes is done once Klaxon has handled it.
      await harness.klaxon.requestsHandled();
      return { ...answer, eventId };
    },
    interact(payload) {
      const body = interactivityBody(payload);
      return post('/slack/events', body, signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded'));
    },
    post,
    rows: (query) => many(harness.klaxon.database.db, query),
    waitFor: (check, what, timeoutMs) => waitFor(check, what, timeoutMs, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (opts.fastForwardWhileWaitingMs) await harness.fastForward(opts.fastForwardWhileWaitingMs);
    }),
    provisioned: (id, timeoutMs) =>
      harness.waitFor(async () => {
        const inc = await getIncident(harness.klaxon.database.db, id);
        return inc?.provisioning === 'done' && inc;
      }, `INC-${id} to be set up`, timeoutMs),
    async close() {
      await klaxon.stop();
      await slack.close();
      await target.drop();
      tmp.remove();
    },
  };
  return harness;
}

/** Silent, unless KLAXON_TEST_LOG=debug|info|warn|error asks to see the app's log while debugging a test. */
function testLogger() {
  const level = process.env.KLAXON_TEST_LOG;
  return level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? createLogger(level) : silentLogger;
}
