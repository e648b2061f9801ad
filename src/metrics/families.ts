/**
 * Metric families as plain data: what the in-memory registry and the database figures are collected into, what
 * the job worker's thread posts to the main thread (structured-cloneable), and what exposition prints.
 */

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface HistogramSeries {
  labels: Labels;
  /** Cumulative: how many observations were at most each bound of the family, in the same order. */
  buckets: number[];
  sum: number;
  count: number;
}

export type MetricFamily =
  | { name: string; help: string; type: 'counter' | 'gauge'; samples: Sample[] }
  | { name: string; help: string; type: 'histogram'; bounds: number[]; series: HistogramSeries[] };

/** One key per label set, whatever order the labels were given in. */
export function labelKey(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((name) => [name, labels[name]]));
}

/**
 * Sums what several threads counted into one set of families: counters and histograms add up series with the
 * same labels; a gauge describes one thread's state (when it started), so the first source's value is kept.
 * A family that two sources define differently (type or bounds) keeps the first definition.
 */
export function mergeFamilies(...sources: MetricFamily[][]): MetricFamily[] {
  const merged = new Map<string, MetricFamily>();
  for (const family of sources.flat()) {
    const into = merged.get(family.name);
    if (!into) merged.set(family.name, copyOf(family));
    else if (into.type === 'histogram' && family.type === 'histogram') addHistograms(into, family);
    else if (into.type !== 'histogram' && family.type === into.type) addSamples(into, family.samples);
  }
  return [...merged.values()];
}

function copyOf(family: MetricFamily): MetricFamily {
  return family.type === 'histogram'
    ? { ...family, bounds: [...family.bounds], series: family.series.map((s) => ({ ...s, buckets: [...s.buckets] })) }
    : { ...family, samples: family.samples.map((s) => ({ ...s })) };
}

function addSamples(into: Extract<MetricFamily, { samples: Sample[] }>, samples: Sample[]): void {
  const byKey = new Map(into.samples.map((s) => [labelKey(s.labels), s]));
  for (const sample of samples) {
    const existing = byKey.get(labelKey(sample.labels));
    if (!existing) into.samples.push({ ...sample });
    else if (into.type === 'counter') existing.value += sample.value;
  }
}

function addHistograms(into: Extract<MetricFamily, { type: 'histogram' }>, from: Extract<MetricFamily, { type: 'histogram' }>): void {
  if (from.bounds.length !== into.bounds.length || from.bounds.some((b, i) => b !== into.bounds[i])) return;
  const byKey = new Map(into.series.map((s) => [labelKey(s.labels), s]));
  for (const series of from.series) {
    const existing = byKey.get(labelKey(series.labels));
    if (!existing) {
      into.series.push({ ...series, buckets: [...series.buckets] });
      continue;
    }
    existing.buckets = existing.buckets.map((n, i) => n + (series.buckets[i] ?? 0));
    existing.sum += series.sum;
    existing.count += series.count;
  }
}
