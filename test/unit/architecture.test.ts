/**
 * The import rules of ARCHITECTURE.md, checked on the source: data flows one way, pure code stays pure, and
 * features meet only through their index.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = 'src';
const FEATURES = ['incidents', 'oncall', 'knowledge', 'timeline', 'postmortems', 'problems', 'stats'];
/** Pure files: no I/O, no clock; they may import only types, date-fns and other pure files. */
const PURE = [
  'src/core/mrkdwn.ts',
  'src/core/markdown-text.ts',
  'src/core/blockkit.ts',
  'src/incidents/severity.ts',
  'src/incidents/status.ts',
  'src/core/incident-ref.ts',
  'src/incidents/channel-name.ts',
  'src/incidents/declare-args.ts',
  'src/incidents/blocks.ts',
  'src/incidents/change-blocks.ts',
  'src/incidents/lifecycle.ts',
  'src/incidents/ids.ts',
  'src/incidents/incident.ts',
  'src/incidents/model.ts',
  'src/timeline/entries.ts',
  'src/timeline/model.ts',
  'src/postmortems/ids.ts',
  'src/postmortems/form.ts',
  'src/postmortems/blocks.ts',
  'src/postmortems/document.ts',
  'src/postmortems/page.ts',
  'src/problems/ids.ts',
  'src/problems/rules.ts',
  'src/problems/blocks.ts',
  'src/timeline/blocks.ts',
  'src/timeline/export.ts',
  'src/timeline/ids.ts',
  'src/home/blocks.ts',
  'src/home/ids.ts',
  'src/core/wall-clock.ts',
  'src/oncall/rota.ts',
  'src/oncall/handoff-table.ts',
  'src/oncall/rota-report.ts',
  'src/oncall/escalation.ts',
  'src/core/duration.ts',
  'src/oncall/ids.ts',
  'src/oncall/page-args.ts',
  'src/oncall/override-args.ts',
  'src/oncall/page-blocks.ts',
  'src/oncall/oncall-blocks.ts',
  'src/oncall/shift-messages.ts',
  'src/oncall/calendar.ts',
  'src/knowledge/runbook.ts',
  'src/knowledge/relevance.ts',
  'src/knowledge/ranking.ts',
  'src/knowledge/blocks.ts',
  'src/knowledge/ids.ts',
  'src/knowledge/runbook-page.ts',
  'src/web/markdown.ts',
  'src/web/page.ts',
  'src/metrics/families.ts',
  'src/metrics/registry.ts',
  'src/metrics/exposition.ts',
  'src/metrics/buckets.ts',
  'src/metrics/process-metrics.ts',
  'src/metrics/database-metrics.ts',
  'src/stats/report.ts',
  'src/stats/args.ts',
  'src/stats/wording.ts',
  'src/stats/blocks.ts',
  'src/stats/text.ts',
];
/** Libraries that compute without I/O: dates, parsing, stemming, Markdown. */
const PURE_PACKAGES = /^(date-fns|@date-fns\/tz|yaml|zod|stemmer|markdown-it)(\/|$)/;

interface Import {
  from: string;
  /** Resolved path for relative imports, the package name otherwise. */
  target: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function importsOf(file: string): Import[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gms)].map((m) => {
    const spec = m[3]!;
    return { from: file, target: spec.startsWith('.') ? normalize(join(dirname(file), spec)) : spec, typeOnly: Boolean(m[2]) };
  });
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const featureOf = (path: string): string | undefined => FEATURES.find((f) => path.startsWith(`src/${f}/`));

describe('import rules', () => {
  it('core imports no feature and nothing from slack/, web/, cli/ or main.ts', () => {
    const bad = [...graph.values()].flat().filter((i) => i.from.startsWith('src/core/') && (featureOf(i.target) || /^src\/(slack|web|cli)\/|^src\/main\.ts$/.test(i.target)));
    expect(bad).toEqual([]);
  });

  it('only stores (and core’s own persistence) import the schema or drizzle', () => {
    const allowed = (file: string) => file.endsWith('/store.ts') || ['src/core/db.ts', 'src/core/outbox.ts', 'src/core/scheduler/job-store.ts', 'src/core/signed-links.ts', 'src/core/event-dedupe.ts', 'src/core/signed-requests.ts', 'src/core/audit.ts'].includes(file);
    const bad = [...graph.values()].flat().filter((i) => !allowed(i.from) && (i.target === 'db/schema.ts' || i.target.startsWith('drizzle-orm')));
    expect(bad).toEqual([]);
  });

  it('listeners never import a store', () => {
    const bad = [...graph.values()].flat().filter((i) => i.from.endsWith('/listeners.ts') && i.target.endsWith('/store.ts'));
    expect(bad).toEqual([]);
  });

  it('features reach each other only through index.ts (or model.ts, the pure part of it)', () => {
    const bad = [...graph.values()].flat().filter((i) => {
      const to = featureOf(i.target);
      return to !== undefined && featureOf(i.from) !== to && i.target !== `src/${to}/index.ts` && i.target !== `src/${to}/model.ts`;
    });
    expect(bad).toEqual([]);
  });

  it('pure files import only types, pure libraries and other pure files', () => {
    const bad = PURE.flatMap((file) => graph.get(file) ?? []).filter((i) => !i.typeOnly && !PURE.includes(i.target) && !PURE_PACKAGES.test(i.target));
    expect(bad).toEqual([]);
    for (const file of PURE) expect(readFileSync(file, 'utf8')).not.toMatch(/Date\.now\(|new Date\(\)/);
  });

  it('keeps the Slack simulator out of the product: only the demo uses it', () => {
    const bad = [...graph.values()].flat().filter((i) => i.target.startsWith('src/simulator/') && !/^src\/(simulator|demo)\//.test(i.from));
    expect(bad).toEqual([]);
  });

  it('has no import cycles', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const i of graph.get(file) ?? []) if (!i.typeOnly && graph.has(i.target)) visit(i.target, [...path, file]);
      state.set(file, 'done');
    };
    files.forEach((f) => visit(f, []));
    expect(cycles).toEqual([]);
  });

  it('reads every source file it checks', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(PURE.every((f) => graph.has(f))).toBe(true);
  });
});
