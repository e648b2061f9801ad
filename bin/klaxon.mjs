#!/usr/bin/env node
// The operator CLI (`npx klaxon …`): runs the build in dist/, building it first if a source file changed since.
import { ensureBuilt } from '../scripts/build.mjs';

try {
  await ensureBuilt();
} catch (error) {
  console.error(`klaxon: ${error.message}`);
  process.exit(1);
}
await import('../dist/cli.js');
