/**
 * What every operator command shares: the `{ code, out }` result, a small argument parser (`--flag`,
 * `--option value` or `--option=value`, positionals), and the failures that become one line and an exit code
 * (2 for usage errors, 1 for everything else).
 */
import { ConfigError } from '../core/errors.ts';

export interface CliResult {
  code: number;
  out: string;
  /** Print `out` on stdout even though `code` is not 0: a report whose verdict is the exit code (`--strict`). */
  stdout?: boolean;
}

/** A failure the operator should read: one line, then exit with `code`. */
export class CliFailure extends Error {
  override readonly name: string = 'CliFailure';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A missing argument, an unknown flag, a malformed value: exit 2. */
export class UsageError extends CliFailure {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(2, message);
  }
}

export interface ArgSpec {
  /** The command as typed after `npx klaxon`, e.g. `rota check`: names it in messages. */
  command: string;
  /** Boolean flags, without the dashes: `json`, `strict`, `no-db`. */
  flags?: readonly string[];
  /** Options that take a value, without the dashes: `at`. Each may be given once. */
  options?: readonly string[];
  /** Names of the positional arguments, in order; those ending in `?` are optional. */
  positionals?: readonly string[];
}

export interface Args {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string>;
  help: boolean;
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): Args {
  const args: Args = { positionals: [], flags: new Set(), options: new Map(), help: false };
  const see = `see npx klaxon ${spec.command} --help`;
  // Asking for help is never a usage error, whatever else is on the line.
  const end = argv.indexOf('--');
  if ((end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')) return { ...args, help: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      args.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      args.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq >= 0 ? eq : undefined) : '';
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (spec.options?.includes(name)) {
      const value = inline ?? argv[i + 1];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${spec.command}: --${name} needs a value; ${see}`);
      if (inline === undefined) i += 1;
      // Keeping either value would act on a guess: refuse, and show both.
      const earlier = args.options.get(name);
      if (earlier !== undefined) throw new UsageError(`${spec.command}: --${name} given twice (${JSON.stringify(earlier)}, then ${JSON.stringify(value)}); give it once; ${see}`);
      args.options.set(name, value);
    } else if (spec.flags?.includes(name)) {
      if (inline !== undefined) throw new UsageError(`${spec.command}: --${name} takes no value; ${see}`);
      args.flags.add(name);
    } else {
      throw new UsageError(`${spec.command}: unknown option ${JSON.stringify(eq >= 0 ? arg.slice(0, eq) : arg)}; ${see}`);
    }
  }
  const names = spec.positionals ?? [];
  const required = names.filter((n) => !n.endsWith('?')).length;
  if (args.positionals.length < required) throw new UsageError(`${spec.command}: missing <${names[args.positionals.length]}>; ${see}`);
  if (args.positionals.length > names.length) throw new UsageError(`${spec.command}: unexpected argument ${JSON.stringify(args.positionals[names.length])}; ${see}`);
  return args;
}

/**
 * Runs a command: `--help` prints its usage; a CliFailure or a ConfigError (a malformed klaxon.yml) becomes one
 * line `klaxon: …` with its exit code, a usage error naming the command and where its usage is. Anything else is
 * a bug and propagates.
 */
export function runCommand(argv: readonly string[], spec: ArgSpec, usage: string, body: (args: Args) => CliResult): CliResult {
  try {
    const args = parseArgs(argv, spec);
    if (args.help) return { code: 0, out: usage };
    return body(args);
  } catch (error) {
    return failure(error, spec);
  }
}

/** runCommand for a command that waits on something (the database, a Postgres server). */
export async function runAsyncCommand(argv: readonly string[], spec: ArgSpec, usage: string, body: (args: Args) => Promise<CliResult>): Promise<CliResult> {
  try {
    const args = parseArgs(argv, spec);
    if (args.help) return { code: 0, out: usage };
    return await body(args);
  } catch (error) {
    return failure(error, spec);
  }
}

function failure(error: unknown, spec: ArgSpec): CliResult {
  if (error instanceof UsageError) return { code: 2, out: `klaxon: ${usageLine(error.message, spec.command)}` };
  if (error instanceof CliFailure) return { code: error.code, out: `klaxon: ${error.message}` };
  if (error instanceof ConfigError) return { code: 1, out: `klaxon: ${error.message}` };
  throw error;
}

/**
 * A usage error thrown without the command's name (`--at "x" is not a time …`) is completed with it and the
 * pointer to the command's usage; one that names its command already is printed as it was written.
 */
function usageLine(message: string, command: string): string {
  return message.startsWith(`${command}: `) ? message : `${command}: ${message}; see npx klaxon ${command} --help`;
}
