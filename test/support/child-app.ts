/** Klaxon as a real child process (the build `npm start` runs), for tests that kill it and start it again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FakeSlack } from '../../src/simulator/slack/index.ts';
import { INCIDENTS_CHANNEL, SIGNING_SECRET } from './harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildApp {
  port: number;
  process: ChildProcess;
  logs: string[];
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * What Klaxon needs to run against `slack` with its files in `dir`: klaxon.db, klaxon.yml (when a test writes
 * one) and no runbooks. Info logs, which carry the "klaxon is listening" line startChildApp waits for.
 */
export function childAppEnv(slack: Pick<FakeSlack, 'botToken' | 'url'>, dir: string): Record<string, string> & { KLAXON_DB: string } {
  return {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    PORT: '0',
    KLAXON_DB: join(dir, 'klaxon.db'),
    KLAXON_CONFIG: join(dir, 'klaxon.yml'),
    RUNBOOKS_DIR: join(dir, 'runbooks'),
    INCIDENTS_CHANNEL,
    LOG_LEVEL: 'info',
  };
}

/**
 * Starts `command` (by default Klaxon's build, dist/main.js, which the tests' global set-up brings up to date)
 * and resolves once it logs the port it listens on.
 */
export async function startChildApp(env: Record<string, string>, command: string[] = [process.execPath, 'dist/main.js']): Promise<ChildApp> {
  const [file, ...args] = command;
  const child = spawn(file!, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Klaxon did not start:\n${logs.join('\n')}`)), 15_000);
    createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === 'klaxon is listening' && entry.port) {
        clearTimeout(timer);
        resolve(entry.port);
      }
    });
    void exited.then((code) => reject(new Error(`Klaxon exited with ${code}:\n${logs.join('\n')}`)));
  });
  return {
    port,
    process: child,
    logs,
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      return exited;
    },
  };
}
