'use strict';
/**
 * Runs one of the bundles in dist/bundles/ with the V8 code cache the build made for it: V8 then skips parsing
 * and compiling the bundle's code, most of what starting took (bench/README.md, bench:start). A cache this Node
 * cannot use (another version) is ignored and the code compiled as usual. Under --enable-source-maps the bundle
 * is required as Node requires any file, for only then does Node map stack traces back to the TypeScript. The
 * bundle is CommonJS; its exported function `run` is called, and what it returns is returned.
 */
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

/** The bundle's exports, its top-level code evaluated; `script` is kept for making its cache (scripts/build.mjs). */
function loadBundle(name) {
  const file = join(__dirname, 'bundles', `${name}.cjs`);
  if (process.sourceMapsEnabled) return { exports: require(file) };
  let cachedData;
  try {
    cachedData = readFileSync(join(__dirname, 'bundles', `${name}.cache`));
  } catch {
    // No cache (a build that made none): compiled from source.
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(dirname(file));
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, dirname(file));
  return { exports: bundle.exports, script };
}

module.exports = { loadBundle, runBundle: (name) => loadBundle(name).exports.run() };
