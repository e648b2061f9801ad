/** The operator CLI's commands: argv in, exit code and text out. */
import { DEFAULT_CONFIG_FILE, DEFAULT_DB_FILE, loadKlaxonFile } from '../core/config.ts';
import { openDatabase } from '../core/db.ts';

const USAGE = `Usage: npx klaxon <command>

Commands:
  db migrate      create the database (KLAXON_DB, default ${DEFAULT_DB_FILE}) or bring it up to date
  config check    validate klaxon.yml (KLAXON_CONFIG, default ${DEFAULT_CONFIG_FILE})
  help            this text`;

export function runCli(argv: string[], env: Record<string, string | undefined>): { code: number; out: string } {
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
  if (command === '' || command === 'help' || command === '--help' || command === '-h') return { code: 0, out: USAGE };
  return { code: 2, out: `klaxon: unknown command "${command}"\n\n${USAGE}` };
}
