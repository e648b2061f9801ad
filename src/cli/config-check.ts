/** `npx klaxon config check [file]`: validates klaxon.yml as the bot does at start and counts what it defines. */
import { DEFAULT_CONFIG_FILE } from '../core/config.ts';
import { runCommand, type CliResult } from './args.ts';
import { configFileOf, loadConfig, plural, type Env } from './context.ts';

export const CONFIG_CHECK_USAGE = `Usage: npx klaxon config check [file] [--json]

Validates klaxon.yml (file, else KLAXON_CONFIG, else ${DEFAULT_CONFIG_FILE}) as the bot does at start and counts
what it defines. npx klaxon rota check also reports coverage and load.

Options:
  --json  print {"file", "valid", "counts": {"services", "schedules", "escalationPolicies"}}

Exit status: 0 valid, 1 missing, unreadable or invalid (one line: file: path: reason), 2 usage error.`;

export function configCheck(argv: readonly string[], env: Env): CliResult {
  return runCommand(argv, { command: 'config check', flags: ['json'], positionals: ['file?'] }, CONFIG_CHECK_USAGE, (args) => {
    const file = configFileOf(env, args.positionals[0]);
    const config = loadConfig(file);
    const counts = { services: config.services.length, schedules: config.schedules.length, escalationPolicies: config.escalation_policies.length };
    if (args.flags.has('json')) return { code: 0, out: JSON.stringify({ file, valid: true, counts }, null, 2) };
    return {
      code: 0,
      out: `${file}: ok (${plural(counts.services, 'service')}, ${plural(counts.schedules, 'schedule')}, ${plural(counts.escalationPolicies, 'escalation policy', 'escalation policies')})`,
    };
  });
}
