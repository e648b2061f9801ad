/**
 * What every `npx klaxon` command shares, through runCli: `--help` and `help <command>`, one-line usage errors
 * with exit 2 and a pointer to the usage, and the help text listing every command with its synopsis.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, runCli } from '../../../src/cli/commands.ts';

const NOW = Date.parse('2026-03-30T08:00:00Z');
// Nothing here may reach a file: the paths do not exist.
const env = { KLAXON_CONFIG: '/nonexistent/klaxon.yml', KLAXON_DB: '/nonexistent/klaxon.db', RUNBOOKS_DIR: '/nonexistent/runbooks' };
const cli = (...argv: string[]) => runCli(argv, env, NOW);

describe('every command', () => {
  it('is listed with its synopsis, and the closing note holds for each', async () => {
    const usage = await cli('help');
    expect(usage.code).toBe(0);
    expect(await cli()).toEqual(usage);
    expect(await cli('--help')).toEqual(usage);
    const lines = usage.out.split('\n');
    expect(lines[0]).toBe('Usage: npx klaxon <command>');
    for (const name of COMMAND_NAMES) expect(lines.some((line) => line.startsWith(`  ${name}`))).toBe(true);
    expect(lines).toContain('Every command takes --help, and --json to print its result as JSON for scripts; errors stay one line on stderr.');
    expect(COMMAND_NAMES).toEqual(expect.arrayContaining(['rota check', 'oncall', 'page-trace', 'runbooks check', 'export', 'config check', 'audit', 'db backup', 'db check', 'db migrate']));
  });

  it.each(COMMAND_NAMES)('%s: --help, -h and help print its usage, which offers --json', async (name) => {
    const words = name.split(' ');
    const help = await cli(...words, '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(new RegExp(`^Usage: npx klaxon ${name} `));
    expect(help.out).toContain('--json');
    expect(await cli(...words, '-h')).toEqual(help);
    expect(await cli('help', ...words)).toEqual(help);
    // Asking for help wins over a mistake on the same line.
    expect(await cli(...words, '--no-such-flag', '--help')).toEqual(help);
  });

  it.each(COMMAND_NAMES)('%s: an unknown flag is exit 2 and one line pointing at its usage', async (name) => {
    expect(await cli(...name.split(' '), '--no-such-flag')).toEqual({ code: 2, out: `klaxon: ${name}: unknown option "--no-such-flag"; see npx klaxon ${name} --help` });
  });
});

describe('usage errors', () => {
  it('names missing and extra arguments and flags given a value', async () => {
    expect(await cli('db', 'backup')).toEqual({ code: 2, out: 'klaxon: db backup: missing <file>; see npx klaxon db backup --help' });
    expect(await cli('export')).toEqual({ code: 2, out: 'klaxon: export: missing <incident>; see npx klaxon export --help' });
    expect(await cli('db', 'migrate', 'extra')).toEqual({ code: 2, out: 'klaxon: db migrate: unexpected argument "extra"; see npx klaxon db migrate --help' });
    expect(await cli('config', 'check', 'a.yml', 'b.yml')).toEqual({ code: 2, out: 'klaxon: config check: unexpected argument "b.yml"; see npx klaxon config check --help' });
    expect(await cli('db', 'check', '--json=yes')).toEqual({ code: 2, out: 'klaxon: db check: --json takes no value; see npx klaxon db check --help' });
    expect(await cli('audit', '--since')).toEqual({ code: 2, out: 'klaxon: audit: --since needs a value; see npx klaxon audit --help' });
  });

  it('refuses an option given twice, naming it, instead of keeping one of the two values', async () => {
    expect(await cli('oncall', '--at', '2026-03-30T09:00', '--at', '2026-04-06T09:00')).toEqual({ code: 2, out: 'klaxon: oncall: --at given twice ("2026-03-30T09:00", then "2026-04-06T09:00"); give it once; see npx klaxon oncall --help' });
    expect(await cli('page-trace', 'payments', '--at=2026-03-30T09:00', '--at', '2026-03-30T09:00')).toEqual({ code: 2, out: 'klaxon: page-trace: --at given twice ("2026-03-30T09:00", then "2026-03-30T09:00"); give it once; see npx klaxon page-trace --help' });
    expect(await cli('export', 'INC-1', '--format', 'md', '--format', 'json')).toEqual({ code: 2, out: 'klaxon: export: --format given twice ("md", then "json"); give it once; see npx klaxon export --help' });
    expect(await cli('audit', '--since', '7d', '--actor', 'U01ALICE', '--since', '30d')).toEqual({ code: 2, out: 'klaxon: audit: --since given twice ("7d", then "30d"); give it once; see npx klaxon audit --help' });
  });

  it('points at the usage for a malformed value too', async () => {
    expect(await cli('export', 'INC-x')).toEqual({ code: 2, out: 'klaxon: export: "INC-x" is not an incident such as INC-42; see npx klaxon export --help' });
    expect(await cli('export', 'INC-1', '--format', 'pdf')).toEqual({ code: 2, out: 'klaxon: export: --format must be md, html or json, not "pdf"; see npx klaxon export --help' });
    expect(await cli('audit', '--actor', 'bob')).toEqual({ code: 2, out: 'klaxon: audit: --actor must be a Slack user ID such as U01ALICE, not "bob"; see npx klaxon audit --help' });
  });

  it('answers an unknown command, a missing or unknown sub-command and help for nothing in one line', async () => {
    expect(await cli('frobnicate', '--json')).toEqual({ code: 2, out: 'klaxon: unknown command "frobnicate"; see npx klaxon help' });
    expect(await cli('db')).toEqual({ code: 2, out: 'klaxon: db: missing sub-command (backup, check, copy or migrate); see npx klaxon db --help' });
    expect(await cli('db', '--json')).toEqual({ code: 2, out: 'klaxon: db: missing sub-command (backup, check, copy or migrate); see npx klaxon db --help' });
    expect(await cli('db', 'restore')).toEqual({ code: 2, out: 'klaxon: db: unknown sub-command "restore" (backup, check, copy or migrate); see npx klaxon db --help' });
    expect(await cli('rota')).toEqual({ code: 2, out: 'klaxon: rota: missing sub-command (check); see npx klaxon rota --help' });
    expect(await cli('help', 'nope')).toEqual({ code: 2, out: 'klaxon: help: no command "nope"; see npx klaxon help' });
    expect(await cli('help', 'db', 'migrate', 'now')).toEqual({ code: 2, out: 'klaxon: help: no command "db migrate now"; see npx klaxon help' });
  });

  it('explains every command of a group for `db --help` and `help db`', async () => {
    const group = await cli('db', '--help');
    expect(group.code).toBe(0);
    expect(group.out.split('\n').filter((line) => line.startsWith('Usage: '))).toEqual(['Usage: npx klaxon db backup <file> [--json]', 'Usage: npx klaxon db check [file] [--json]', 'Usage: npx klaxon db copy <from> <to> [--json]', 'Usage: npx klaxon db migrate [--json]']);
    expect(await cli('help', 'db')).toEqual(group);
    expect(await cli('help', 'help')).toEqual(await cli('help'));
  });
});
