/**
 * `npx klaxon <command>`: the operator CLI. Errors are one line on stderr and a non-zero exit; a report whose
 * verdict is its exit code (`rota check --strict`) stays on stdout.
 */
import { existsSync } from 'node:fs';
import { errorMessage } from '../core/errors.ts';
import { runCli } from './commands.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
try {
  const { code, out, stdout } = runCli(process.argv.slice(2), process.env);
  (code === 0 || stdout ? console.log : console.error)(out);
  process.exitCode = code;
} catch (error) {
  console.error(`klaxon: ${errorMessage(error)}`);
  process.exitCode = 1;
}
