/**
 * `npm start`'s process on Linux: the main thread answers Slack at the priority it was started with; every other
 * thread (the job worker, V8's and libuv's) runs at nice 10 under SCHED_BATCH, so none takes the CPU from it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../../src/simulator/slack/index.ts';
import { childAppEnv, startChildApp } from '../support/child-app.ts';

const SCHED_OTHER = 0;
const SCHED_BATCH = 3;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Each thread's nice value and scheduling policy, from /proc/<pid>/task/<tid>/stat. */
function threadsOf(pid: number): { tid: number; nice: number; policy: number }[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: field 3 is the first.
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return { tid: Number(tid), nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
  });
}

// Skipped off Linux: only there does Klaxon set per-thread priorities, and only there is /proc to read them from.
describe.skipIf(process.platform !== 'linux')('thread priorities (Linux only: elsewhere threads keep what they have)', () => {
  it('keeps the main thread as started and puts every other thread at nice 10 under SCHED_BATCH', async () => {
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    const dir = mkdtempSync(join(tmpdir(), 'klaxon-threads-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const app = await startChildApp(childAppEnv(slack, dir));
    cleanups.push(async () => void (await app.kill()));
    const pid = app.process.pid!;

    // Priorities are set just after Klaxon says it listens.
    await expect.poll(() => threadsOf(pid).filter((t) => t.tid !== pid), { timeout: 10_000 }).toSatisfy((others: { nice: number; policy: number }[]) => others.length > 1 && others.every((t) => t.nice === 10 && t.policy === SCHED_BATCH));
    expect(threadsOf(pid).find((t) => t.tid === pid)).toMatchObject({ nice: getPriority(), policy: SCHED_OTHER });
  });
});
