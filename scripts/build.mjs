#!/usr/bin/env node
/**
 * Builds what `npm start` and `npx klaxon` run: each entry point under src/ bundled by esbuild into one file in
 * dist/ (packages stay in node_modules), with source maps back to the TypeScript. Starting compiled JavaScript
 * takes a fraction of the time tsx needs to transpile at run time.
 *
 *   node scripts/build.mjs             build
 *   node scripts/build.mjs --if-stale  build only if dist/ is missing or older than a file under src/ or db/
 */
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');
const ENTRY_POINTS = { main: 'src/start.ts', 'job-thread': 'src/job-thread.ts', cli: 'src/cli/main.ts' };

/** The newest modification time of the files the build reads (0 when there are no sources, as in an image). */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  visit(join(ROOT, 'src'));
  visit(join(ROOT, 'db'));
  return newest;
}

export function isStale() {
  if (!existsSync(STAMP)) return true;
  return newestSource() > statSync(STAMP).mtimeMs;
}

export async function buildDist() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('dist/ is missing or out of date, and esbuild (a development dependency) is not installed: run `npm ci` and `npm run build`');
  }
  // A clean build: nothing left from an earlier one.
  rmSync(DIST, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: DIST,
    bundle: true,
    // The packages are bundled too, which halves the time Node takes to load them, all but better-sqlite3
    // (native code). CommonJS packages inside an ES module bundle need a require of their own.
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as klaxonCreateRequire } from 'node:module'; const require = klaxonCreateRequire(import.meta.url);" },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

/** Builds when the build is missing or stale; for `npm start` and `npx klaxon` in a checkout. */
export async function ensureBuilt() {
  if (isStale()) await buildDist();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  (ifStale ? ensureBuilt() : buildDist()).catch((error) => {
    console.error(`klaxon build: ${error.message}`);
    process.exit(1);
  });
}
