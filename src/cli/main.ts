/**
 * `npx klaxon <command>`: the operator CLI. Errors are one line on stderr and a non-zero exit.
 * Later releases add rota, runbook, export and report commands.
 */
import { existsSync } from 'node:fs';
import { errorMessage } from '../core/errors.ts';
import { runCli } from './commands.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
try {
  const { code, out } = runCli(process.argv.slice(2), process.env);
  (code === 0 ? console.log : console.error)(out);
  process.exitCode = code;
} catch (error) {
  console.error(`klaxon: ${errorMessage(error)}`);
  process.exitCode = 1;
}
