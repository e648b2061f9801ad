#!/usr/bin/env node
/**
 * Builds what `npm start` and `npx klaxon` run: each entry point under src/ bundled by esbuild into one CommonJS
 * file in dist/bundles/ (with a source map back to the TypeScript), and a V8 code cache of it, made once its
 * top-level code has run (and, for the CLI, its everyday commands on klaxon.example.yml); dist/main.js,
 * dist/job-thread.js and dist/cli.js load a bundle with its cache (scripts/run-bundle.cjs) and call its `run`.
 * Whitespace and syntax are minified (names kept, for stack traces). Starting this takes a fraction of the time
 * tsx needs to transpile at run time, and of the time the bundle takes to compile without the cache
 * (bench/README.md, bench:start).
 *
 *   node scripts/build.mjs             build
 *   node scripts/build.mjs --if-stale  build only if dist/ is missing, older than a file it is built from, or
 *                                      made by another version of Node
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');
const ENTRY_POINTS = { main: 'src/start.ts', 'job-thread': 'src/job-thread.ts', cli: 'src/cli/main.ts' };

/**
 * The newest modification time of the files the build reads (0 when there are no sources, as in an image). Every
 * `npx klaxon` in a checkout asks this first, so it is kept lean: paths joined by hand (node:path's join
 * normalises each one), one readdir per folder and one stat per file.
 */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (error.code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  visit(join(ROOT, 'src'));
  visit(join(ROOT, 'db'));
  const loader = statSync(join(ROOT, 'scripts', 'run-bundle.cjs'), { throwIfNoEntry: false });
  return loader ? Math.max(newest, loader.mtimeMs) : newest;
}

/** What the build was made with: a code cache made by another Node is of no use to this one. */
const BUILT_WITH = `node ${process.version}\n`;

export function isStale() {
  if (!existsSync(STAMP) || readFileSync(STAMP, 'utf8') !== BUILT_WITH) return true;
  return newestSource() > statSync(STAMP).mtimeMs;
}

export async function buildDist() {
  // Imported here, not above: `npx klaxon` imports this file for isStale, and should not pay for what only a build uses.
  const { execFileSync } = await import('node:child_process');
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('dist/ is missing or out of date, and esbuild (a development dependency) is not installed: run `npm ci` and `npm run build`');
  }
  // Built beside dist/ and then put in its place, so that nothing running from dist/ (a server, a CLI command,
  // another build) ever finds it half written.
  const out = join(ROOT, `.dist-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: join(out, 'bundles'),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    // The packages are bundled too, all but better-sqlite3 (native code). CommonJS, because only a script (not
    // an ES module) can be given a code cache on Node 20; the code's import.meta.url becomes the bundle's.
    external: ['better-sqlite3'],
    define: { 'import.meta.url': 'klaxonBundleUrl' },
    banner: { js: "const klaxonBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  copyFileSync(join(ROOT, 'scripts', 'run-bundle.cjs'), join(out, 'run-bundle.cjs'));
  for (const name of Object.keys(ENTRY_POINTS)) {
    writeFileSync(join(out, `${name}.js`), `// Klaxon's ${name}, built by scripts/build.mjs.\nimport { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./run-bundle.cjs').runBundle('${name}');\n`);
    // The cache is made in a process of its own, after the bundle's top-level code has run and compiled what it
    // calls; \`run\` is not called. A bundle that exports \`warmUp\` (the CLI's) is given klaxon.example.yml to run
    // its everyday commands on first, printing nothing, so that the code they run is in the cache too.
    const example = join(ROOT, 'klaxon.example.yml');
    execFileSync(process.execPath, ['-e', `const { loadBundle } = require(${JSON.stringify(join(out, 'run-bundle.cjs'))}); const bundle = loadBundle('${name}'); Promise.resolve(bundle.exports.warmUp?.(${JSON.stringify(example)})).then(() => require('node:fs').writeFileSync(${JSON.stringify(join(out, 'bundles', `${name}.cache`))}, bundle.script.createCachedData()))`], { stdio: 'inherit' });
  }
  writeFileSync(join(out, '.built'), BUILT_WITH);
  const old = `${out}-old`;
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(out, DIST);
  rmSync(old, { recursive: true, force: true });
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
