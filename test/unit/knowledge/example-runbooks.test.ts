/** The example runbooks shipped in runbooks/ are valid against klaxon.example.yml and complete enough to copy. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKlaxonFile } from '../../../src/core/config.ts';
import { readRunbookFiles } from '../../../src/knowledge/runbook-files.ts';
import { checkRunbooks, isStale } from '../../../src/knowledge/runbook.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const services = new Set(parseKlaxonFile(readFileSync('klaxon.example.yml', 'utf8'), 'klaxon.example.yml').services.map((s) => s.id));
const checked = checkRunbooks(readRunbookFiles('runbooks').files, services);

describe('the example runbooks', () => {
  it('are six, without a single error', () => {
    expect(checked.map((c) => c.path)).toEqual([
      'certificate-expiry.md',
      'database-connection-pool-exhausted.md',
      'dependency-upgrade-regression.md',
      'dns-resolution-failure.md',
      'payments-5xx-spike.md',
      'queue-backlog.md',
    ]);
    expect(checked.flatMap((c) => c.problems.map((p) => `${c.path}: ${p.field}: ${p.message}`))).toEqual([]);
  });

  it('fill in every field and the usual sections', () => {
    for (const { runbook } of checked) {
      expect(runbook).toBeDefined();
      expect(runbook!.summary.length).toBeGreaterThan(40);
      expect(runbook!.tags.length).toBeGreaterThan(2);
      expect(runbook!.alerts.length).toBeGreaterThan(2);
      expect(runbook!.owner).toBeTruthy();
      expect(runbook!.headings).toEqual(expect.arrayContaining(['Symptoms', 'Diagnose', 'Mitigate', 'Verify', 'Follow-up']));
    }
  });

  it('show the stale warning on exactly one, as an example', () => {
    expect(checked.filter((c) => isStale(c.runbook!, NOW)).map((c) => c.path)).toEqual(['dns-resolution-failure.md']);
  });
});
