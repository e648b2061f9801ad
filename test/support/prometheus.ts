/**
 * A strict parser of the Prometheus text format 0.0.4, written for the tests: it refuses what a scraper would
 * refuse (malformed lines, bad escapes, a sample before its family's TYPE, a family split in two, a series
 * twice) and checks what Klaxon promises beyond the grammar (counters not negative; histogram buckets in
 * increasing `le` order, cumulative, ending with `+Inf` equal to `_count`, with `_sum`).
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: MetricType;
  help: string | undefined;
  samples: ParsedSample[];
}

export interface ParsedHistogram {
  /** Cumulative counts by upper bound, `Infinity` for `+Inf`. */
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

export interface Exposition {
  families: Map<string, ParsedFamily>;
  /** The sample with exactly these labels, or undefined. */
  find(name: string, labels?: Record<string, string>): number | undefined;
  /** The sample with exactly these labels; throws (listing what there is) when there is none. */
  value(name: string, labels?: Record<string, string>): number;
  /** The histogram series with exactly these labels (besides `le`). */
  histogram(name: string, labels?: Record<string, string>): ParsedHistogram;
}

export class ExpositionError extends Error {
  override readonly name = 'ExpositionError';
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePrometheusText(text: string): Exposition {
  if (text.length > 0 && !text.endsWith('\n')) throw new ExpositionError('the last line does not end with a newline');
  const families = new Map<string, Family>();
  const finished = new Set<string>();
  let current: string | undefined;
  const seen = new Set<string>();
  const lines = text.split('\n').slice(0, -1);

  lines.forEach((line, index) => {
    const fail = (why: string): never => {
      throw new ExpositionError(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const meta = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!meta) {
        if (/^#[ \t]*(HELP|TYPE)\b/.test(line)) fail('malformed HELP or TYPE line');
        return; // an ordinary comment
      }
      const [, keyword, name, rest = ''] = meta as unknown as [string, 'HELP' | 'TYPE', string, string | undefined];
      if (!METRIC_NAME.test(name)) fail('invalid metric name');
      if (finished.has(name) || (families.get(name)?.samples.length ?? 0) > 0) fail(`${keyword} after the samples of ${name}`);
      enter(name, fail);
      const family: Family = families.get(name) ?? { name, type: 'untyped', help: undefined, samples: [] };
      families.set(name, family);
      if (keyword === 'HELP') {
        if (family.help !== undefined) fail('a second HELP line');
        family.help = unescape(rest, false, fail);
      } else {
        if (family.typed) fail('a second TYPE line');
        if (!TYPES.has(rest as MetricType)) fail('unknown type');
        family.type = rest as MetricType;
        family.typed = true;
      }
      return;
    }
    const sample = parseSampleLine(line, fail);
    const family = familyOf(sample.name, families);
    if (!family?.typed) fail(`a sample of ${sample.name} before its TYPE line`);
    enter(family!.name, fail);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) fail('the same series twice');
    seen.add(key);
    if (family!.type === 'counter' && !(sample.value >= 0)) fail('a counter below zero');
    if (family!.type === 'histogram' && sample.name.endsWith('_bucket') && !('le' in sample.labels)) fail('a bucket without le');
    family!.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  for (const family of families.values()) delete family.typed;

  function enter(name: string, fail: (why: string) => never): void {
    if (current === name) return;
    if (finished.has(name)) fail(`the lines of ${name} are not together`);
    if (current !== undefined) finished.add(current);
    current = name;
  }

  const matching = (name: string, labels: Record<string, string>) => (s: ParsedSample) => s.name === name && sameLabels(s.labels, labels);
  const exposition: Exposition = {
    families: families as Map<string, ParsedFamily>,
    find(name, labels = {}) {
      const family = familyOf(name, families);
      return family?.samples.find(matching(name, labels))?.value;
    },
    value(name, labels = {}) {
      const found = exposition.find(name, labels);
      if (found === undefined) {
        const there = familyOf(name, families)?.samples.filter((s) => s.name === name).map((s) => JSON.stringify(s.labels)) ?? [];
        throw new Error(`no sample ${name}${JSON.stringify(labels)}; there are: ${there.join(' ') || 'none'}`);
      }
      return found;
    },
    histogram(name, labels = {}) {
      const family = families.get(name);
      if (family?.type !== 'histogram') throw new Error(`${name} is not a histogram`);
      const buckets = new Map<number, number>();
      for (const s of family.samples) {
        const { le, ...rest } = s.labels;
        if (s.name === `${name}_bucket` && sameLabels(rest, labels)) buckets.set(parseFloatValue(le!), s.value);
      }
      if (buckets.size === 0) throw new Error(`no series of ${name} with ${JSON.stringify(labels)}`);
      return { buckets, sum: exposition.value(`${name}_sum`, labels), count: exposition.value(`${name}_count`, labels) };
    },
  };
  return exposition;
}

type Family = ParsedFamily & { typed?: boolean };

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const exact = families.get(sampleName);
  if (exact && exact.type !== 'histogram' && exact.type !== 'summary') return exact;
  const suffix = /^(.*)_(bucket|sum|count)$/.exec(sampleName);
  if (!suffix) return exact?.type === 'summary' ? exact : undefined;
  const base = families.get(suffix[1]!);
  if (base?.type === 'histogram') return base;
  if (base?.type === 'summary' && suffix[2] !== 'bucket') return base;
  return exact && exact.type !== 'histogram' ? exact : undefined;
}

function parseSampleLine(line: string, fail: (why: string) => never): ParsedSample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) fail('not a sample line');
  let at = name!.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at += 1;
    for (;;) {
      if (line[at] === '}') break;
      const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(at))?.[0];
      if (!labelName || !LABEL_NAME.test(labelName)) fail('a malformed label name');
      at += labelName!.length;
      if (line.slice(at, at + 2) !== '="') fail('a label without ="');
      at += 2;
      let raw = '';
      for (;;) {
        const ch = line[at];
        if (ch === undefined) fail('an unterminated label value');
        if (ch === '"') break;
        if (ch === '\\') {
          raw += ch + (line[at + 1] ?? '');
          at += 2;
          continue;
        }
        raw += ch;
        at += 1;
      }
      at += 1;
      if (labelName! in labels) fail(`label ${labelName} twice`);
      labels[labelName!] = unescape(raw, true, fail);
      if (line[at] === ',') at += 1;
      else if (line[at] !== '}') fail('labels not separated by commas');
    }
    at += 1;
  }
  const rest = line.slice(at);
  const parts = /^[ \t]+(\S+)(?:[ \t]+(-?\d+))?$/.exec(rest);
  if (!parts) fail('a malformed value or timestamp');
  if (!FLOAT.test(parts![1]!)) fail('a value that is not a number');
  return { name: name!, labels, value: parseFloatValue(parts![1]!) };
}

function parseFloatValue(text: string): number {
  if (/^[+]?Inf$/.test(text)) return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!FLOAT.test(text)) throw new ExpositionError(`not a number: ${text}`);
  return Number(text);
}

/** Label values may escape \\, \" and \n; HELP text only \\ and \n. Other escapes are errors. */
function unescape(raw: string, quotes: boolean, fail: (why: string) => never): string {
  return raw.replace(/\\(.?)/g, (_, ch: string) => {
    if (ch === '\\') return '\\';
    if (ch === 'n') return '\n';
    if (ch === '"' && quotes) return '"';
    return fail(`an invalid escape \\${ch}`);
  });
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

function checkHistogram(family: ParsedFamily): void {
  const bySeries = new Map<string, { labels: Record<string, string>; buckets: [number, number][]; sum?: number; count?: number }>();
  for (const s of family.samples) {
    const { le, ...labels } = s.labels;
    const key = JSON.stringify(Object.entries(labels).sort());
    const series = bySeries.get(key) ?? { labels, buckets: [] };
    bySeries.set(key, series);
    if (s.name === `${family.name}_bucket`) series.buckets.push([parseFloatValue(le!), s.value]);
    else if (s.name === `${family.name}_sum`) series.sum = s.value;
    else if (s.name === `${family.name}_count`) series.count = s.value;
  }
  for (const series of bySeries.values()) {
    const where = `${family.name}${JSON.stringify(series.labels)}`;
    if (series.count === undefined || series.sum === undefined) throw new ExpositionError(`${where}: _sum or _count is missing`);
    const last = series.buckets.at(-1);
    if (!last || last[0] !== Infinity) throw new ExpositionError(`${where}: the last bucket is not le="+Inf"`);
    series.buckets.forEach(([le, n], i) => {
      if (!Number.isInteger(n) || n < 0) throw new ExpositionError(`${where}: bucket le=${le} holds ${n}`);
      const previous = series.buckets[i - 1];
      if (previous && !(le > previous[0])) throw new ExpositionError(`${where}: buckets not in increasing le order`);
      if (previous && n < previous[1]) throw new ExpositionError(`${where}: buckets not cumulative at le=${le}`);
    });
    if (last[1] !== series.count) throw new ExpositionError(`${where}: le="+Inf" (${last[1]}) is not _count (${series.count})`);
  }
}
