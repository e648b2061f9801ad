/** The operator CLI's commands: argv in, exit code and text out. Each command lives in its own file. */
import { DEFAULT_CONFIG_FILE, DEFAULT_DB_FILE, loadKlaxonFile } from '../core/config.ts';
import { openDatabase } from '../core/db.ts';
import type { CliResult } from './args.ts';
import { oncall, ONCALL_USAGE } from './oncall.ts';
import { pageTrace, PAGE_TRACE_USAGE } from './page-trace.ts';
import { rotaCheck, ROTA_CHECK_USAGE } from './rota-check.ts';

export type { CliResult } from './args.ts';

const USAGE = `Usage: npx klaxon <command>

Commands:
  rota check [file]                 validate klaxon.yml and report coverage gaps and load over the next 12 weeks
  oncall [service] [--at TIME]      who is on call (now or at TIME) at each escalation level of each service
  page-trace <service> [--at TIME]  every step an unacknowledged incident for the service would page, and when
  config check                      validate klaxon.yml (KLAXON_CONFIG, default ${DEFAULT_CONFIG_FILE})
  db migrate                        create the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) or bring it up to date
  help [command]                    this text, or a command's usage (also: npx klaxon <command> --help)

rota check, oncall and page-trace take --json; rota check and page-trace take --strict (exit 1 on any warning).`;

const DB_MIGRATE_USAGE = `Usage: npx klaxon db migrate

Creates the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) or applies the migrations it lacks.`;

const CONFIG_CHECK_USAGE = `Usage: npx klaxon config check

Validates klaxon.yml (KLAXON_CONFIG, default ${DEFAULT_CONFIG_FILE}) and counts what it defines.
npx klaxon rota check also reports coverage and load.`;

const HELP: Record<string, string> = {
  'rota check': ROTA_CHECK_USAGE,
  rota: ROTA_CHECK_USAGE,
  oncall: ONCALL_USAGE,
  'page-trace': PAGE_TRACE_USAGE,
  'db migrate': DB_MIGRATE_USAGE,
  db: DB_MIGRATE_USAGE,
  'config check': CONFIG_CHECK_USAGE,
  config: CONFIG_CHECK_USAGE,
};

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h';

export function runCli(argv: string[], env: Record<string, string | undefined>, now: number = Date.now()): CliResult {
  const [first, second] = argv;
  if (first === 'help' && argv.length > 1) {
    const usage = HELP[argv.slice(1).join(' ')];
    return usage ? { code: 0, out: usage } : { code: 2, out: `klaxon: no command "${argv.slice(1).join(' ')}"\n\n${USAGE}` };
  }
  if (first === 'rota' && second === 'check') return rotaCheck(argv.slice(2), env, now);
  if (first === 'rota' && isHelp(second)) return { code: 0, out: ROTA_CHECK_USAGE };
  if (first === 'rota' && second === undefined) return { code: 2, out: 'klaxon: rota: missing sub-command: npx klaxon rota check [file]' };
  if (first === 'oncall') return oncall(argv.slice(1), env, now);
  if (first === 'page-trace') return pageTrace(argv.slice(1), env, now);
  for (const command of ['db migrate', 'config check']) {
    const words = command.split(' ').length;
    if (argv.slice(0, words).join(' ') === command && argv.length > words && argv.slice(words).some(isHelp)) return { code: 0, out: HELP[command]! };
  }
  const command = argv.join(' ');
  if (command === 'db migrate') {
    const file = env.KLAXON_DB || DEFAULT_DB_FILE;
    const database = openDatabase(file);
    database.close();
    return { code: 0, out: `${file}: migrated` };
  }
  if (command === 'config check') {
    const file = env.KLAXON_CONFIG || DEFAULT_CONFIG_FILE;
    const { config, missing } = loadKlaxonFile(file);
    if (missing) return { code: 1, out: `${file}: not found` };
    return { code: 0, out: `${file}: ok (${config.services.length} services, ${config.schedules.length} schedules, ${config.escalation_policies.length} escalation policies)` };
  }
  if (command === '' || command === 'help' || isHelp(command)) return { code: 0, out: USAGE };
  return { code: 2, out: `klaxon: unknown command "${command}"\n\n${USAGE}` };
}
