/**
 * Metric families → Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` before each family's
 * samples, label values escaped, histograms as cumulative `_bucket{le=…}` (ending with `+Inf`), `_sum` and
 * `_count`. Families are sorted by name and series by labels, so the same figures always print the same text.
 */
import { labelKey, type Labels, type MetricFamily } from './families.ts';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function toPrometheusText(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of [...families].sort((a, b) => compare(a.name, b.name))) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    if (family.type !== 'histogram') {
      for (const sample of sortByLabels(family.samples)) lines.push(sampleLine(family.name, sample.labels, sample.value));
      continue;
    }
    for (const series of sortByLabels(family.series)) {
      family.bounds.forEach((bound, i) => lines.push(sampleLine(`${family.name}_bucket`, { ...series.labels, le: formatNumber(bound) }, series.buckets[i] ?? 0)));
      lines.push(sampleLine(`${family.name}_bucket`, { ...series.labels, le: '+Inf' }, series.count));
      lines.push(sampleLine(`${family.name}_sum`, series.labels, series.sum));
      lines.push(sampleLine(`${family.name}_count`, series.labels, series.count));
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function sampleLine(name: string, labels: Labels, value: number): string {
  // `le` is written last, after the series' own labels in their given order.
  const pairs = Object.entries(labels).map(([label, v]) => `${label}="${escapeLabelValue(v)}"`);
  return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatNumber(value)}`;
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function sortByLabels<T extends { labels: Labels }>(items: readonly T[]): T[] {
  return items.map((item) => ({ item, key: labelKey(item.labels) })).sort((a, b) => compare(a.key, b.key)).map(({ item }) => item);
}

/** Code-point order, the same on every machine (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
