/**
 * The operator CLI's commands: argv in, exit code and text out. One table lists every command with its usage
 * line; `help` and the unknown-command answer are generated from it. Each command lives in its own file, loaded
 * only when it runs or its usage is asked for: a command starts without the others' modules (the database's
 * driver, the Markdown renderer, the Slack client).
 */
import { DEFAULT_CONFIG_FILE, DEFAULT_DB_FILE } from '../core/config.ts';
import type { CliResult } from './args.ts';
import { columns, type Env } from './context.ts';

export type { CliResult } from './args.ts';

interface Command {
  /** The words that name it: `rota check`. */
  name: string;
  /** Its line in `npx klaxon help`. */
  synopsis: string;
  summary: string;
  /** Its module, imported: its usage text and what runs it. */
  load: () => Promise<LoadedCommand>;
}

interface LoadedCommand {
  usage: string;
  run: (argv: readonly string[], env: Env, now: number) => CliResult | Promise<CliResult>;
}

const COMMANDS: readonly Command[] = [
  { name: 'rota check', synopsis: 'rota check [file] [--at TIME]', summary: 'validate klaxon.yml and report coverage gaps and load over the next 12 weeks', load: () => import('./rota-check.ts').then((m) => ({ usage: m.ROTA_CHECK_USAGE, run: m.rotaCheck })) },
  { name: 'oncall', synopsis: 'oncall [service] [--at TIME]', summary: 'who is on call (now or at TIME) at each escalation level of each service', load: () => import('./oncall.ts').then((m) => ({ usage: m.ONCALL_USAGE, run: m.oncall })) },
  { name: 'page-trace', synopsis: 'page-trace <service> [--at TIME]', summary: 'every step an unacknowledged incident for the service would page, and when', load: () => import('./page-trace.ts').then((m) => ({ usage: m.PAGE_TRACE_USAGE, run: m.pageTrace })) },
  { name: 'alerts', synopsis: 'alerts', summary: 'the open alerts from monitoring (firing or acknowledged), newest first', load: () => import('./alerts.ts').then((m) => ({ usage: m.ALERTS_USAGE, run: m.alertsList })) },
  { name: 'alerts test', synopsis: 'alerts test <integration> [--at TIME]', summary: 'a dry run: where an integration\'s alert would go and whom it would page', load: () => import('./alerts-test.ts').then((m) => ({ usage: m.ALERTS_TEST_USAGE, run: m.alertsTest })) },
  { name: 'runbooks check', synopsis: 'runbooks check [dir] [--at TIME]', summary: 'validate the runbooks\' front matter and report the stale ones', load: () => import('./runbooks-check.ts').then((m) => ({ usage: m.RUNBOOKS_CHECK_USAGE, run: m.runbooksCheck })) },
  { name: 'export', synopsis: 'export INC-n [--format md|html|json]', summary: 'write an incident\'s post-mortem (or its timeline) out of the database', load: () => import('./export.ts').then((m) => ({ usage: m.EXPORT_USAGE, run: m.exportIncident })) },
  { name: 'config check', synopsis: 'config check [file]', summary: `validate klaxon.yml (KLAXON_CONFIG, default ${DEFAULT_CONFIG_FILE})`, load: () => import('./config-check.ts').then((m) => ({ usage: m.CONFIG_CHECK_USAGE, run: m.configCheck })) },
  { name: 'audit', synopsis: 'audit [--since 7d] [--actor U…]', summary: 'who did what: the audit log', load: () => import('./audit.ts').then((m) => ({ usage: m.AUDIT_USAGE, run: m.auditLog })) },
  { name: 'stats', synopsis: 'stats [--period 30d] [--service ID]', summary: 'MTTA, MTTR, post-mortems, problem tickets, on-call load; --chart FILE.png', load: () => import('./stats.ts').then((m) => ({ usage: m.STATS_USAGE, run: m.stats })) },
  { name: 'db backup', synopsis: 'db backup <file>', summary: 'a consistent copy of the live SQLite database (Postgres: use pg_dump)', load: () => import('./db-commands.ts').then((m) => ({ usage: m.DB_BACKUP_USAGE, run: m.dbBackup })) },
  { name: 'db check', synopsis: 'db check [file]', summary: 'SQLite integrity and foreign-key checks; on Postgres, that it is fully migrated', load: () => import('./db-commands.ts').then((m) => ({ usage: m.DB_CHECK_USAGE, run: m.dbCheck })) },
  { name: 'db copy', synopsis: 'db copy <from> <to>', summary: 'move a whole database from SQLite to Postgres or back, every row checked', load: () => import('./db-commands.ts').then((m) => ({ usage: m.DB_COPY_USAGE, run: m.dbCopy })) },
  { name: 'db migrate', synopsis: 'db migrate', summary: `create the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) or bring it up to date`, load: () => import('./db-commands.ts').then((m) => ({ usage: m.DB_MIGRATE_USAGE, run: m.dbMigrate })) },
];

const USAGE = [
  'Usage: npx klaxon <command>',
  '',
  'Commands:',
  ...columns([...COMMANDS.map((c) => [c.synopsis, c.summary]), ['help [command]', 'this text, or a command\'s usage (also: npx klaxon <command> --help)']]).map((line) => `  ${line}`),
  '',
  'Every command takes --help, and --json to print its result as JSON for scripts; errors stay one line on stderr.',
  `KLAXON_DB (default ${DEFAULT_DB_FILE}) is a SQLite file or a postgres:// URL; only db migrate and db copy create or migrate it.`,
  'rota check, config check, runbooks check, page-trace and alerts test take --strict (exit 1 on any warning).',
  'Exit status: 0 done, 1 failed (the one line says why), 2 usage error.',
].join('\n');

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h';

/** The command argv names (its first one or two words; the longer name wins: `alerts test` over `alerts`), and the arguments after them. */
function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  let found: { command: Command; rest: readonly string[] } | undefined;
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word) && (found === undefined || argv.length - found.rest.length < words.length)) found = { command, rest: argv.slice(words.length) };
  }
  return found;
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
  if (found) return (await found.command.load()).run(found.rest, env, now);
  const group = groupOf(argv[0]);
  if (group.length === 0) return { code: 2, out: `klaxon: unknown command ${JSON.stringify(argv[0])}; see npx klaxon help` };
  if (isHelp(argv[1])) return { code: 0, out: await usagesOf(group) };
  const subs = group.map((c) => c.name.split(' ')[1]!);
  const choices = subs.length === 1 ? subs[0]! : `${subs.slice(0, -1).join(', ')} or ${subs.at(-1)!}`;
  const sub = argv[1];
  const what = sub === undefined || sub.startsWith('-') ? 'missing sub-command' : `unknown sub-command ${JSON.stringify(sub)}`;
  return { code: 2, out: `klaxon: ${argv[0]}: ${what} (${choices}); see npx klaxon ${argv[0]} --help` };
}

/** The usage of each command, one after another. */
async function usagesOf(commands: readonly Command[]): Promise<string> {
  return (await Promise.all(commands.map(async (c) => (await c.load()).usage))).join('\n\n');
}

/** `npx klaxon help <command>`: its usage; for the first word of several (`db`), the usage of each. */
async function helpFor(asked: string): Promise<CliResult> {
  if (asked === 'help') return { code: 0, out: USAGE };
  const command = COMMANDS.find((c) => c.name === asked);
  const usage = command ? (await command.load()).usage : (await usagesOf(groupOf(asked))) || undefined;
  return usage ? { code: 0, out: usage } : { code: 2, out: `klaxon: help: no command ${JSON.stringify(asked)}; see npx klaxon help` };
}

/**
 * Runs the commands that only read klaxon.yml (`configFile`: the example) and prints nothing: the build calls
 * this before it makes the bundle's V8 code cache, so that the code they run (YAML, the schema's checks, the
 * rota engine) is compiled into the cache, not compiled again at every start. Modules they do not import stay
 * out of the cache, as they stay out of the process: the database commands, say, compile theirs when they run.
 */
export async function warmUpCommands(configFile: string): Promise<void> {
  const env = { KLAXON_CONFIG: configFile };
  const oncall = await runCli(['oncall', '--no-db', '--json'], env);
  const services = oncall.code === 0 ? (JSON.parse(oncall.out) as { services: { id: string }[] }).services : [];
  for (const argv of [['oncall', '--no-db'], ['rota', 'check'], ['config', 'check'], ...services.slice(0, 1).map((s) => ['page-trace', s.id, '--no-db']), ['help']]) await runCli(argv, env);
}
