/** Families → Prometheus text: the exact lines, escaping, histogram layout and order; and the strict parser the tests read it with. */
import { describe, expect, it } from 'vitest';
import { databaseFamilies, DeclaredTally } from '../../../src/metrics/database-metrics.ts';
import { toPrometheusText } from '../../../src/metrics/exposition.ts';
import type { MetricFamily } from '../../../src/metrics/families.ts';
import type { DatabaseFacts } from '../../../src/metrics/store.ts';
import { ExpositionError, parsePrometheusText } from '../../support/prometheus.ts';

describe('toPrometheusText', () => {
  it('writes HELP and TYPE before the samples, labels in their order and a newline at the end', () => {
    const text = toPrometheusText([{ name: 'klaxon_pages_sent_total', help: 'People paged.', type: 'counter', samples: [{ labels: { method: 'chat.postMessage', code: 'http_500' }, value: 3 }] }]);
    expect(text).toBe('# HELP klaxon_pages_sent_total People paged.\n# TYPE klaxon_pages_sent_total counter\nklaxon_pages_sent_total{method="chat.postMessage",code="http_500"} 3\n');
  });

  it('escapes backslashes, quotes and newlines in label values, and backslashes and newlines in HELP', () => {
    const text = toPrometheusText([{ name: 'x', help: 'a \\ b\nc "d"', type: 'gauge', samples: [{ labels: { title: 'C:\\tmp "quoted"\nnext' }, value: 1 }] }]);
    expect(text.split('\n')).toEqual(['# HELP x a \\\\ b\\nc "d"', '# TYPE x gauge', 'x{title="C:\\\\tmp \\"quoted\\"\\nnext"} 1', '']);
    const parsed = parsePrometheusText(text);
    expect(parsed.value('x', { title: 'C:\\tmp "quoted"\nnext' })).toBe(1);
    expect(parsed.families.get('x')?.help).toBe('a \\ b\nc "d"');
  });

  it('writes a histogram as cumulative buckets ending in +Inf, then _sum and _count, with le after the series labels', () => {
    const family: MetricFamily = { name: 'lag_seconds', help: 'Lag.', type: 'histogram', bounds: [0.5, 1, 30], series: [{ labels: { kind: 'page' }, buckets: [1, 3, 3], sum: 42.25, count: 4 }] };
    expect(toPrometheusText([family]).split('\n')).toEqual([
      '# HELP lag_seconds Lag.',
      '# TYPE lag_seconds histogram',
      'lag_seconds_bucket{kind="page",le="0.5"} 1',
      'lag_seconds_bucket{kind="page",le="1"} 3',
      'lag_seconds_bucket{kind="page",le="30"} 3',
      'lag_seconds_bucket{kind="page",le="+Inf"} 4',
      'lag_seconds_sum{kind="page"} 42.25',
      'lag_seconds_count{kind="page"} 4',
      '',
    ]);
  });

  it('orders families by name and series by labels, whatever order they come in', () => {
    const a: MetricFamily = { name: 'b_total', help: 'B.', type: 'counter', samples: [{ labels: { m: 'z' }, value: 1 }, { labels: { m: 'a' }, value: 2 }] };
    const b: MetricFamily = { name: 'a_total', help: 'A.', type: 'counter', samples: [{ labels: {}, value: 0 }] };
    const text = toPrometheusText([a, b]);
    expect(text).toBe(toPrometheusText([b, { ...a, samples: [...a.samples].reverse() }]));
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['a_total 0', 'b_total{m="a"} 2', 'b_total{m="z"} 1', '']);
  });

  it('writes special values as Prometheus spells them', () => {
    const text = toPrometheusText([{ name: 'g', help: 'G.', type: 'gauge', samples: [{ labels: { v: 'inf' }, value: Infinity }, { labels: { v: 'minus' }, value: -Infinity }, { labels: { v: 'nan' }, value: NaN }, { labels: { v: 'small' }, value: 0.000001 }] }]);
    expect(text).toContain('g{v="inf"} +Inf\n');
    expect(text).toContain('g{v="minus"} -Inf\n');
    expect(text).toContain('g{v="nan"} NaN\n');
    expect(parsePrometheusText(text).value('g', { v: 'small' })).toBe(0.000001);
  });

  it('prints the database figures as families the strict parser accepts, with the service label none when there is none', () => {
    const facts: DatabaseFacts = {
      incidents: [
        { severity: 'sev1', serviceId: 'payments', open: 1 },
        { severity: 'sev2', serviceId: null, open: 4 },
      ],
      declaredSince: [],
      timeToAcknowledge: { count: 3, sumMs: 95_500, atMost: [1, 2, 2, 3, 3, 3, 3, 3, 3] },
      timeToResolve: { count: 0, sumMs: 0, atMost: [0, 0, 0, 0, 0, 0, 0, 0, 0] },
      pages: { sent: 5, acknowledged: 2 },
      escalations: { escalated: 3, exhausted: 1 },
      failedJobs: [{ kind: 'incident.provision', count: 2 }],
      alerts: [{ integration: 'prod-alertmanager', received: 7, deduplicated: 3, grouped: 2, folded: 1, paged: 1 }],
    };
    const declared = new DeclaredTally();
    declared.add([
      { id: 1, severity: 'sev3', serviceId: 'payments', isDrill: false },
      { id: 2, severity: 'sev2', serviceId: null, isDrill: false },
      { id: 3, severity: 'sev1', serviceId: 'payments', isDrill: true },
    ]);
    declared.add([{ id: 4, severity: 'sev3', serviceId: 'payments', isDrill: false }]);
    expect(declared.lastId).toBe(4);
    const parsed = parsePrometheusText(toPrometheusText(databaseFamilies(facts, declared.samples())));
    expect(parsed.families.get('klaxon_incidents_declared_total')?.samples.map((s) => [s.labels, s.value])).toEqual([
      [{ severity: 'sev2', service: 'none' }, 1],
      [{ severity: 'sev3', service: 'payments' }, 2],
    ]);
    expect(parsed.value('klaxon_incidents_open', { severity: 'sev1', service: 'payments' })).toBe(1);
    expect(parsed.value('klaxon_incidents_open', { severity: 'sev2', service: 'none' })).toBe(4);
    expect(parsed.families.get('klaxon_incidents_open')?.type).toBe('gauge');
    const tta = parsed.histogram('klaxon_time_to_acknowledge_seconds');
    expect([...tta.buckets]).toEqual([[30, 1], [60, 2], [120, 2], [300, 3], [600, 3], [900, 3], [1800, 3], [3600, 3], [7200, 3], [Infinity, 3]]);
    expect(tta.sum).toBe(95.5);
    expect(parsed.histogram('klaxon_time_to_resolve_seconds').count).toBe(0);
    expect(parsed.value('klaxon_pages_sent_total')).toBe(5);
    expect(parsed.value('klaxon_pages_acknowledged_total')).toBe(2);
    expect(parsed.value('klaxon_escalations_escalated_total')).toBe(3);
    expect(parsed.value('klaxon_escalations_exhausted_total')).toBe(1);
    expect(parsed.value('klaxon_jobs_failed', { kind: 'incident.provision' })).toBe(2);
    const prod = { integration: 'prod-alertmanager' };
    expect([
      parsed.value('klaxon_alerts_received_total', prod),
      parsed.value('klaxon_alerts_deduplicated_total', prod),
      parsed.value('klaxon_alerts_grouped_total', prod),
      parsed.value('klaxon_alerts_folded_total', prod),
      parsed.value('klaxon_alert_groups_paged_total', prod),
    ]).toEqual([7, 3, 2, 1, 1]);
    expect(parsed.families.get('klaxon_alerts_received_total')?.type).toBe('counter');
  });
});

describe('the strict parser used by the tests', () => {
  const ok = '# TYPE a_total counter\na_total 1\n';
  it.each([
    ['a sample before its TYPE', 'a_total 1\n', /before its TYPE/],
    ['a missing final newline', '# TYPE a_total counter\na_total 1', /newline/],
    ['a malformed label', '# TYPE a_total counter\na_total{m=x} 1\n', /label without/],
    ['an unknown escape', '# TYPE a_total counter\na_total{m="\\t"} 1\n', /invalid escape/],
    ['a value that is not a number', '# TYPE a_total counter\na_total one\n', /not a number/],
    ['a counter below zero', '# TYPE a_total counter\na_total -1\n', /below zero/],
    ['the same series twice', `${ok}a_total 2\n`, /twice/],
    ['a family split in two', `${ok}# TYPE b gauge\nb 1\na_total{x="1"} 1\n`, /not together/],
    ['a second TYPE', '# TYPE a_total counter\n# TYPE a_total gauge\na_total 1\n', /second TYPE/],
    ['buckets that are not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="2"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n', /not cumulative/],
    ['+Inf different from _count', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 2\n', /is not _count/],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', /not le="\+Inf"/],
  ])('refuses %s', (_, text, why) => {
    expect(() => parsePrometheusText(text)).toThrow(ExpositionError);
    expect(() => parsePrometheusText(text)).toThrow(why);
  });

  it('accepts comments, blank lines and timestamps, and finds samples by exact labels', () => {
    const parsed = parsePrometheusText(`# a comment\n\n# HELP a_total Things.\n${ok}# TYPE b gauge\nb{x="1",y="2"} 3 1700000000000\n`);
    expect(parsed.value('a_total')).toBe(1);
    expect(parsed.value('b', { y: '2', x: '1' })).toBe(3);
    expect(parsed.find('b', { x: '1' })).toBeUndefined();
  });
});
