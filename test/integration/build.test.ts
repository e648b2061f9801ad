/**
 * The build (scripts/build.mjs, brought up to date by the tests' global set-up): each bundle in dist/bundles/
 * comes with a V8 code cache that this Node accepts, for without it every start compiles the bundle again.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the build', () => {
  it.each(['main', 'job-thread', 'cli'])('gives %s a code cache this Node accepts', (name) => {
    // In a process of its own: evaluating a bundle's top-level code is what the build does to make its cache.
    const rejected = execFileSync(process.execPath, ['-e', `process.stdout.write(String(require('./dist/run-bundle.cjs').loadBundle('${name}').script.cachedDataRejected))`], { encoding: 'utf8' });
    expect(rejected).toBe('false');
  });
});
