/**
 * The import rules of ARCHITECTURE.md, checked on the source: data flows one way (no loop between files or
 * between folders), pure code stays pure, and features meet only through their index.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = 'src';
const FEATURES = ['incidents', 'rotas', 'paging', 'knowledge', 'timeline', 'postmortems', 'problems', 'stats', 'home', 'alerts'];
/** The folders of src/ that are not features: every folder is one or the other, so a new one is classified. */
const INFRASTRUCTURE = ['core', 'slack', 'web', 'cli', 'metrics', 'demo', 'simulator'];
/** File roles, by name: `lifecycle-listeners.ts` is a listeners file as `listeners.ts` is. */
const isListeners = (file: string): boolean => /(^|\/|-)listeners\.ts$/.test(file);
const isStore = (file: string): boolean => file.endsWith('/store.ts');
/** A feature's builders, ids and model are pure by their role; PURE_LISTED names the other pure files. */
const isPureRole = (file: string): boolean => featureOf(file) !== undefined && /\/(blocks|[a-z-]+-blocks|ids|model)\.ts$/.test(file);
/** Pure files: no I/O, no clock; they may import only types, date-fns and other pure files. */
const PURE_LISTED = [
  'src/alerts/dry-run.ts',
  'src/alerts/payloads.ts',
  'src/alerts/routing.ts',
  'src/alerts/sample-alerts.ts',
  'src/core/alert-ref.ts',
  'src/core/blockkit.ts',
  'src/core/duration.ts',
  'src/core/incident-ref.ts',
  'src/core/look-again.ts',
  'src/core/markdown-text.ts',
  'src/core/service-names.ts',
  'src/core/mrkdwn.ts',
  'src/core/wall-clock.ts',
  'src/incidents/channel-name.ts',
  'src/incidents/declare-args.ts',
  'src/incidents/incident.ts',
  'src/incidents/lifecycle.ts',
  'src/incidents/severity.ts',
  'src/incidents/status.ts',
  'src/knowledge/ranking.ts',
  'src/knowledge/relevance.ts',
  'src/knowledge/runbook-page.ts',
  'src/knowledge/runbook.ts',
  'src/metrics/buckets.ts',
  'src/metrics/database-metrics.ts',
  'src/metrics/exposition.ts',
  'src/metrics/families.ts',
  'src/metrics/process-metrics.ts',
  'src/metrics/registry.ts',
  'src/paging/escalation.ts',
  'src/paging/page-args.ts',
  'src/postmortems/document.ts',
  'src/postmortems/form.ts',
  'src/postmortems/page.ts',
  'src/problems/rules.ts',
  'src/rotas/calendar.ts',
  'src/rotas/handoff-table.ts',
  'src/rotas/override-args.ts',
  'src/rotas/rota-report.ts',
  'src/rotas/rota.ts',
  'src/rotas/shift-messages.ts',
  'src/stats/args.ts',
  'src/stats/report.ts',
  'src/stats/text.ts',
  'src/stats/wording.ts',
  'src/timeline/entries.ts',
  'src/timeline/export.ts',
  'src/web/markdown.ts',
  'src/web/page.ts',
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

/** The top-level folder a file is in, or the file itself for main.ts and the other files at the top of src/. */
function folderOf(file: string): string {
  return relative(SRC, file).split('/')[0]!;
}

/** Every cycle found by a depth-first walk, as `a → b → a`; empty when the graph has none. */
function cyclesIn(edges: Map<string, Set<string>>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
      return;
    }
    state.set(node, 'visiting');
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of edges.keys()) visit(node, []);
  return cycles;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const featureOf = (path: string): string | undefined => FEATURES.find((f) => path.startsWith(`src/${f}/`));
const PURE = [...new Set([...PURE_LISTED, ...files.filter(isPureRole)])];
const imports = [...graph.values()].flat();

describe('import rules', () => {
  it('core imports no feature and nothing from slack/, web/, cli/ or main.ts', () => {
    const bad = imports.filter((i) => i.from.startsWith('src/core/') && (featureOf(i.target) || /^src\/(slack|web|cli)\/|^src\/main\.ts$/.test(i.target)));
    expect(bad).toEqual([]);
  });

  it('only stores (and core’s own persistence) import the schema or drizzle', () => {
    const allowed = (file: string) => file.endsWith('/store.ts') || ['src/core/db.ts', 'src/core/postgres.ts', 'src/core/db-copy.ts', 'src/core/outbox.ts', 'src/core/scheduler/job-store.ts', 'src/core/signed-links.ts', 'src/core/event-dedupe.ts', 'src/core/signed-requests.ts', 'src/core/audit.ts'].includes(file);
    const bad = imports.filter((i) => !allowed(i.from) && (i.target === 'db/schema.ts' || i.target.startsWith('drizzle-orm')));
    expect(bad).toEqual([]);
  });

  it('each table has one writer: one file inserts into, updates and deletes from it (the timeline’s is timeline/store.ts)', () => {
    const tables = new Set([...readFileSync('db/schema.ts', 'utf8').matchAll(/^export const (\w+) = sqliteTable\(/gm)].map((m) => m[1]!));
    const writers = new Map<string, Set<string>>();
    for (const file of files) {
      for (const [, table] of readFileSync(file, 'utf8').matchAll(/\.(?:insert|update|delete)\((\w+)\)/g)) {
        if (tables.has(table!)) writers.set(table!, (writers.get(table!) ?? new Set()).add(file));
      }
    }
    expect([...writers].filter(([, by]) => by.size > 1).map(([table, by]) => `${table}: ${[...by].join(', ')}`)).toEqual([]);
    expect([...(writers.get('timelineEvents') ?? [])]).toEqual(['src/timeline/store.ts']);
  });

  it('listeners never import a store', () => {
    const bad = imports.filter((i) => isListeners(i.from) && isStore(i.target));
    expect(bad).toEqual([]);
  });

  it('only listeners files, and slack/ which implements it, use the listener port (the kit carries it to them)', () => {
    const bad = imports.filter((i) => i.target === 'src/core/slack-listeners.ts' && !isListeners(i.from) && !i.from.startsWith('src/slack/') && i.from !== 'src/core/kit.ts');
    expect(bad).toEqual([]);
  });

  it('every feature installs itself with one function, exported from its index.ts', () => {
    const missing = FEATURES.filter((feature) => !new RegExp(`export \\{ install[A-Z]\\w* \\} from './install\\.ts'`).test(readFileSync(join(SRC, feature, 'index.ts'), 'utf8')));
    expect(missing).toEqual([]);
  });

  it('features reach each other only through index.ts (or model.ts, the pure part of it)', () => {
    const bad = imports.filter((i) => {
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
    const bad = imports.filter((i) => i.target.startsWith('src/simulator/') && !/^src\/(simulator|demo)\//.test(i.from));
    expect(bad).toEqual([]);
  });

  it('has no import cycles between files', () => {
    const edges = new Map(files.map((f) => [relative(SRC, f), new Set((graph.get(f) ?? []).filter((i) => !i.typeOnly && graph.has(i.target)).map((i) => relative(SRC, i.target)))]));
    expect(cyclesIn(edges)).toEqual([]);
  });

  it('has no loop between folders (features included), counting type imports', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports.filter((i) => graph.has(i.target) && folderOf(i.from) !== folderOf(i.target))) {
      edges.set(folderOf(i.from), (edges.get(folderOf(i.from)) ?? new Set()).add(folderOf(i.target)));
    }
    expect(cyclesIn(edges)).toEqual([]);
  });

  it('reads every source file it checks, and knows every folder as a feature or as infrastructure', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(PURE_LISTED.filter((f) => !graph.has(f))).toEqual([]);
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual([...FEATURES, ...INFRASTRUCTURE].sort());
  });

  it('recognises file roles by name', () => {
    expect(isListeners('src/incidents/lifecycle-listeners.ts')).toBe(true);
    expect(isListeners('src/home/listeners.ts')).toBe(true);
    expect(PURE).toContain('src/incidents/change-blocks.ts');
    expect(PURE).toContain('src/home/ids.ts');
  });
});
