/**
 * The operator CLI's examples in README.md are the real output of the commands, so they stay true: each fenced
 * block starting with `$ npx klaxon …` is run as an operator would after `cp klaxon.example.yml klaxon.yml`, with
 * the example runbooks in ./runbooks and Klaxon's (empty) database in ./data, and must print the rest of the
 * block exactly. Each is run at two different "now"s, so an example that depends on today's date fails too.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { openDatabase } from '../../src/core/db.ts';
import { tempDir } from '../support/db.ts';

const ROOT = resolve(import.meta.dirname, '../..');

interface Example {
  command: string;
  output: string;
}

function readmeExamples(): Example[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```\n\$ npx klaxon (.+)\n([\s\S]*?)^```$/gm)].map((m) => ({ command: m[1]!, output: m[2]!.replace(/\n$/, '') }));
}

let tmp: ReturnType<typeof tempDir>;
const home = process.cwd();
beforeAll(async () => {
  tmp = tempDir();
  cpSync(join(ROOT, 'klaxon.example.yml'), join(tmp.dir, 'klaxon.yml'));
  cpSync(join(ROOT, 'runbooks'), join(tmp.dir, 'runbooks'), { recursive: true });
  openDatabase(join(tmp.dir, 'data', 'klaxon.db')).close();
  process.chdir(tmp.dir);
});
afterAll(async () => {
  process.chdir(home);
  tmp.remove();
});

describe("README.md's operator CLI examples", () => {
  const examples = readmeExamples();

  it('show rota check, oncall, page-trace and runbooks check', async () => {
    for (const name of ['rota check', 'oncall', 'page-trace', 'runbooks check']) expect(examples.filter((e) => `${e.command} `.startsWith(`${name} `))).not.toEqual([]);
  });

  it.each(examples.map((e) => [e.command, e] as const))('$ npx klaxon %s prints what README.md shows, whatever the date', async (_command, example) => {
    const argv = example.command.split(' ');
    for (const now of [Date.now(), Date.parse('2031-07-14T03:00:00Z')]) expect((await runCli(argv, {}, now)).out).toBe(example.output);
  });
});
