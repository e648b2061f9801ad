/**
 * Takeover: several real Klaxon instances (`node dist/main.js`) on one scratch Postgres database; one of them is
 * killed with SIGKILL while it holds a job, and the benchmark measures how long the survivors take to finish that
 * job's work, against the bound Klaxon promises (a lease of CLUSTER_LEASE_MS plus a look every CLUSTER_POLL_MS,
 * src/main.ts: about 12 s).
 *
 * Each round: a fresh fake Slack, a fresh scratch database, --instances instances started together, each talking
 * to the fake Slack through a forwarding proxy of its own (so that every Web API call is known by the instance
 * that made it). One `/incident declare sev2 payments …` starts a two-level escalation policy (Bob, then Carol
 * after --level-timeout seconds). The fake Slack holds back its answer to the page DM to Bob (`failNext` with
 * `delayMs`, on Bob's IM), so the instance whose job posts it holds the claimed job. At a seeded-random moment
 * between 0 and --kill-within ms after that call arrives, that instance is killed with SIGKILL. Then:
 *
 * - taken over: the first call a survivor makes for the page (reading Bob's IM history, to find the DM whose
 *   answer was lost, which the outbox does before posting again);
 * - complete: a survivor posts the step's line in the incident channel, the last Slack call of the page's work;
 * - the leases of the escalation's page jobs (`oncall.sync`), read from `jobs` just before the kill. A step has
 *   two: one scheduled by the step, one when the incident channel appears; both queue on the escalation's lock
 *   (an advisory lock of the holder's Postgres session). If the dead instance held both, the survivors wait for a
 *   lease to run out (`lease`); if a survivor held the other, it was waiting for the lock, which Postgres frees
 *   when the dead session's connection closes, and it goes on at once (`lock`);
 * - the next step: Carol's page DM, and how late it went out against the step's due time.
 *
 * Checks: Bob got one DM (recovered, not posted twice), Carol one, no page job failed, the page complete before
 * the next step was due.
 *
 *   npm run bench:takeover -- [--rounds 5] [--instances 3] [--level-timeout 20] [--kill-within 5000] [--seed 42]
 *
 * `npm run bench:takeover` builds dist/ first when a source is newer (scripts/build.mjs --if-stale).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { many, one, type Db } from '../src/core/db.ts';
import { openPostgres } from '../src/core/postgres.ts';
import { jobKinds } from '../src/paging/ids.ts';
import { slashCommandBody } from '../src/simulator/requests.ts';
import { signedHeaders } from '../src/simulator/sign.ts';
import { startFakeSlack, type FakeSlack } from '../src/simulator/slack/index.ts';
import { waitFor } from '../src/simulator/wait.ts';
import { childAppEnv, startChildApp, type ChildApp } from '../test/support/child-app.ts';
import { INCIDENTS_CHANNEL, paymentsPagesBobThenCarolYml, USERS } from '../test/support/harness.ts';
import { manifestBotScopes } from '../test/support/manifest.ts';
import { scratchDatabase, type ScratchDatabase } from '../test/support/postgres.ts';
import { percentile } from './setup.ts';
import { seededRandom } from './seeded-random.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    instances: { type: 'string', default: '3' },
    'level-timeout': { type: 'string', default: '20' },
    'kill-within': { type: 'string', default: '5000' },
    seed: { type: 'string', default: '42' },
  },
});
const ROUNDS = Number(values.rounds);
const INSTANCES = Number(values.instances);
const LEVEL_TIMEOUT_S = Number(values['level-timeout']);
const KILL_WITHIN_MS = Number(values['kill-within']);
if (INSTANCES < 2) throw new Error('--instances: at least 2 (one to kill, one to take over)');
// The page DM's answer must still be awaited when the holder dies: job calls time out after 10 s.
if (KILL_WITHIN_MS >= 9_000) throw new Error('--kill-within: under 9000 ms, or the held call times out before the kill');
const random = seededRandom(Number(values.seed));

/** The bound, read from the composition root so that it follows the product. */
function clusterConstant(name: string): number {
  const found = new RegExp(`const ${name} = ([\\d_]+);`).exec(readFileSync('src/main.ts', 'utf8'));
  if (!found) throw new Error(`src/main.ts no longer defines ${name}`);
  return Number(found[1]!.replaceAll('_', ''));
}
const LEASE_MS = clusterConstant('CLUSTER_LEASE_MS');
const POLL_MS = clusterConstant('CLUSTER_POLL_MS');
const BOUND_MS = LEASE_MS + POLL_MS;
/** How long the fake Slack holds back the page DM's answer: longer than any round needs. */
const DM_DELAY_MS = 60_000;

const yml = paymentsPagesBobThenCarolYml(LEVEL_TIMEOUT_S);

/** A Web API call as one instance's proxy saw it arrive. */
interface SeenCall {
  instance: number;
  method: string;
  channel?: string;
  at: number;
}

function channelOf(headers: IncomingHttpHeaders, body: string): string | undefined {
  try {
    const channel = String(headers['content-type'] ?? '').includes('json') ? (JSON.parse(body) as { channel?: unknown }).channel : new URLSearchParams(body).get('channel');
    return typeof channel === 'string' ? channel : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Forwards one instance's Web API calls to the fake Slack, recording each; a call whose caller died is dropped.
 * Calls without the round's token are refused unrecorded: on a machine where other Klaxons run (test suites), one
 * whose fake Slack is gone may still call the port this proxy now has.
 */
async function startProxy(instance: number, upstream: URL, token: string, seen: SeenCall[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.headers.authorization !== `Bearer ${token}` && !body.includes(token)) {
        res.writeHead(401).end();
        return;
      }
      const method = /^\/api\/([\w.]+)/.exec(req.url ?? '')?.[1] ?? String(req.url);
      const channel = channelOf(req.headers, body.toString('utf8'));
      seen.push({ instance, method, ...(channel ? { channel } : {}), at: Date.now() });
      const forwarded = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forwarded.on('error', () => res.destroy());
      res.on('close', () => {
        if (!res.writableFinished) forwarded.destroy();
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function declare(slack: FakeSlack, secret: string, port: number, round: number): Promise<number> {
  const responseUrl = slack.createResponseUrl({ channel: 'C0GENERAL' });
  const body = slashCommandBody({ text: `declare sev2 payments Card payments failing, takeover round ${round}`, userId: USERS.alice, channelId: 'C0GENERAL', responseUrl, triggerId: slack.issueTriggerId() });
  const response = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body, headers: signedHeaders(secret, body, 'application/x-www-form-urlencoded') });
  if (response.status !== 200) throw new Error(`the declaration was answered ${response.status}`);
  return Date.now();
}

/** The outbox key a message carries in its metadata. */
function keyOf(args: Record<string, unknown>): string {
  return String((args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '');
}

interface RoundResult {
  round: number;
  killed: number;
  /** From the declaration to the held page DM reaching Slack. */
  declareToDmMs: number;
  /** From the DM's arrival to the kill (seeded random, up to --kill-within). */
  killAfterMs: number;
  /** How long the leases of the page jobs running at the kill still ran then, shortest first. */
  leasesLeftMs: number[];
  /** How the survivors got the work: after a lease ran out, or at once behind the escalation's lock. */
  mechanism: 'lease' | 'lock';
  /** After a lease ran out: how long after it the survivor's first call came (undefined for `lock`). */
  afterLeaseMs?: number;
  /** The escalation's page jobs as the kill found them. */
  syncJobsAtKill: string[];
  /** What the survivors asked Slack from the kill to the held job's last call. */
  survivorCalls: string[];
  /** From the kill to the first survivor call for the page. */
  takenOverMs: number;
  /** From the kill to the page's last Slack call (the step's line in the incident channel). */
  completeMs: number;
  /** Which survivor took the page over. */
  takenOverBy: number;
  /** Carol's page (the escalation's next step), late by this much against the step's due time. */
  nextStepLateMs: number;
  checks: { bobDms: number; carolDms: number; pageJobs: number; pageJobsFailed: number; completedBeforeNextStep: boolean; errorsInSurvivorLogs: number };
}

async function runRound(round: number): Promise<RoundResult> {
  // The round's own token and secret: no other Klaxon on the machine can talk to this round's, or be taken for one.
  const secret = randomBytes(16).toString('hex');
  const slack = await startFakeSlack({
    botToken: `xoxb-takeover-${randomBytes(8).toString('hex')}`,
    scopes: manifestBotScopes(),
    users: [{ id: USERS.alice, name: 'alice' }, { id: USERS.bob, name: 'bob' }, { id: USERS.carol, name: 'carol' }],
    channels: [{ id: 'C0GENERAL', name: 'general', members: [USERS.alice] }, { id: INCIDENTS_CHANNEL, name: 'incidents', members: [USERS.alice] }],
  });
  const seen: SeenCall[] = [];
  const proxies = await Promise.all(Array.from({ length: INSTANCES }, (_, i) => startProxy(i, new URL(slack.baseUrl), slack.botToken, seen)));
  let scratch: ScratchDatabase | undefined;
  let checkDb: { db: Db; close(): Promise<void> } | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'klaxon-takeover-'));
  const apps: (ChildApp | undefined)[] = [];
  const logs: string[][] = [];
  /** For a round that went wrong: every Web API call with the instance that made it, and every instance's warnings. */
  const keepTrail = (why: string): void => {
    const calls = seen.map((c) => `${new Date(c.at).toISOString()} #${c.instance} ${c.method}${c.channel ? ` ${c.channel}` : ''}`);
    const answers = slack.calls().map((c) => `${new Date(c.at).toISOString()} ${c.method} ${String(c.args.channel ?? '')} ${c.ok ? 'ok' : c.error ?? ''}${c.fault ? ` fault ${JSON.stringify(c.fault)}` : ''} ${keyOf(c.args)}`);
    const warnings = logs.flatMap((lines, i) => lines.filter((l) => !l.includes('"level":"info"') && !l.includes('"level":"debug"')).map((l) => `#${i} ${l}`));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(join('bench/results', `takeover-round-${round}-${Date.now()}.log`), [why, '', ...calls, '', ...answers, '', ...warnings].join('\n'));
  };
  try {
    scratch = await scratchDatabase();
    writeFileSync(join(dir, 'klaxon.yml'), yml);
    // Started together: one migrates while the others wait for it.
    apps.push(...(await Promise.all(proxies.map((proxy) => startChildApp({ ...childAppEnv(slack, dir), SLACK_SIGNING_SECRET: secret, KLAXON_DB: scratch!.url, SLACK_API_URL: proxy.url })))));
    logs.push(...apps.map((app) => app!.logs));
    const database = await openPostgres(scratch.url, { migrate: false, max: 1 });
    checkDb = { db: database.db, close: database.close };
    const { db } = checkDb;

    // Bob's IM exists before the page, so that the fault can name it: only his page DM's answer is held back.
    const bobIm = slack.state.imWith(USERS.bob).id;
    slack.failNext('chat.postMessage', { delayMs: DM_DELAY_MS, channel: bobIm });
    const declaredAt = await declare(slack, secret, apps[round % INSTANCES]!.port, round);

    const held = await waitFor(() => seen.find((c) => c.method === 'chat.postMessage' && c.channel === bobIm), 'the page DM to Bob', 30_000, () => new Promise((resolve) => setTimeout(resolve, 2)));
    const killAfterMs = Math.round(random() * KILL_WITHIN_MS);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, held.at + killAfterMs - Date.now())));
    const syncJobs = await many<{ key: string; status: string; leaseUntil: number | null; attempts: number }>(db, sql`select key, status, lease_until as "leaseUntil", attempts from jobs where kind = ${jobKinds.sync} order by id`);
    if (!syncJobs.some((job) => job.status === 'running')) {
      keepTrail(`no page job was running at the kill: ${JSON.stringify(syncJobs)}`);
      throw new Error('no page job was running when the instance was to be killed');
    }
    const killedAt = Date.now();
    await apps[held.instance]!.kill('SIGKILL');
    apps[held.instance] = undefined;

    const survivor = (c: SeenCall) => c.instance !== held.instance && c.at >= killedAt;
    const takenOver = await waitFor(() => seen.find((c) => survivor(c) && c.method === 'conversations.history' && c.channel === bobIm), 'a survivor taking the job over', 3 * BOUND_MS, () => new Promise((resolve) => setTimeout(resolve, 5)));
    const line = await waitFor(() => slack.calls('chat.postMessage').find((c) => c.ok && c.at >= killedAt && keyOf(c.args).startsWith('page-line:')), 'the step line in the incident channel', 3 * BOUND_MS, () => new Promise((resolve) => setTimeout(resolve, 5)));
    const carolIm = await waitFor(() => (slack.state.hasImWith(USERS.carol) && slack.state.dmsWith(USERS.carol).length > 0 ? slack.state.imWith(USERS.carol).id : undefined), 'the page DM to Carol', LEVEL_TIMEOUT_S * 1000 + 3 * BOUND_MS, () => new Promise((resolve) => setTimeout(resolve, 5)));
    const carolDm = slack.calls('chat.postMessage').find((c) => c.ok && c.args.channel === carolIm)!;
    const nextStep = await one<{ dueAt: number }>(db, sql`select due_at as "dueAt" from jobs where kind = ${jobKinds.escalate} and key like ${'%:L1:R0'}`);
    const pageJobs = await waitFor(async () => {
      // Pending ones due later (the alert after the last level) are left for later.
      const jobs = await many<{ status: string; dueAt: number }>(db, sql`select status, due_at as "dueAt" from jobs where kind = ${jobKinds.sync}`);
      return jobs.every((job) => job.status !== 'running' && !(job.status === 'pending' && Number(job.dueAt) <= Date.now())) && jobs;
    }, 'every page job due settled', 30_000);
    const survivorsLogs = apps.flatMap((app) => app?.logs ?? []);
    if (slack.state.dmsWith(USERS.bob).length !== 1 || slack.state.dmsWith(USERS.carol).length !== 1) keepTrail(`Bob got ${slack.state.dmsWith(USERS.bob).length} DMs, Carol ${slack.state.dmsWith(USERS.carol).length}`);
    const takenOverMs = takenOver.at - killedAt;
    const leasesLeftMs = syncJobs.filter((job) => job.status === 'running').map((job) => Number(job.leaseUntil) - killedAt).sort((a, b) => a - b);
    // The lease whose end let the survivor in: the last one to end before its first call (a little clock slack allowed).
    const lease = leasesLeftMs.filter((left) => left <= takenOverMs + 100).at(-1);
    return {
      round,
      killed: held.instance,
      declareToDmMs: held.at - declaredAt,
      killAfterMs,
      leasesLeftMs,
      mechanism: lease === undefined ? 'lock' : 'lease',
      ...(lease === undefined ? {} : { afterLeaseMs: takenOverMs - lease }),
      syncJobsAtKill: syncJobs.map((job) => `${job.key} ${job.status}${job.leaseUntil === null ? '' : ` lease ${Number(job.leaseUntil) - killedAt} ms`} attempts ${job.attempts}`),
      survivorCalls: seen.filter((c) => survivor(c) && c.at <= line.at).slice(0, 12).map((c) => `+${c.at - killedAt} ms #${c.instance} ${c.method}${c.channel ? ` ${c.channel}` : ''}`),
      takenOverMs,
      completeMs: line.at - killedAt,
      takenOverBy: takenOver.instance,
      nextStepLateMs: carolDm.at - Number(nextStep?.dueAt),
      checks: {
        bobDms: slack.state.dmsWith(USERS.bob).length,
        carolDms: slack.state.dmsWith(USERS.carol).length,
        pageJobs: pageJobs.length,
        pageJobsFailed: pageJobs.filter((job) => job.status === 'failed').length,
        completedBeforeNextStep: line.at < Number(nextStep?.dueAt),
        errorsInSurvivorLogs: survivorsLogs.filter((l) => l.includes('"level":"error"')).length,
      },
    };
  } finally {
    await checkDb?.close();
    for (const app of apps) await app?.kill('SIGKILL');
    for (const proxy of proxies) await proxy.close();
    await slack.close();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: RoundResult[] = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  const result = await runRound(round);
  results.push(result);
  console.log(JSON.stringify(result));
}

const figures = (of: RoundResult[], pick: (r: RoundResult) => number) => {
  const sorted = of.map(pick).sort((a, b) => a - b);
  return sorted.length ? { median: percentile(sorted, 50), worst: sorted.at(-1)! } : undefined;
};
const afterLease = results.filter((r) => r.mechanism === 'lease');
const summary = {
  boundMs: BOUND_MS,
  leaseMs: LEASE_MS,
  pollMs: POLL_MS,
  takenOverMs: figures(results, (r) => r.takenOverMs),
  completeMs: figures(results, (r) => r.completeMs),
  /** The rounds where the survivors had to wait for a lease, and what they added to it. */
  afterLeaseRounds: afterLease.length,
  completeAfterLeaseMs: figures(afterLease, (r) => r.completeMs),
  afterLeaseMs: figures(afterLease, (r) => r.afterLeaseMs!),
  nextStepLateMs: figures(results, (r) => r.nextStepLateMs),
  withinBound: results.filter((r) => r.completeMs <= BOUND_MS).length,
  checksPassed: results.filter((r) => r.checks.bobDms === 1 && r.checks.carolDms === 1 && r.checks.pageJobsFailed === 0 && r.checks.completedBeforeNextStep).length,
};
console.log(JSON.stringify({ rounds: results.length, ...summary }));
const date = new Date().toISOString();
mkdirSync('bench/results', { recursive: true });
writeFileSync(join('bench/results', `takeover-${date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify({ date, node: process.version, instances: INSTANCES, levelTimeoutS: LEVEL_TIMEOUT_S, killWithinMs: KILL_WITHIN_MS, seed: Number(values.seed), results, summary }, null, 2)}\n`);
