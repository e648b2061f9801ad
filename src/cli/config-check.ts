/**
 * `npx klaxon config check [file]`: validates klaxon.yml as the bot does at start, counts what it defines and
 * warns about what its shape makes page nobody (an empty file pages nobody, ever).
 */
import { DEFAULT_CONFIG_FILE } from '../core/config.ts';
import { runCommand, type CliResult } from './args.ts';
import { shapeWarnings, warningLines } from './config-warnings.ts';
import { configFileOf, loadConfig, plural, type Env } from './context.ts';

export const CONFIG_CHECK_USAGE = `Usage: npx klaxon config check [file] [--strict] [--json]

Validates klaxon.yml (file, else KLAXON_CONFIG, else ${DEFAULT_CONFIG_FILE}) as the bot does at start, counts
what it defines, and warns when no incident would ever page anyone (no services, or no escalation policies),
about schedules and policies nothing uses, services without a policy, and integrations whose alerts reach a
service without one (they page nobody). npx klaxon rota check also reports coverage and load, and integrations
whose alerts would find nobody on call.

Options:
  --strict  exit 1 when there is any warning (for CI)
  --json    print {"file", "valid", "ok", "counts": {"services", "schedules", "escalationPolicies"}, "warnings"}

Exit status: 0 valid, 1 missing, unreadable or invalid (one line: file: path: reason), or any warning with
--strict, 2 usage error.`;

export function configCheck(argv: readonly string[], env: Env): CliResult {
  return runCommand(argv, { command: 'config check', flags: ['json', 'strict'], positionals: ['file?'] }, CONFIG_CHECK_USAGE, (args) => {
    const file = configFileOf(env, args.positionals[0]);
    const config = loadConfig(file);
    const counts = { services: config.services.length, schedules: config.schedules.length, escalationPolicies: config.escalation_policies.length };
    const warnings = shapeWarnings(config);
    const strict = args.flags.has('strict');
    const failed = strict && warnings.length > 0;
    const code = failed ? 1 : 0;
    if (args.flags.has('json')) return { code, out: JSON.stringify({ file, valid: true, ok: !failed, counts, warnings }, null, 2), stdout: true };
    const valid = `${file}: ok (${plural(counts.services, 'service')}, ${plural(counts.schedules, 'schedule')}, ${plural(counts.escalationPolicies, 'escalation policy', 'escalation policies')})`;
    return { code, out: warnings.length === 0 ? valid : [valid, ...warningLines(warnings, strict)].join('\n'), stdout: true };
  });
}
