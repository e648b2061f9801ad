/**
 * The operator CLI's commands: argv in, exit code and text out. One table lists every command with its usage
 * line; `help` and the unknown-command answer are generated from it. Each command lives in its own file.
 */
import { DEFAULT_CONFIG_FILE, DEFAULT_DB_FILE, loadKlaxonFile } from '../core/config.ts';
import { openDatabase } from '../core/db.ts';
import { runCommand, type CliResult } from './args.ts';
import type { Env } from './context.ts';
import { auditLog, AUDIT_USAGE } from './audit.ts';
import { dbBackup, dbCheck, DB_BACKUP_USAGE, DB_CHECK_USAGE } from './db-commands.ts';
import { exportIncident, EXPORT_USAGE } from './export.ts';
import { oncall, ONCALL_USAGE } from './oncall.ts';
import { pageTrace, PAGE_TRACE_USAGE } from './page-trace.ts';
import { rotaCheck, ROTA_CHECK_USAGE } from './rota-check.ts';
import { runbooksCheck, RUNBOOKS_CHECK_USAGE } from './runbooks-check.ts';

export type { CliResult } from './args.ts';

interface Command {
  /** The words that name it: `rota check`. */
  name: string;
  /** Its line in `npx klaxon help`. */
  synopsis: string;
  summary: string;
  usage: string;
  run: (argv: readonly string[], env: Env, now: number) => CliResult;
}

const DB_MIGRATE_USAGE = `Usage: npx klaxon db migrate

Creates the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) or applies the migrations it lacks.`;

const CONFIG_CHECK_USAGE = `Usage: npx klaxon config check

Validates klaxon.yml (KLAXON_CONFIG, default ${DEFAULT_CONFIG_FILE}) and counts what it defines.
npx klaxon rota check also reports coverage and load.`;

const COMMANDS: readonly Command[] = [
  { name: 'rota check', synopsis: 'rota check [file]', summary: 'validate klaxon.yml and report coverage gaps and load over the next 12 weeks', usage: ROTA_CHECK_USAGE, run: rotaCheck },
  { name: 'oncall', synopsis: 'oncall [service] [--at TIME]', summary: 'who is on call (now or at TIME) at each escalation level of each service', usage: ONCALL_USAGE, run: oncall },
  { name: 'page-trace', synopsis: 'page-trace <service> [--at TIME]', summary: 'every step an unacknowledged incident for the service would page, and when', usage: PAGE_TRACE_USAGE, run: pageTrace },
  { name: 'runbooks check', synopsis: 'runbooks check [dir]', summary: 'validate the runbooks\' front matter and report the stale ones', usage: RUNBOOKS_CHECK_USAGE, run: runbooksCheck },
  { name: 'export', synopsis: 'export INC-n [--format md|html|json]', summary: 'write an incident\'s post-mortem (or its timeline) out of the database', usage: EXPORT_USAGE, run: exportIncident },
  { name: 'config check', synopsis: 'config check', summary: `validate klaxon.yml (KLAXON_CONFIG, default ${DEFAULT_CONFIG_FILE})`, usage: CONFIG_CHECK_USAGE, run: configCheck },
  { name: 'audit', synopsis: 'audit [--since 7d] [--actor U…]', summary: 'who did what: the audit log', usage: AUDIT_USAGE, run: auditLog },
  { name: 'db backup', synopsis: 'db backup <file>', summary: 'a consistent copy of the live database', usage: DB_BACKUP_USAGE, run: dbBackup },
  { name: 'db check', synopsis: 'db check [file]', summary: 'SQLite integrity and foreign-key checks', usage: DB_CHECK_USAGE, run: dbCheck },
  { name: 'db migrate', synopsis: 'db migrate', summary: `create the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) or bring it up to date`, usage: DB_MIGRATE_USAGE, run: dbMigrate },
];

const USAGE = [
  'Usage: npx klaxon <command>',
  '',
  'Commands:',
  ...[...COMMANDS.map((c) => [c.synopsis, c.summary]), ['help [command]', 'this text, or a command\'s usage (also: npx klaxon <command> --help)']].map(([synopsis, summary]) => `  ${synopsis!.padEnd(34)}${summary}`),
  '',
  'rota check, runbooks check, oncall and page-trace take --json; the checks and page-trace take --strict (exit 1 on any warning).',
].join('\n');

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h';

/** The command argv names (its first one or two words), and the arguments after them. */
function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

export function runCli(argv: readonly string[], env: Env, now: number = Date.now()): CliResult {
  if (argv.length === 0 || (argv.length === 1 && (argv[0] === 'help' || isHelp(argv[0])))) return { code: 0, out: USAGE };
  if (argv[0] === 'help') {
    const asked = argv.slice(1).join(' ');
    const usage = findCommand(argv.slice(1))?.command.usage ?? COMMANDS.find((c) => c.name.split(' ')[0] === asked)?.usage;
    return usage ? { code: 0, out: usage } : { code: 2, out: `klaxon: no command "${asked}"\n\n${USAGE}` };
  }
  const found = findCommand(argv);
  if (found) return found.command.run(found.rest, env, now);
  const group = COMMANDS.filter((c) => c.name.split(' ')[0] === argv[0] && c.name.includes(' '));
  if (group.length > 0 && (argv.length === 1 || isHelp(argv[1]))) {
    if (isHelp(argv[1])) return { code: 0, out: group.map((c) => c.usage).join('\n\n') };
    return { code: 2, out: `klaxon: ${argv[0]}: missing sub-command: ${group.map((c) => `npx klaxon ${c.synopsis}`).join(' or ')}` };
  }
  return { code: 2, out: `klaxon: unknown command "${argv.join(' ')}"\n\n${USAGE}` };
}

function dbMigrate(argv: readonly string[], env: Env): CliResult {
  return runCommand(argv, { command: 'db migrate' }, DB_MIGRATE_USAGE, () => {
    const file = env.KLAXON_DB || DEFAULT_DB_FILE;
    openDatabase(file).close();
    return { code: 0, out: `${file}: migrated` };
  });
}

function configCheck(argv: readonly string[], env: Env): CliResult {
  return runCommand(argv, { command: 'config check' }, CONFIG_CHECK_USAGE, () => {
    const file = env.KLAXON_CONFIG || DEFAULT_CONFIG_FILE;
    const { config, missing } = loadKlaxonFile(file);
    if (missing) return { code: 1, out: `${file}: not found` };
    return { code: 0, out: `${file}: ok (${config.services.length} services, ${config.schedules.length} schedules, ${config.escalation_policies.length} escalation policies)` };
  });
}
