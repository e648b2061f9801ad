#!/usr/bin/env node
/**
 * Start to healthy: starts Klaxon on a new SQLite file, asks GET /healthz every 10 ms until it answers 200, then
 * stops it, and prints the time that took. Plain JavaScript run by node, so that the measuring adds no start-up
 * of its own; time whole runs of it from outside to compare two ways of starting.
 *
 *   node bench/start-to-healthy.mjs                               the build (dist/main.js), as npm start runs it
 *   node bench/start-to-healthy.mjs node --import tsx src/main.ts  any other command that starts Klaxon
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const command = process.argv.length > 2 ? process.argv.slice(2) : [process.execPath, 'dist/main.js'];
const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), 'klaxon-start-'));
const started = performance.now();
const child = spawn(command[0], command.slice(1), {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    KLAXON_DB: join(dir, 'klaxon.db'),
    KLAXON_CONFIG: join(dir, 'klaxon.yml'),
    RUNBOOKS_DIR: join(dir, 'runbooks'),
    SLACK_BOT_TOKEN: 'xoxb-start-to-healthy',
    SLACK_SIGNING_SECRET: 'start-to-healthy',
    // Nothing listens there: Klaxon is healthy without Slack (it says Slack is unreachable).
    SLACK_API_URL: `http://127.0.0.1:${await freePort()}/api/`,
    LOG_LEVEL: 'error',
  },
});
const deadline = Date.now() + 30_000;
for (;;) {
  if (Date.now() > deadline) fail('not healthy within 30 s');
  if (child.exitCode !== null) fail(`exited with ${child.exitCode}`);
  const status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
  if (status === 200) break;
  await new Promise((resolve) => setTimeout(resolve, 10));
}
console.log(`healthy after ${Math.round(performance.now() - started)} ms`);
await stop();

async function stop() {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
}

function fail(message) {
  console.error(`start-to-healthy: ${message}`);
  child.kill('SIGKILL');
  process.exit(1);
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
