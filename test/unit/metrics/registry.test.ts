/** The in-memory registry, the merge of the job worker's figures into the main thread's, and what a scrape collects with and without it. */
import type { ReceiverEvent } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsCollector } from '../../../src/metrics/collect.ts';
import { toPrometheusText } from '../../../src/metrics/exposition.ts';
import { mergeFamilies, type MetricFamily } from '../../../src/metrics/families.ts';
import { createProcessMetrics } from '../../../src/metrics/process-metrics.ts';
import { MetricsRegistry } from '../../../src/metrics/registry.ts';
import { deliverOnce } from '../../../src/slack/delivery.ts';
import { testDatabase } from '../../support/db.ts';
import { parsePrometheusText } from '../../support/prometheus.ts';

const familyNamed = (families: MetricFamily[], name: string): MetricFamily => families.find((f) => f.name === name)!;

describe('MetricsRegistry', () => {
  it('counts by label set, and shows a counter without labels as 0 before it is counted', () => {
    const registry = new MetricsRegistry();
    const errors = registry.counter('errors_total', 'Errors.', ['method', 'code']);
    registry.counter('hits_total', 'Hits.');
    errors.inc({ method: 'chat.postMessage', code: 'http_500' });
    errors.inc({ method: 'chat.postMessage', code: 'http_500' }, 2);
    errors.inc({ method: 'pins.add', code: 'not_pinnable' });
    const families = registry.collect();
    expect(familyNamed(families, 'errors_total')).toEqual({
      name: 'errors_total',
      help: 'Errors.',
      type: 'counter',
      samples: [
        { labels: { method: 'chat.postMessage', code: 'http_500' }, value: 3 },
        { labels: { method: 'pins.add', code: 'not_pinnable' }, value: 1 },
      ],
    });
    expect(familyNamed(families, 'hits_total')).toMatchObject({ samples: [{ labels: {}, value: 0 }] });
  });

  it('refuses to count down, a missing label, a bad name and a name registered twice', () => {
    const registry = new MetricsRegistry();
    const calls = registry.counter('calls_total', 'Calls.', ['method']);
    expect(() => calls.inc({ method: 'x' }, -1)).toThrow(/only go up/);
    expect(() => calls.inc({} as { method: string })).toThrow(/needs the labels method/);
    expect(() => registry.counter('calls-total', 'Bad.')).toThrow(/invalid metric name/);
    expect(() => registry.counter('calls_total', 'Again.')).toThrow(/registered twice/);
    expect(() => registry.histogram('h', 'H.', [1, 1])).toThrow(/increasing/);
    expect(() => registry.histogram('h2', 'H.', [1], ['le'])).toThrow(/le/);
  });

  it('keeps histogram buckets cumulative, with the sum and count of every observation', () => {
    const registry = new MetricsRegistry();
    const lag = registry.histogram('lag_seconds', 'Lag.', [0.1, 1, 10]);
    for (const seconds of [0.05, 0.1, 0.5, 3, 60]) lag.observe({}, seconds);
    expect(familyNamed(registry.collect(), 'lag_seconds')).toEqual({ name: 'lag_seconds', help: 'Lag.', type: 'histogram', bounds: [0.1, 1, 10], series: [{ labels: {}, buckets: [2, 3, 4], sum: 63.65, count: 5 }] });
  });

  it('returns a snapshot that later counting does not change', () => {
    const registry = new MetricsRegistry();
    const hits = registry.counter('hits_total', 'Hits.');
    const before = registry.collect();
    hits.inc({});
    expect(familyNamed(before, 'hits_total')).toMatchObject({ samples: [{ value: 0 }] });
    expect(familyNamed(registry.collect(), 'hits_total')).toMatchObject({ samples: [{ value: 1 }] });
  });

  it('prints every process metric as text the strict parser accepts', () => {
    const metrics = createProcessMetrics();
    metrics.slackApiErrors.inc({ method: 'chat.postMessage', code: 'http_500' });
    metrics.schedulerLag.observe({}, 0.02);
    metrics.processStartTime.set({}, 1_764_000_000);
    const parsed = parsePrometheusText(toPrometheusText(metrics.registry.collect()));
    expect(parsed.value('klaxon_slack_api_errors_total', { method: 'chat.postMessage', code: 'http_500' })).toBe(1);
    expect(parsed.value('klaxon_event_dedupe_hits_total')).toBe(0);
    expect(parsed.histogram('klaxon_scheduler_lag_seconds').buckets.get(0.025)).toBe(1);
    expect(parsed.value('klaxon_process_start_time_seconds')).toBe(1_764_000_000);
  });
});

describe('mergeFamilies: the job worker’s figures added to the main thread’s', () => {
  it('sums counters and histograms by label set, keeps series only one side has, and keeps the main thread’s gauges', () => {
    const main = createProcessMetrics();
    const worker = createProcessMetrics();
    main.slackApiCalls.inc({ method: 'views.open' }, 2);
    main.slackApiCalls.inc({ method: 'chat.postMessage' });
    worker.slackApiCalls.inc({ method: 'chat.postMessage' }, 5);
    worker.slackApiRetries.inc({ method: 'chat.postMessage' });
    main.eventDedupeHits.inc({});
    worker.schedulerLag.observe({}, 0.003);
    worker.schedulerLag.observe({}, 2);
    main.schedulerLag.observe({}, 0.2);
    main.processStartTime.set({}, 100);
    worker.processStartTime.set({}, 101);

    // As the worker's answer arrives: a structured clone of its families.
    const merged = mergeFamilies(main.registry.collect(), structuredClone(worker.registry.collect()));
    const parsed = parsePrometheusText(toPrometheusText(merged));
    expect(parsed.value('klaxon_slack_api_calls_total', { method: 'chat.postMessage' })).toBe(6);
    expect(parsed.value('klaxon_slack_api_calls_total', { method: 'views.open' })).toBe(2);
    expect(parsed.value('klaxon_slack_api_retries_total', { method: 'chat.postMessage' })).toBe(1);
    expect(parsed.value('klaxon_event_dedupe_hits_total')).toBe(1);
    const lag = parsed.histogram('klaxon_scheduler_lag_seconds');
    expect(lag.count).toBe(3);
    expect(lag.sum).toBeCloseTo(2.203, 9);
    expect(lag.buckets.get(0.005)).toBe(1);
    expect(lag.buckets.get(0.25)).toBe(2);
    expect(lag.buckets.get(2.5)).toBe(3);
    expect(parsed.value('klaxon_process_start_time_seconds')).toBe(100);
  });

  it('leaves its inputs as they were', () => {
    const main: MetricFamily[] = [{ name: 'c_total', help: 'C.', type: 'counter', samples: [{ labels: {}, value: 1 }] }];
    mergeFamilies(main, [{ name: 'c_total', help: 'C.', type: 'counter', samples: [{ labels: {}, value: 2 }] }]);
    expect(main[0]).toMatchObject({ samples: [{ value: 1 }] });
  });

  it('keeps the first definition of a family the sources disagree about', () => {
    const first: MetricFamily = { name: 'h', help: 'H.', type: 'histogram', bounds: [1, 2], series: [{ labels: {}, buckets: [1, 1], sum: 0.5, count: 1 }] };
    const other: MetricFamily = { ...first, bounds: [1, 3], series: [{ labels: {}, buckets: [4, 4], sum: 4, count: 4 }] };
    const asGauge: MetricFamily = { name: 'h', help: 'H.', type: 'gauge', samples: [{ labels: {}, value: 9 }] };
    expect(mergeFamilies([first], [other], [asGauge])).toEqual([first]);
  });
});

describe('MetricsCollector: what a scrape shows with and without the job worker', () => {
  let database: ReturnType<typeof testDatabase> | undefined;
  afterEach(() => database?.remove());

  const scrape = async (collector: MetricsCollector) => parsePrometheusText(toPrometheusText(await collector.all()));

  it('with the worker answering: its database figures and counters, plus this thread’s counters, and up 1', async () => {
    database = testDatabase();
    const main = createProcessMetrics();
    const worker = createProcessMetrics();
    main.slackApiCalls.inc({ method: 'views.open' });
    worker.slackApiCalls.inc({ method: 'views.open' }, 2);
    // The worker's answer stands for its own reading of the database: 7 pages sent, where this empty one has none.
    const workerAnswer: MetricFamily[] = [{ name: 'klaxon_pages_sent_total', help: 'People paged.', type: 'counter', samples: [{ labels: {}, value: 7 }] }, ...worker.registry.collect()];
    const parsed = await scrape(new MetricsCollector({ db: database.db, registry: main.registry, worker: async () => structuredClone(workerAnswer) }));
    expect(parsed.value('klaxon_pages_sent_total')).toBe(7);
    expect(parsed.value('klaxon_slack_api_calls_total', { method: 'views.open' })).toBe(3);
    expect(parsed.value('klaxon_job_worker_up')).toBe(1);
  });

  it('without an answer: reads the database itself, shows only its own counters, and up 0', async () => {
    database = testDatabase();
    const main = createProcessMetrics();
    main.slackApiCalls.inc({ method: 'views.open' });
    const parsed = await scrape(new MetricsCollector({ db: database.db, registry: main.registry, worker: async () => undefined }));
    expect(parsed.value('klaxon_pages_sent_total')).toBe(0);
    expect(parsed.histogram('klaxon_time_to_acknowledge_seconds').count).toBe(0);
    expect(parsed.value('klaxon_slack_api_calls_total', { method: 'views.open' })).toBe(1);
    expect(parsed.value('klaxon_job_worker_up')).toBe(0);
  });

  it('counts an incident declared once, even when two scrapes overlap', async () => {
    database = testDatabase();
    database.sqlite.prepare("INSERT INTO incidents (title, severity, status, declared_by, declared_at, updated_at) VALUES ('Checkout fails', 'sev2', 'open', 'U01ALICE', 0, 0)").run();
    const collector = new MetricsCollector({ db: database.db, registry: createProcessMetrics().registry });
    await Promise.all([collector.thisThread(), collector.thisThread()]);
    const parsed = parsePrometheusText(toPrometheusText(await collector.thisThread()));
    expect(parsed.value('klaxon_incidents_declared_total', { severity: 'sev2', service: 'none' })).toBe(1);
  });

  it('on one thread: no job worker to report on', async () => {
    database = testDatabase();
    const parsed = await scrape(new MetricsCollector({ db: database.db, registry: createProcessMetrics().registry }));
    expect(parsed.families.has('klaxon_job_worker_up')).toBe(false);
    expect(parsed.families.has('klaxon_incidents_declared_total')).toBe(true);
  });
});

describe('duplicate deliveries', () => {
  it('counts a repeated command and a double click by kind, and not the first of each', async () => {
    const metrics = createProcessMetrics();
    let ran = 0;
    const deliver = deliverOnce(
      async (event) => {
        ran += 1;
        await event.ack();
      },
      { windowMs: 1500, now: () => 1_000, onUnhandled: () => {}, onRepeat: (kind) => metrics.duplicateDeliveries.inc({ kind }) },
    );
    const event = (body: Record<string, unknown>): ReceiverEvent => ({ body, ack: async () => {} });
    const command = { command: '/incident', text: 'help', trigger_id: 'T1' };
    const click = { type: 'block_actions', user: { id: 'U1' }, container: { message_ts: '1.1' }, actions: [{ action_id: 'oncall.ack', block_id: 'b', value: '7' }] };
    for (const body of [command, command, command, click, click]) await deliver(event(body));
    expect(ran).toBe(2);
    const parsed = parsePrometheusText(toPrometheusText(metrics.registry.collect()));
    expect(parsed.value('klaxon_duplicate_deliveries_total', { kind: 'command' })).toBe(2);
    expect(parsed.value('klaxon_duplicate_deliveries_total', { kind: 'action' })).toBe(1);
  });
});
