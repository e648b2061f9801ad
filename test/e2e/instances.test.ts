/**
 * Several instances on one Postgres, as real processes behind a load balancer: three share the work of a hundred
 * escalations, one is killed with SIGKILL in the middle, and the other two finish its work. Every incident ends
 * with one channel, each level paged once, and the alert that nobody answered posted once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childAppEnv, startChildApp, type ChildApp } from '../support/child-app.ts';
import { INCIDENTS_CHANNEL, paymentsPagesBobThenCarolYml, SIGNING_SECRET, USERS } from '../support/harness.ts';
import { manifestBotScopes } from '../support/manifest.ts';
import { scratchDatabase, type ScratchDatabase } from '../support/postgres.ts';
import { startFakeSlack, type FakeSlack } from '../../src/simulator/slack/index.ts';
import { slashCommandBody } from '../../src/simulator/requests.ts';
import { signedHeaders } from '../../src/simulator/sign.ts';
import { waitFor } from '../../src/simulator/wait.ts';

const INCIDENTS = 100;
const LEVEL_TIMEOUT_S = 4;
/**
 * What README.md promises for a takeover: a dead instance's jobs wait for its lease to run out (10 s after its
 * last renewal) and for a survivor to look (every 2 s at most).
 */
const TAKEOVER_BOUND_MS = 12_000;
/** Room for the survivors to work through what fell due meanwhile on a two-core machine. */
const CATCH_UP_MS = 20_000;

let slack: FakeSlack | undefined;
let apps: (ChildApp | undefined)[] = [];
let scratch: ScratchDatabase | undefined;
let dir: string | undefined;
afterEach(async () => {
  for (const app of apps) await app?.kill();
  apps = [];
  await slack?.close();
  await scratch?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const yml = paymentsPagesBobThenCarolYml(LEVEL_TIMEOUT_S);

async function declare(port: number, n: number): Promise<void> {
  const responseUrl = slack!.createResponseUrl({ channel: 'C0GENERAL' });
  const body = slashCommandBody({ text: `declare sev2 payments Card payments failing in region ${n}`, userId: USERS.alice, channelId: 'C0GENERAL', responseUrl, triggerId: slack!.issueTriggerId() });
  const response = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body, headers: signedHeaders(SIGNING_SECRET, body, 'application/x-www-form-urlencoded') });
  expect(response.status).toBe(200);
}

/** How many DMs to this person name each incident (`INC-n`). */
function pagesPerIncident(userId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of slack!.state.dmsWith(userId)) {
    const ref = /INC-\d+/.exec(message.text)?.[0];
    if (ref) counts.set(ref, (counts.get(ref) ?? 0) + 1);
  }
  return counts;
}

/** The alerts that nobody acknowledged, by incident and by where (its channel, the incidents channel). */
function alertsPerIncident(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of slack!.calls('chat.postMessage')) {
    const ref = /Nobody has acknowledged (INC-\d+)/.exec(typeof call.args.text === 'string' ? call.args.text : '')?.[1];
    const where = call.args.channel === INCIDENTS_CHANNEL ? 'incidents channel' : 'own channel';
    if (ref && call.ok) counts.set(`${ref} ${where}`, (counts.get(`${ref} ${where}`) ?? 0) + 1);
  }
  return counts;
}

describe('three instances on one Postgres', () => {
  it('finish a hundred escalations once each after one of them is killed in the middle', { timeout: 180_000 }, async () => {
    slack = await startFakeSlack({
      scopes: manifestBotScopes(),
      users: [{ id: USERS.alice, name: 'alice' }, { id: USERS.bob, name: 'bob' }, { id: USERS.carol, name: 'carol' }],
      channels: [{ id: 'C0GENERAL', name: 'general', members: [USERS.alice] }, { id: INCIDENTS_CHANNEL, name: 'incidents', members: [USERS.alice] }],
    });
    scratch = await scratchDatabase();
    dir = mkdtempSync(join(tmpdir(), 'klaxon-instances-'));
    writeFileSync(join(dir, 'klaxon.yml'), yml);
    const env = { ...childAppEnv(slack, dir), KLAXON_DB: scratch.url };
    // Started together: one migrates while the others wait for it.
    apps = await Promise.all([0, 1, 2].map(() => startChildApp(env)));

    // A load balancer spreads the declarations over the three.
    for (let n = 1; n <= INCIDENTS; n += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => declare(apps[(n + i) % 3]!.port, n + i)));
    }
    // In the middle of the escalations: some level 1 pages out, none of level 2 yet.
    await waitFor(() => pagesPerIncident(USERS.bob).size >= INCIDENTS / 4 || undefined, 'a quarter of the level 1 pages', 60_000);
    expect(pagesPerIncident(USERS.carol).size).toBe(0);
    await apps[0]!.kill('SIGKILL');
    apps[0] = undefined;
    const killedAt = Date.now();

    const progress = () => `${pagesPerIncident(USERS.bob).size} incidents paged at level 1, ${pagesPerIncident(USERS.carol).size} at level 2, ${alertsPerIncident().size} alerts`;
    const done = () => pagesPerIncident(USERS.bob).size === INCIDENTS && pagesPerIncident(USERS.carol).size === INCIDENTS && alertsPerIncident().size === 2 * INCIDENTS;
    await waitFor(() => done() || undefined, 'every page and alert', 2 * LEVEL_TIMEOUT_S * 1000 + TAKEOVER_BOUND_MS + CATCH_UP_MS + 30_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${progress()}`);
    });
    const finishedAfterMs = Date.now() - killedAt;

    const channels = slack.calls('conversations.create').filter((c) => c.ok).map((c) => c.args.name);
    expect(new Set(channels).size).toBe(INCIDENTS);
    expect(channels).toHaveLength(INCIDENTS);
    for (const counts of [pagesPerIncident(USERS.bob), pagesPerIncident(USERS.carol), alertsPerIncident()]) {
      expect([...counts].filter(([, count]) => count !== 1)).toEqual([]);
    }
    // Whatever the killed instance held was taken over within the promised bound (plus the catching up).
    expect(finishedAfterMs).toBeLessThan(2 * LEVEL_TIMEOUT_S * 1000 + TAKEOVER_BOUND_MS + CATCH_UP_MS);
  });
});
