/**
 * `npx klaxon <command>`: the operator CLI. Errors are one line on stderr and a non-zero exit; a report whose
 * verdict is its exit code (`rota check --strict`) stays on stdout. Nothing here prints a stack trace: an error
 * no command expected (a bug, an unreadable .env) is still one line and exit 1.
 */
import { existsSync } from 'node:fs';
import { isProgram } from '../core/entry-point.ts';
import { errorMessage } from '../core/errors.ts';
import { runCli, warmUpCommands } from './commands.ts';

export async function run(): Promise<void> {
  try {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const { code, out, stdout } = await runCli(process.argv.slice(2), process.env);
    (code === 0 || stdout ? console.log : console.error)(out);
    process.exitCode = code;
  } catch (error) {
    console.error(`klaxon: ${errorMessage(error)}`);
    process.exitCode = 1;
  }
}

/** For the build (scripts/build.mjs), before it makes the bundle's code cache: see warmUpCommands. */
export const warmUp = warmUpCommands;

if (isProgram(import.meta.url)) void run();
