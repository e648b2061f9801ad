/** The example runbooks shipped in runbooks/ are valid against klaxon.example.yml and complete enough to copy. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKlaxonFile } from '../../../src/core/config.ts';
import { isStale, parseRunbook } from '../../../src/knowledge/runbook.ts';

const DIR = 'runbooks';
const NOW = Date.parse('2026-11-23T12:00:00Z');
const services = new Set(parseKlaxonFile(readFileSync('klaxon.example.yml', 'utf8'), 'klaxon.example.yml').services.map((s) => s.id));
const parsed = readdirSync(DIR)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => ({ path: name, ...parseRunbook(name, readFileSync(join(DIR, name), 'utf8'), services) }));

describe('the example runbooks', () => {
  it('are at least five, without a single error', () => {
    expect(parsed.length).toBeGreaterThanOrEqual(5);
    expect(parsed.flatMap((p) => p.problems.filter((problem) => problem.level === 'error').map((problem) => `${p.path}: ${problem.field}: ${problem.message}`))).toEqual([]);
  });

  it('fill in every field and the usual sections', () => {
    for (const { path, runbook } of parsed) {
      expect(runbook, path).toBeDefined();
      expect(runbook!.summary, path).not.toBe('');
      expect(runbook!.tags.length, path).toBeGreaterThan(0);
      expect(runbook!.alerts.length, path).toBeGreaterThan(0);
      expect(runbook!.owner, path).toBeTruthy();
      expect(runbook!.lastReviewed, path).not.toBeNull();
      expect(runbook!.headings.length, path).toBeGreaterThanOrEqual(4);
      expect(runbook!.headings, path).toEqual(expect.arrayContaining(['Symptoms', 'Diagnose', 'Mitigate', 'Escalate', 'Verify']));
    }
  });

  it('only name services that klaxon.example.yml defines', () => {
    for (const { path, runbook } of parsed) for (const service of runbook!.services) expect(services, `${path}: ${service}`).toContain(service);
  });

  it('show the stale warning on exactly one, as an example', () => {
    expect(parsed.filter((p) => p.runbook !== undefined && isStale(p.runbook, NOW)).map((p) => p.path)).toEqual(['dns-resolution-failure.md']);
  });
});
