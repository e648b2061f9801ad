/**
 * The figures that exist only in a running thread (Slack calls and errors, retries, scheduler lag, repeated
 * deliveries), counted in memory. Each thread has its own registry; `collect` turns it into plain families
 * that can be posted between threads and merged (families.ts).
 *
 * A metric without labels shows 0 from the start; a labelled one shows the label sets it has seen.
 */
import type { HistogramSeries, Labels, MetricFamily, Sample } from './families.ts';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The labels a metric was declared with, each given a value. */
export type LabelValues<L extends string> = Readonly<Record<L, string>>;

interface Collectable {
  collect(): MetricFamily;
}

abstract class Metric<L extends string, S> implements Collectable {
  protected readonly series = new Map<string, { labels: Labels; state: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
  ) {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name: ${name}`);
    for (const label of labelNames) if (!LABEL_NAME.test(label) || label.startsWith('__')) throw new Error(`invalid label name for ${name}: ${label}`);
  }

  abstract collect(): MetricFamily;
  protected abstract initial(): S;

  /** Every series seen; for a metric without labels, its one series even before it was counted. */
  protected entries(): { labels: Labels; state: S }[] {
    if (this.labelNames.length === 0) this.seriesOf({} as LabelValues<L>);
    return [...this.series.values()];
  }

  protected seriesOf(labels: LabelValues<L>): S {
    const values = this.labelNames.map((n) => labels[n]);
    if (values.some((v) => typeof v !== 'string')) throw new Error(`${this.name} needs the labels ${this.labelNames.join(', ')}`);
    const key = JSON.stringify(values);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!])), state: this.initial() };
      this.series.set(key, entry);
    }
    return entry.state;
  }
}

export class Counter<L extends string = never> extends Metric<L, { value: number }> {
  inc(labels: LabelValues<L>, by = 1): void {
    if (!Number.isFinite(by) || by < 0) throw new Error(`${this.name} can only go up (by ${by})`);
    this.seriesOf(labels).value += by;
  }

  collect(): MetricFamily {
    return { name: this.name, help: this.help, type: 'counter', samples: samplesOf(this.entries()) };
  }

  protected initial() {
    return { value: 0 };
  }
}

export class Gauge<L extends string = never> extends Metric<L, { value: number }> {
  set(labels: LabelValues<L>, value: number): void {
    this.seriesOf(labels).value = value;
  }

  collect(): MetricFamily {
    return { name: this.name, help: this.help, type: 'gauge', samples: samplesOf(this.entries()) };
  }

  protected initial() {
    return { value: 0 };
  }
}

export class Histogram<L extends string = never> extends Metric<L, { buckets: number[]; sum: number; count: number }> {
  readonly bounds: readonly number[];

  constructor(name: string, help: string, bounds: readonly number[], labelNames: readonly L[]) {
    if (bounds.length === 0 || bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bounds[i - 1]!))) throw new Error(`${name} needs finite bucket bounds in increasing order`);
    if (labelNames.some((l) => l === 'le')) throw new Error(`${name} cannot have a label named le`);
    super(name, help, labelNames);
    this.bounds = [...bounds];
  }

  observe(labels: LabelValues<L>, value: number): void {
    if (Number.isNaN(value)) return;
    const series = this.seriesOf(labels);
    for (let i = 0; i < this.bounds.length; i += 1) if (value <= this.bounds[i]!) series.buckets[i]! += 1;
    series.sum += value;
    series.count += 1;
  }

  collect(): MetricFamily {
    const series: HistogramSeries[] = this.entries().map(({ labels, state }) => ({ labels, buckets: [...state.buckets], sum: state.sum, count: state.count }));
    return { name: this.name, help: this.help, type: 'histogram', bounds: [...this.bounds], series };
  }

  protected initial() {
    return { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
  }
}

function samplesOf(entries: { labels: Labels; state: { value: number } }[]): Sample[] {
  return entries.map(({ labels, state }) => ({ labels, value: state.value }));
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Collectable>();

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.add(name, new Counter<L>(name, help, labelNames));
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.add(name, new Gauge<L>(name, help, labelNames));
  }

  histogram<L extends string = never>(name: string, help: string, bounds: readonly number[], labelNames: readonly L[] = []): Histogram<L> {
    return this.add(name, new Histogram<L>(name, help, bounds, labelNames));
  }

  /** A snapshot: later counting does not change what was returned. */
  collect(): MetricFamily[] {
    return [...this.metrics.values()].map((m) => m.collect());
  }

  private add<M extends Collectable>(name: string, metric: M): M {
    if (this.metrics.has(name)) throw new Error(`metric ${name} is registered twice`);
    this.metrics.set(name, metric);
    return metric;
  }
}
