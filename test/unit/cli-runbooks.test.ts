/** `npx klaxon runbooks check` through runCli, with a fixed "now" and a temporary runbooks directory. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { tempDir } from '../support/db.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');

const GOOD = `---
title: Payments API 5xx spike
services: [payments]
tags: [payments]
alerts: [PaymentsHigh5xxRate]
owner: Payments team
last_reviewed: 2026-10-01
---
Roll back the last deploy.
`;

let tmp: ReturnType<typeof tempDir>;
let dir: string;
let env: Record<string, string>;
beforeEach(async () => {
  tmp = tempDir();
  dir = join(tmp.dir, 'runbooks');
  mkdirSync(dir);
  writeFileSync(join(tmp.dir, 'klaxon.yml'), 'services:\n  - { id: payments, name: Payments API }\n');
  env = { KLAXON_CONFIG: join(tmp.dir, 'klaxon.yml'), RUNBOOKS_DIR: dir };
});
afterEach(() => tmp.remove());

const cli = (...argv: string[]) => runCli(argv, env, NOW);
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

describe('runbooks check', () => {
  it('passes good runbooks and shows when each was reviewed', async () => {
    write('payments-5xx-spike.md', GOOD);
    const result = await cli('runbooks', 'check');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`${dir}: 1 runbook, 0 with errors, 0 stale (services checked against`);
    expect(result.out).toMatch(/payments-5xx-spike\.md\s+ok\s+reviewed 2026-10-01 \(53 days ago\)/);
  });

  it('--at counts the days since each review up to that time, so a report can be pinned to a date', async () => {
    write('payments-5xx-spike.md', GOOD);
    expect((await cli('runbooks', 'check', '--at', '2026-12-01T09:00')).out).toMatch(/payments-5xx-spike\.md\s+ok\s+reviewed 2026-10-01 \(61 days ago\)/);
    const later = await cli('runbooks', 'check', '--at', '2027-06-01T09:00Z', '--strict');
    expect(later.code).toBe(1);
    expect(later.out).toMatch(/payments-5xx-spike\.md\s+STALE\s+reviewed 2026-10-01 \(243 days ago\)/);
    expect(await cli('runbooks', 'check', '--at', 'tomorrow')).toEqual({ code: 2, out: expect.stringMatching(/^klaxon: runbooks check: --at "tomorrow" is not a time such as 2026-03-30T09:30Z/) });
  });

  it('fails with the file, field and reason for an unknown service, a missing title and a bad date', async () => {
    write('good.md', GOOD);
    write('unknown-service.md', GOOD.replace('[payments]', '[billing]'));
    write('no-title.md', GOOD.replace('title: Payments API 5xx spike\n', ''));
    write('bad-date.md', GOOD.replace('2026-10-01', '2026-13-45'));
    write('no-front-matter.md', '# Just a heading\n');
    write('Bad Name.md', GOOD);
    const result = await cli('runbooks', 'check');
    expect(result.code).toBe(1);
    expect(result.out).toContain('services: unknown service "billing" (not in klaxon.yml)');
    expect(result.out).toContain('title: is required');
    expect(result.out).toContain('last_reviewed: "2026-13-45" is not a date such as 2026-10-01');
    expect(result.out).toContain('front matter: missing');
    expect(result.out).toContain('file name: must be lower case letters, digits and dashes');
    expect(result.out).toContain('Failing: 5 runbooks with errors.');
  });

  it('reports stale runbooks, which fail only with --strict', async () => {
    write('old.md', GOOD.replace('2026-10-01', '2026-03-02'));
    const plain = await cli('runbooks', 'check');
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/old\.md\s+STALE\s+reviewed 2026-03-02 \(266 days ago\)/);
    expect((await cli('runbooks', 'check', '--strict')).code).toBe(1);
  });

  it('flags two files with the same slug', async () => {
    mkdirSync(join(dir, 'team-a'));
    write('db.md', GOOD);
    write('team-a/db.md', GOOD);
    const result = await cli('runbooks', 'check', '--json');
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out) as { runbooks: { path: string; problems: { message: string }[] }[] };
    expect(json.runbooks.find((r) => r.path === 'team-a/db.md')!.problems.map((p) => p.message)).toEqual(['the slug "db" is taken by db.md: rename one of them']);
  });

  it('checks no services without klaxon.yml and says so; a missing directory is an error', async () => {
    write('payments-5xx-spike.md', GOOD.replace('[payments]', '[billing]'));
    env.KLAXON_CONFIG = join(tmp.dir, 'missing.yml');
    const result = await cli('runbooks', 'check');
    expect(result.code).toBe(0);
    expect(result.out).toContain('services not checked');
    expect(await cli('runbooks', 'check', join(tmp.dir, 'nowhere'))).toEqual({ code: 1, out: `klaxon: ${join(tmp.dir, 'nowhere')}: no such directory (set RUNBOOKS_DIR or pass the directory)` });
    expect(await cli('runbooks', 'check', '--bogus')).toEqual({ code: 2, out: 'klaxon: runbooks check: unknown option "--bogus"; see npx klaxon runbooks check --help' });
  });

  it('exits 1 in one line for a path that is not a directory and a malformed klaxon.yml', async () => {
    const notDir = join(tmp.dir, 'klaxon.yml');
    expect(await cli('runbooks', 'check', notDir, '--json')).toMatchObject({ code: 1, out: expect.stringMatching(/^klaxon: .*klaxon\.yml: cannot read the runbooks \(ENOTDIR: [^\n]+\)$/) });
    write('payments-5xx-spike.md', GOOD);
    writeFileSync(notDir, 'services:\n  - { id: Payments, name: Payments API }\n');
    expect(await cli('runbooks', 'check')).toEqual({ code: 1, out: `klaxon: ${notDir}: services[0].id: must be lowercase letters, digits, "-" or "_"` });
  });

  it('--json reports each runbook and the counts, and stays JSON when it fails', async () => {
    write('payments-5xx-spike.md', GOOD);
    write('old.md', GOOD.replace('2026-10-01', '2026-03-02'));
    const run = await cli('runbooks', 'check', '--json', '--strict');
    expect(run).toMatchObject({ code: 1, stdout: true });
    expect(JSON.parse(run.out)).toEqual({
      dir,
      ok: false,
      servicesChecked: true,
      runbooks: [
        expect.objectContaining({ path: 'old.md', slug: 'old', lastReviewed: '2026-03-02', daysSinceReview: 266, stale: true, problems: [] }),
        expect.objectContaining({ path: 'payments-5xx-spike.md', title: 'Payments API 5xx spike', daysSinceReview: 53, stale: false, problems: [] }),
      ],
      counts: { runbooks: 2, errors: 0, warnings: 0, stale: 1 },
    });
  });
});
