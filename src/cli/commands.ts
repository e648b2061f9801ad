/**
 * The operator CLI's commands: argv in, exit code and text out. One table lists every command with its usage
 * line; `help` and the unknown-command answer are generated from it. Each command lives in its own file.
 */
import { DEFAULT_CONFIG_FILE, DEFAULT_DB_FILE } from '../core/config.ts';
import type { CliResult } from './args.ts';
import { columns, type Env } from './context.ts';
import { auditLog, AUDIT_USAGE } from './audit.ts';
import { configCheck, CONFIG_CHECK_USAGE } from './config-check.ts';
import { dbBackup, dbCheck, dbCopy, dbMigrate, DB_BACKUP_USAGE, DB_CHECK_USAGE, DB_COPY_USAGE, DB_MIGRATE_USAGE } from './db-commands.ts';
import { exportIncident, EXPORT_USAGE } from './export.ts';
import { oncall, ONCALL_USAGE } from './oncall.ts';
import { pageTrace, PAGE_TRACE_USAGE } from './page-trace.ts';
import { rotaCheck, ROTA_CHECK_USAGE } from './rota-check.ts';
import { runbooksCheck, RUNBOOKS_CHECK_USAGE } from './runbooks-check.ts';
import { stats, STATS_USAGE } from './stats.ts';

export type { CliResult } from './args.ts';

interface Command {
  /** The words that name it: `rota check`. */
  name: string;
  /** Its line in `npx klaxon help`. */
  synopsis: string;
  summary: string;
  usage: string;
  run: (argv: readonly string[], env: Env, now: number) => CliResult | Promise<CliResult>;
}

const COMMANDS: readonly Command[] = [
  { name: 'rota check', synopsis: 'rota check [file] [--at TIME]', summary: 'validate klaxon.yml and report coverage gaps and load over the next 12 weeks', usage: ROTA_CHECK_USAGE, run: rotaCheck },
  { name: 'oncall', synopsis: 'oncall [service] [--at TIME]', summary: 'who is on call (now or at TIME) at each escalation level of each service', usage: ONCALL_USAGE, run: oncall },
  { name: 'page-trace', synopsis: 'page-trace <service> [--at TIME]', summary: 'every step an unacknowledged incident for the service would page, and when', usage: PAGE_TRACE_USAGE, run: pageTrace },
  { name: 'runbooks check', synopsis: 'runbooks check [dir] [--at TIME]', summary: 'validate the runbooks\' front matter and report the stale ones', usage: RUNBOOKS_CHECK_USAGE, run: runbooksCheck },
  { name: 'export', synopsis: 'export INC-n [--format md|html|json]', summary: 'write an incident\'s post-mortem (or its timeline) out of the database', usage: EXPORT_USAGE, run: exportIncident },
  { name: 'config check', synopsis: 'config check [file]', summary: `validate klaxon.yml (KLAXON_CONFIG, default ${DEFAULT_CONFIG_FILE})`, usage: CONFIG_CHECK_USAGE, run: configCheck },
  { name: 'audit', synopsis: 'audit [--since 7d] [--actor U…]', summary: 'who did what: the audit log', usage: AUDIT_USAGE, run: auditLog },
  { name: 'stats', synopsis: 'stats [--period 30d] [--service ID]', summary: 'MTTA, MTTR, post-mortems, problem tickets, on-call load; --chart FILE.png', usage: STATS_USAGE, run: stats },
  { name: 'db backup', synopsis: 'db backup <file>', summary: 'a consistent copy of the live SQLite database (Postgres: use pg_dump)', usage: DB_BACKUP_USAGE, run: dbBackup },
  { name: 'db check', synopsis: 'db check [file]', summary: 'SQLite integrity and foreign-key checks; on Postgres, that it is fully migrated', usage: DB_CHECK_USAGE, run: dbCheck },
  { name: 'db copy', synopsis: 'db copy <from> <to>', summary: 'move a whole database from SQLite to Postgres or back, every row checked', usage: DB_COPY_USAGE, run: dbCopy },
  { name: 'db migrate', synopsis: 'db migrate', summary: `create the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) or bring it up to date`, usage: DB_MIGRATE_USAGE, run: dbMigrate },
];

const USAGE = [
  'Usage: npx klaxon <command>',
  '',
  'Commands:',
  ...columns([...COMMANDS.map((c) => [c.synopsis, c.summary]), ['help [command]', 'this text, or a command\'s usage (also: npx klaxon <command> --help)']]).map((line) => `  ${line}`),
  '',
  'Every command takes --help, and --json to print its result as JSON for scripts; errors stay one line on stderr.',
  `KLAXON_DB (default ${DEFAULT_DB_FILE}) is a SQLite file or a postgres:// URL; only db migrate and db copy create or migrate it.`,
  'rota check, config check, runbooks check and page-trace take --strict (exit 1 on any warning).',
  'Exit status: 0 done, 1 failed (the one line says why), 2 usage error.',
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

/** The commands named by `word` and a second word: `db` gives db backup, db check, db copy and db migrate. */
function groupOf(word: string | undefined): Command[] {
  return COMMANDS.filter((c) => c.name.includes(' ') && c.name.split(' ')[0] === word);
}

/** The names every command answers to, in the order `npx klaxon help` lists them. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);

export async function runCli(argv: readonly string[], env: Env, now: number = Date.now()): Promise<CliResult> {
  if (argv.length === 0 || (argv.length === 1 && (argv[0] === 'help' || isHelp(argv[0])))) return { code: 0, out: USAGE };
  if (argv[0] === 'help') return helpFor(argv.slice(1).join(' '));
  const found = findCommand(argv);
  if (found) return found.command.run(found.rest, env, now);
  const group = groupOf(argv[0]);
  if (group.length === 0) return { code: 2, out: `klaxon: unknown command ${JSON.stringify(argv[0])}; see npx klaxon help` };
  if (isHelp(argv[1])) return { code: 0, out: group.map((c) => c.usage).join('\n\n') };
  const subs = group.map((c) => c.name.split(' ')[1]!);
  const choices = subs.length === 1 ? subs[0]! : `${subs.slice(0, -1).join(', ')} or ${subs.at(-1)!}`;
  const sub = argv[1];
  const what = sub === undefined || sub.startsWith('-') ? 'missing sub-command' : `unknown sub-command ${JSON.stringify(sub)}`;
  return { code: 2, out: `klaxon: ${argv[0]}: ${what} (${choices}); see npx klaxon ${argv[0]} --help` };
}

/** `npx klaxon help <command>`: its usage; for the first word of several (`db`), the usage of each. */
function helpFor(asked: string): CliResult {
  if (asked === 'help') return { code: 0, out: USAGE };
  const usage = COMMANDS.find((c) => c.name === asked)?.usage ?? (groupOf(asked).map((c) => c.usage).join('\n\n') || undefined);
  return usage ? { code: 0, out: usage } : { code: 2, out: `klaxon: help: no command ${JSON.stringify(asked)}; see npx klaxon help` };
}
