/**
 * The demo's world: the simulated Slack with its seeded people and channels, and a real Klaxon (the same
 * createKlaxon as `npm start`) using klaxon.example.yml and the example runbooks, a fresh database (its own file
 * in the output directory, or a new or empty one the person named: see database.ts), and a clock the script can
 * skip forward, started as far behind real time as the script skips.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, type Logger } from '../core/logger.ts';
import { isPostgresUrl, redactUrl } from '../core/urls.ts';
import { createKlaxon, loadConfig, type Klaxon } from '../main.ts';
import { SlackPeople } from '../simulator/people.ts';
import { INCIDENTS_CHANNEL_ID, SEEDED_CHANNELS, SEEDED_USERS } from '../simulator/seed.ts';
import { SkippableClock } from '../simulator/skippable-clock.ts';
import { startFakeSlack, type FakeSlack } from '../simulator/slack/index.ts';
import { klaxonAppSurface } from '../simulator/web/app-surface.ts';
import { simPages } from '../simulator/web/routes.ts';
import { refuseUnlessEmpty } from './database.ts';
import { SCRIPTED_SKIP_MS } from './scenario.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface WorldOptions {
  outputDir: string;
  /** Klaxon's HTTP port (0: a free one). */
  port: number;
  /** The simulator's port, where `/sim` is served (0: a free one). */
  simPort: number;
  /**
   * A database the person named (a SQLite file or a postgres:// URL), used only if new or empty and never
   * deleted; unset: the demo's own klaxon.db in the output directory, made afresh.
   */
  database?: { target: string; otherwise: string };
}

export interface DemoWorld {
  slack: FakeSlack;
  klaxon: Klaxon;
  people: SlackPeople;
  clock: SkippableClock;
  /** `http://127.0.0.1:<port>`: Klaxon's pages (post-mortems, runbooks). */
  klaxonUrl: string;
  /** The simulator's web page. */
  simUrl: string;
  /** Where the demo's data is: the SQLite file, or the Postgres URL with its password shown as ***. */
  databaseName: string;
  timeZone: string;
  logger: Logger;
  close(): Promise<void>;
}

/** A free port on 127.0.0.1, so that links Klaxon writes (PUBLIC_URL) are known before it starts. */
async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export async function startDemoWorld(opts: WorldOptions): Promise<DemoWorld> {
  let dbTarget: string;
  if (opts.database) {
    // Refused before anything starts or is written.
    await refuseUnlessEmpty(opts.database.target, opts.database.otherwise);
    dbTarget = opts.database.target;
    mkdirSync(opts.outputDir, { recursive: true });
  } else {
    mkdirSync(opts.outputDir, { recursive: true });
    dbTarget = join(opts.outputDir, 'klaxon.db');
    for (const file of [dbTarget, `${dbTarget}-wal`, `${dbTarget}-shm`]) rmSync(file, { force: true });
  }
  // Behind real time by what the scripted incident skips, so that it ends at real time (see SCRIPTED_SKIP_MS).
  const clock = new SkippableClock(SCRIPTED_SKIP_MS);
  const surface = klaxonAppSurface();
  const slack = await startFakeSlack({ scopes: surface.botScopes, users: SEEDED_USERS, channels: SEEDED_CHANNELS, now: () => clock.now(), port: opts.simPort, teamName: 'Klaxon Demo', teamDomain: 'klaxon-demo' });
  const signingSecret = randomBytes(16).toString('hex');
  const port = opts.port || (await freePort());
  const klaxonUrl = `http://127.0.0.1:${port}`;
  const { config } = loadConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.url,
    PORT: String(port),
    PUBLIC_URL: klaxonUrl,
    KLAXON_DB: dbTarget,
    KLAXON_CONFIG: join(ROOT, 'klaxon.example.yml'),
    // The example's integration takes alerts with this token (the demo sends none).
    KLAXON_ALERTS_PROD_TOKEN: randomBytes(16).toString('hex'),
    RUNBOOKS_DIR: join(ROOT, 'runbooks'),
    INCIDENTS_CHANNEL: INCIDENTS_CHANNEL_ID,
    LOG_LEVEL: 'info',
  });
  const log = createWriteStream(join(opts.outputDir, 'klaxon.log'));
  const logger = createLogger('info', (line) => log.write(`${line}\n`));
  const klaxon = await createKlaxon(config, { clock, logger });
  await klaxon.start();
  const people = new SlackPeople(slack, { eventsUrl: `${klaxonUrl}/slack/events`, signingSecret });
  slack.servePages(simPages({ slack, people, surface }));
  return {
    slack,
    klaxon,
    people,
    clock,
    klaxonUrl,
    simUrl: `${slack.baseUrl}/sim`,
    databaseName: isPostgresUrl(dbTarget) ? redactUrl(dbTarget) : dbTarget,
    timeZone: config.klaxon.timezone,
    logger,
    async close() {
      await klaxon.stop();
      await slack.close();
      await new Promise((done) => log.end(done));
    },
  };
}
