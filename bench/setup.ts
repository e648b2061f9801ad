/** What the load benchmarks share: where processes run, the fake Slack they talk to, and percentiles. */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startFakeSlack, type FakeSlack } from '../src/simulator/slack/index.ts';
import { manifestBotScopes } from '../test/support/manifest.ts';

export const BENCH_SECRET = 'bench-signing-secret';

/** split: servers on CPU 1, load on CPU 0 (when taskset exists); shared: no pinning. */
export function cpuPlacement(mode: string | undefined): { pinned: boolean; onCpu: (cpu: number, command: string[]) => string[] } {
  const pinned = mode === 'split' && spawnSync('taskset', ['--version']).status === 0;
  return { pinned, onCpu: (cpu, command) => (pinned ? ['taskset', '-c', String(cpu), ...command] : command) };
}

/**
 * The fake Slack at zero latency, with Alice, #general and #incidents. Its bot token is its own: another Klaxon on
 * the machine (a test suite's) whose fake Slack has gone may call the port this one now has, and is refused.
 */
export function startBenchSlack(): Promise<FakeSlack> {
  return startFakeSlack({
    botToken: `xoxb-bench-${randomBytes(8).toString('hex')}`,
    scopes: manifestBotScopes(),
    users: [{ id: 'U01ALICE', name: 'alice' }],
    channels: [{ id: 'C0GENERAL', name: 'general', members: ['U01ALICE'] }, { id: 'C0INCIDENTS', name: 'incidents', members: ['U01ALICE'] }],
  });
}

/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;
}
