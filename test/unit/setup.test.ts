/**
 * A fresh machine gets to a passing `npm test` the way README.md says: one set-up command installs every system
 * package the README lists, CI runs that same command, and without Chromium the browser tests say in one line
 * what to install instead of failing inside playwright.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING, findChromium } from '../support/chromium.ts';
import { tempDir } from '../support/db.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

describe('the set-up README.md gives', () => {
  const script = read('.ci/install-system-packages');
  const packages = /^PACKAGES=\(([^)]*)\)$/m.exec(script)?.[1]?.split(/\s+/) ?? [];

  it('is one command, npm run setup, which CI runs too, before npm ci and npm test', () => {
    expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.setup).toBe('.ci/install-system-packages && .ci/start-postgres');
    const ci = read('.ci/run').split('\n');
    const step = (line: string): number => ci.indexOf(line);
    expect(step('.ci/install-system-packages')).toBeGreaterThan(-1);
    expect(step('.ci/install-system-packages')).toBeLessThan(step('.ci/start-postgres'));
    expect(step('.ci/start-postgres')).toBeLessThan(step('npm ci'));
    expect(step('npm ci')).toBeLessThan(step('npm test'));
  });

  it('lists every system package the command installs, Chromium for the browser tests among them', () => {
    expect(packages).toEqual(expect.arrayContaining(['chromium', 'postgresql', 'python3', 'make', 'g++']));
    const readme = read('README.md');
    const setup = readme.slice(readme.indexOf('**Set-up.**'), readme.indexOf('\n\n', readme.indexOf('**Set-up.**')));
    for (const name of packages) expect(setup).toContain(`\`${name}\``);
    expect(setup).toContain('Node 20.12 or later');
    expect(setup).toContain('`npm run setup`');
    expect(script).toContain('a > 20 || (a === 20 && b >= 12)');
  });

  it('installs with apt-get only the packages that are missing', () => {
    const tmp = tempDir();
    try {
      // Stand-ins for dpkg-query (chromium and g++ are missing) and apt-get (records what it is asked), first on PATH.
      const stubs = join(tmp.dir, 'bin');
      const log = join(tmp.dir, 'apt.log');
      mkdirSync(stubs);
      const stub = (name: string, body: string): void => {
        writeFileSync(join(stubs, name), `#!/bin/sh\n${body}\n`);
        chmodSync(join(stubs, name), 0o755);
      };
      stub('dpkg-query', 'case "$3" in chromium|g++) exit 1;; *) printf "install ok installed";; esac');
      stub('apt-get', `echo "$*" >> ${log}`);
      stub('id', 'echo 0');
      const out = execFileSync(join(ROOT, '.ci/install-system-packages'), { env: { PATH: [stubs, ...(process.env.PATH ?? '').split(delimiter)].join(delimiter) }, encoding: 'utf8' });
      expect(out).toBe('install-system-packages: installing chromium g++\n');
      expect(readFileSync(log, 'utf8')).toBe('install -y --no-install-recommends chromium g++\n');
    } finally {
      tmp.remove();
    }
  });
});

describe('the browser tests without Chromium', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  it('find `chromium` on PATH, as Debian installs it, and only an executable file', () => {
    const bin = join(tmp.dir, 'bin');
    const chromium = join(tmp.dir, 'chromium');
    writeFileSync(chromium, '#!/bin/sh\n');
    expect(findChromium([bin, tmp.dir].join(delimiter))).toBeUndefined();
    chmodSync(chromium, 0o755);
    expect(findChromium([bin, tmp.dir].join(delimiter))).toBe(chromium);
    expect(findChromium(bin)).toBeUndefined();
    expect(findChromium(undefined)).toBeUndefined();
  });

  it('fail in one line that says what to install and how', () => {
    expect(CHROMIUM_MISSING).not.toContain('\n');
    expect(CHROMIUM_MISSING).toContain('npm run setup');
    expect(CHROMIUM_MISSING).toContain('apt-get install chromium');
  });
});
