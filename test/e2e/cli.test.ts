/** `npx klaxon …` as operators run it: exit codes and one-line errors. */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/db.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

function klaxon(args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/klaxon.mjs', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', cwd: process.cwd() });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npx klaxon', () => {
  it('db migrate creates the database with every table', () => {
    const file = join(tmp.dir, 'sub', 'klaxon.db');
    const run = klaxon(['db', 'migrate'], { KLAXON_DB: file });
    expect(run).toMatchObject({ code: 0, stdout: `${file}: migrated\n` });
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    const tables = (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((t) => t.name);
    db.close();
    expect(tables).toEqual(expect.arrayContaining(['incidents', 'incident_roles', 'timeline_events', 'jobs', 'outbox']));
  });

  it('config check accepts a good file and names the path and problem in a bad one', () => {
    const file = join(tmp.dir, 'klaxon.yml');
    writeFileSync(file, 'services:\n  - id: payments\n    name: Payments\n');
    expect(klaxon(['config', 'check'], { KLAXON_CONFIG: file })).toMatchObject({ code: 0, stdout: `${file}: ok (1 services, 0 schedules, 0 escalation policies)\n` });
    writeFileSync(file, 'services:\n  - id: Payments API\n    name: Payments\n');
    const bad = klaxon(['config', 'check'], { KLAXON_CONFIG: file });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`klaxon: ${file}: services[0].id: must be lowercase letters, digits, "-" or "_"\n`);
    expect(klaxon(['config', 'check'], { KLAXON_CONFIG: join(tmp.dir, 'missing.yml') }).code).toBe(1);
  });

  it('answers help, and an unknown command with exit 2 and the usage', () => {
    expect(klaxon(['help'], {}).stdout).toContain('db migrate');
    const unknown = klaxon(['frobnicate'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^klaxon: unknown command "frobnicate"/);
  });
});

describe('npm start', () => {
  it('stops with one clear line when SLACK_BOT_TOKEN is missing or a variable is malformed', () => {
    const start = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', cwd: process.cwd() });
    const missing = start({});
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual(['klaxon: SLACK_BOT_TOKEN is not set: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) in .env or the environment; .env.example lists every variable']);
    const badPort = start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: 'abc' });
    expect(badPort.stderr.trim()).toBe('klaxon: PORT must be a whole number from 0 to 65535 (got "abc")');
    const file = join(tmp.dir, 'klaxon.yml');
    writeFileSync(file, 'services:\n  - id: payments\n    name: Payments\n    escalation_policy: nope\n');
    const badFile = start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', KLAXON_CONFIG: file, KLAXON_DB: join(tmp.dir, 'k.db') });
    expect(badFile.status).toBe(1);
    expect(badFile.stderr.trim()).toBe(`klaxon: ${file}: services[0].escalation_policy: unknown escalation policy "nope" (none are defined)`);
  });
});
