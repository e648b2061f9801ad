/** Klaxon's server process (`npm start`, dist/main.js): main() with any failure to start as one line. */
import { errorMessage } from './core/errors.ts';
import { isProgram } from './core/entry-point.ts';
import { main } from './main.ts';

export function run(): void {
  main().catch((error: unknown) => {
    console.error(`klaxon: ${errorMessage(error)}`);
    process.exit(1);
  });
}

if (isProgram(import.meta.url)) run();
