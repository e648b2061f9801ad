/** The stats report's arithmetic: counts, nearest-rank medians and p90s, drills left out, wall clocks across zones and DST, weeks. */
import { describe, expect, it } from 'vitest';
import { readStatsArgs } from '../../../src/stats/args.ts';
import { statsBlocks } from '../../../src/stats/blocks.ts';
import {
  isOutOfHours,
  nearestRank,
  nightOf,
  pagedPeople,
  pageTimeZone,
  statsReport,
  weekStartOf,
  type IncidentFacts,
  type PageFacts,
  type StatsRows,
} from '../../../src/stats/report.ts';
import { statsJson, statsText } from '../../../src/stats/text.ts';
import { humanDuration } from '../../../src/stats/wording.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);
/** Wednesday 2 December 2026, 12:00 UTC. */
const NOW = at('2026-12-02T12:00:00Z');

function incident(over: Partial<IncidentFacts> = {}): IncidentFacts {
  return { severity: 'sev2', serviceId: 'payments', isDrill: false, declaredAt: NOW - 2 * DAY, acknowledgedAt: null, resolvedAt: null, postmortemComplete: false, ...over };
}

function page(over: Partial<PageFacts> = {}): PageFacts {
  return { userId: 'U01ALICE', via: 'user:U01ALICE', pagedAt: NOW - DAY, serviceId: 'payments', isDrill: false, ...over };
}

const rows = (over: Partial<StatsRows> = {}): StatsRows => ({ incidents: [], pages: [], openProblems: [], recurrences: [], ...over });
const report = (r: StatsRows, over: { period?: '7d' | '30d' | '90d'; serviceId?: string | null; now?: number; zone?: string; people?: Record<string, string>; schedules?: Record<string, string> } = {}) =>
  statsReport(r, {
    period: over.period ?? '30d',
    now: over.now ?? NOW,
    serviceId: over.serviceId ?? null,
    zones: { report: over.zone ?? 'Europe/London', people: new Map(Object.entries(over.people ?? {})), schedules: new Map(Object.entries(over.schedules ?? {})) },
  });

describe('nearestRank', () => {
  it.each([
    { values: [], p: 50, expected: null },
    { values: [7], p: 50, expected: 7 },
    { values: [7], p: 90, expected: 7 },
    { values: [1, 2], p: 50, expected: 1 },
    { values: [1, 2, 3, 4], p: 50, expected: 2 },
    { values: [1, 2, 3, 4], p: 90, expected: 4 },
    { values: [1, 2, 3, 4, 5], p: 50, expected: 3 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 50, expected: 5 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 90, expected: 9 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], p: 90, expected: 10 },
    // 0.9 × 30 is 27.000000000000004 in floating point; the rank must still be 27.
    { values: Array.from({ length: 30 }, (_, i) => i + 1), p: 90, expected: 27 },
  ])('p$p of $values is $expected', ({ values, p, expected }) => {
    expect(nearestRank(values, p)).toBe(expected);
  });
});

describe('statsReport: incidents, MTTA, MTTR', () => {
  it('counts by severity and by service, leaving drills and incidents declared before the period out', () => {
    const r = report(
      rows({
        incidents: [
          incident({ severity: 'sev1' }),
          incident({ severity: 'sev2' }),
          incident({ severity: 'sev2', serviceId: 'search' }),
          incident({ severity: 'sev3', serviceId: null }),
          incident({ severity: 'sev1', isDrill: true }),
          // Declared before the period, resolved in it: only the post-mortem rate sees it.
          incident({ severity: 'sev4', declaredAt: NOW - 40 * DAY, resolvedAt: NOW - 5 * DAY }),
        ],
      }),
    );
    expect(r.incidents.total).toBe(4);
    expect(r.incidents.bySeverity).toEqual({ sev1: 1, sev2: 2, sev3: 1, sev4: 0 });
    expect(r.incidents.byService).toEqual([
      { serviceId: 'payments', count: 2 },
      { serviceId: 'search', count: 1 },
      { serviceId: null, count: 1 },
    ]);
  });

  it.each([
    {
      name: 'every incident acknowledged and resolved',
      acks: [2, 4, 6, 8],
      resolutions: [30, 60, 90, 120],
      mtta: { count: 4, medianMs: 4 * MIN, p90Ms: 8 * MIN, missing: 0 },
      mttr: { count: 4, medianMs: 60 * MIN, p90Ms: 120 * MIN, missing: 0 },
    },
    {
      name: 'some never acknowledged or resolved: left out and counted',
      acks: [3, null, 1, null, 10],
      resolutions: [null, 45, null, null, 15],
      mtta: { count: 3, medianMs: 3 * MIN, p90Ms: 10 * MIN, missing: 2 },
      mttr: { count: 2, medianMs: 15 * MIN, p90Ms: 45 * MIN, missing: 3 },
    },
    {
      name: 'nothing acknowledged',
      acks: [null, null],
      resolutions: [null, null],
      mtta: { count: 0, medianMs: null, p90Ms: null, missing: 2 },
      mttr: { count: 0, medianMs: null, p90Ms: null, missing: 2 },
    },
  ])('$name', ({ acks, resolutions, mtta, mttr }) => {
    const declaredAt = NOW - 3 * DAY;
    const incidents = acks.map((ack, i) => {
      const resolution = resolutions[i];
      return incident({ declaredAt, acknowledgedAt: ack === null ? null : declaredAt + ack * MIN, resolvedAt: resolution === null || resolution === undefined ? null : declaredAt + resolution * MIN });
    });
    // A drill acknowledged at once and resolved in a minute would pull both medians down: it is left out.
    incidents.push(incident({ isDrill: true, declaredAt, acknowledgedAt: declaredAt, resolvedAt: declaredAt + MIN }));
    const r = report(rows({ incidents }));
    expect(r.mtta).toEqual(mtta);
    expect(r.mttr).toEqual(mttr);
  });

  it('filters everything by the service asked about', () => {
    const r = report(
      rows({
        incidents: [incident({ serviceId: 'payments', acknowledgedAt: NOW - 2 * DAY + 5 * MIN }), incident({ serviceId: 'search', acknowledgedAt: NOW - 2 * DAY + 50 * MIN })],
        pages: [page({ serviceId: 'payments', userId: 'U01ALICE' }), page({ serviceId: 'search', userId: 'U01BOB' })],
        openProblems: [{ dueDate: '2026-01-01', serviceId: 'search', isDrill: false }],
        recurrences: [{ at: NOW - DAY, serviceId: 'search', isDrill: false }],
      }),
      { serviceId: 'payments' },
    );
    expect(r.serviceId).toBe('payments');
    expect(r.incidents.total).toBe(1);
    expect(r.mtta.medianMs).toBe(5 * MIN);
    expect(r.oncall.map((p) => p.userId)).toEqual(['U01ALICE']);
    expect(r.problems).toEqual({ open: 0, overdue: 0 });
    expect(r.recurrences).toBe(0);
  });

  it('7d, 30d and 90d reach back that many days from now', () => {
    const incidents = [1, 10, 60, 100].map((days) => incident({ declaredAt: NOW - days * DAY }));
    expect(report(rows({ incidents }), { period: '7d' }).incidents.total).toBe(1);
    expect(report(rows({ incidents }), { period: '30d' }).incidents.total).toBe(2);
    expect(report(rows({ incidents }), { period: '90d' }).incidents.total).toBe(3);
    expect(report(rows({ incidents }), { period: '7d' }).from).toBe(NOW - 7 * DAY);
  });
});

describe('statsReport: post-mortems, problem tickets, recurrences', () => {
  it('rates post-mortems over the incidents resolved in the period, drills left out', () => {
    const r = report(
      rows({
        incidents: [
          incident({ resolvedAt: NOW - DAY, postmortemComplete: true }),
          incident({ resolvedAt: NOW - DAY, postmortemComplete: false }),
          incident({ declaredAt: NOW - 50 * DAY, resolvedAt: NOW - 20 * DAY, postmortemComplete: true }),
          incident({ resolvedAt: null }),
          incident({ isDrill: true, resolvedAt: NOW - DAY, postmortemComplete: false }),
        ],
      }),
    );
    expect(r.postmortems).toEqual({ resolved: 3, complete: 2, rate: 2 / 3 });
    expect(report(rows({ incidents: [incident()] })).postmortems).toEqual({ resolved: 0, complete: 0, rate: null });
  });

  it('counts open tickets, overdue when due before today in the report zone', () => {
    // 2026-12-02T23:30Z is already 3 December in Tokyo: a ticket due on the 2nd is overdue there, not in London.
    const late = at('2026-12-02T23:30:00Z');
    const openProblems = [
      { dueDate: '2026-12-01', serviceId: 'payments', isDrill: false },
      { dueDate: '2026-12-02', serviceId: 'payments', isDrill: false },
      { dueDate: '2026-12-20', serviceId: null, isDrill: false },
      { dueDate: '2026-01-01', serviceId: 'payments', isDrill: true },
    ];
    expect(report(rows({ openProblems }), { now: late, zone: 'Europe/London' }).problems).toEqual({ open: 3, overdue: 1 });
    expect(report(rows({ openProblems }), { now: late, zone: 'Asia/Tokyo' }).problems).toEqual({ open: 3, overdue: 2 });
  });

  it('counts recurrences in the period that are not drills', () => {
    const recurrences = [
      { at: NOW - DAY, serviceId: 'payments', isDrill: false },
      { at: NOW - 3 * DAY, serviceId: 'search', isDrill: false },
      { at: NOW - DAY, serviceId: 'payments', isDrill: true },
      { at: NOW - 31 * DAY, serviceId: 'payments', isDrill: false },
    ];
    expect(report(rows({ recurrences })).recurrences).toBe(2);
  });
});

describe('on-call load: office hours and nights on each person’s wall clock', () => {
  it.each([
    // Monday 23 November 2026, London on GMT.
    { when: '2026-11-23T09:00:00Z', zone: 'Europe/London', outOfHours: false, night: undefined },
    { when: '2026-11-23T08:59:00Z', zone: 'Europe/London', outOfHours: true, night: undefined },
    { when: '2026-11-23T17:59:00Z', zone: 'Europe/London', outOfHours: false, night: undefined },
    { when: '2026-11-23T18:00:00Z', zone: 'Europe/London', outOfHours: true, night: undefined },
    { when: '2026-11-23T22:00:00Z', zone: 'Europe/London', outOfHours: true, night: '2026-11-23' },
    { when: '2026-11-24T06:59:00Z', zone: 'Europe/London', outOfHours: true, night: '2026-11-23' },
    { when: '2026-11-24T07:00:00Z', zone: 'Europe/London', outOfHours: true, night: undefined },
    { when: '2026-11-28T12:00:00Z', zone: 'Europe/London', outOfHours: true, night: undefined },
    // One instant, three zones: 14:00 in London, 09:00 in New York, 23:00 in Tokyo.
    { when: '2026-11-23T14:00:00Z', zone: 'Europe/London', outOfHours: false, night: undefined },
    { when: '2026-11-23T14:00:00Z', zone: 'America/New_York', outOfHours: false, night: undefined },
    { when: '2026-11-23T14:00:00Z', zone: 'Asia/Tokyo', outOfHours: true, night: '2026-11-23' },
    // 03:00 in London and 22:00 the evening before in New York: the same night, named by the date it started.
    { when: '2026-11-24T03:00:00Z', zone: 'America/New_York', outOfHours: true, night: '2026-11-23' },
    // Friday 18:30 in Tokyo is Friday 09:30 in London.
    { when: '2026-11-27T09:30:00Z', zone: 'Asia/Tokyo', outOfHours: true, night: undefined },
    // London springs forward on Sunday 29 March 2026 at 01:00Z: 06:30Z is 07:30 BST (morning), 21:30Z is 22:30 BST (night).
    { when: '2026-03-28T06:30:00Z', zone: 'Europe/London', outOfHours: true, night: '2026-03-27' },
    { when: '2026-03-29T06:30:00Z', zone: 'Europe/London', outOfHours: true, night: undefined },
    { when: '2026-03-29T21:30:00Z', zone: 'Europe/London', outOfHours: true, night: '2026-03-29' },
    { when: '2026-03-30T08:30:00Z', zone: 'Europe/London', outOfHours: false, night: undefined },
    // …and falls back on Sunday 25 October 2026: 06:30Z is 07:30 BST on the Saturday but 06:30 GMT on the Sunday.
    { when: '2026-10-24T06:30:00Z', zone: 'Europe/London', outOfHours: true, night: undefined },
    { when: '2026-10-25T06:30:00Z', zone: 'Europe/London', outOfHours: true, night: '2026-10-24' },
    // New York springs forward on 8 March 2026: Monday 9 March 13:30Z is 09:30 EDT (it was 08:30 EST a week before).
    { when: '2026-03-09T13:30:00Z', zone: 'America/New_York', outOfHours: false, night: undefined },
    { when: '2026-03-02T13:30:00Z', zone: 'America/New_York', outOfHours: true, night: undefined },
  ])('$when in $zone: out of hours $outOfHours, night $night', ({ when, zone, outOfHours, night }) => {
    expect(isOutOfHours(at(when), zone)).toBe(outOfHours);
    expect(nightOf(at(when), zone)).toBe(night);
  });

  it('reads a page in the person’s zone, else its schedule’s, else the report’s', () => {
    const zones = { report: 'Europe/London', people: new Map([['U01ALICE', 'Asia/Tokyo']]), schedules: new Map([['primary', 'America/New_York']]) };
    expect(pageTimeZone({ userId: 'U01ALICE', via: 'schedule:primary' }, zones)).toBe('Asia/Tokyo');
    expect(pageTimeZone({ userId: 'U01BOB', via: 'schedule:primary' }, zones)).toBe('America/New_York');
    expect(pageTimeZone({ userId: 'U01BOB', via: 'schedule:gone' }, zones)).toBe('Europe/London');
    expect(pageTimeZone({ userId: 'U01BOB', via: 'user:U01BOB' }, zones)).toBe('Europe/London');
  });

  it('counts pages, pages out of hours and distinct nights per person, most paged first, drills left out', () => {
    const pages = [
      // Bob, in New York: 23:00 and 02:00 the same night, then a Monday 10:00, then a drill at night.
      page({ userId: 'U01BOB', pagedAt: at('2026-11-24T04:00:00Z') }),
      page({ userId: 'U01BOB', pagedAt: at('2026-11-24T07:00:00Z') }),
      page({ userId: 'U01BOB', pagedAt: at('2026-11-30T15:00:00Z') }),
      page({ userId: 'U01BOB', pagedAt: at('2026-11-26T05:00:00Z'), isDrill: true }),
      // Carol, through a Tokyo schedule (no profile zone): 14:00Z is 23:00 in Tokyo.
      page({ userId: 'U01CAROL', via: 'schedule:apac', pagedAt: at('2026-11-23T14:00:00Z') }),
      // Alice, in London, in office hours.
      page({ userId: 'U01ALICE', pagedAt: at('2026-11-23T14:00:00Z') }),
      page({ userId: 'U01ALICE', pagedAt: at('2026-11-24T14:00:00Z') }),
    ];
    const r = report(rows({ pages }), { people: { U01BOB: 'America/New_York', U01ALICE: 'Europe/London' }, schedules: { apac: 'Asia/Tokyo' } });
    expect(r.oncall).toEqual([
      { userId: 'U01BOB', pages: 3, outOfHours: 2, nights: ['2026-11-23'] },
      { userId: 'U01ALICE', pages: 2, outOfHours: 0, nights: [] },
      { userId: 'U01CAROL', pages: 1, outOfHours: 1, nights: ['2026-11-23'] },
    ]);
    expect(pagedPeople(rows({ pages }), { period: '30d', now: NOW, serviceId: null })).toEqual(['U01ALICE', 'U01BOB', 'U01CAROL']);
  });
});

describe('incidents per week', () => {
  it.each([
    { when: '2026-11-23T00:30:00Z', zone: 'Europe/London', week: '2026-11-23' },
    { when: '2026-11-29T23:59:00Z', zone: 'Europe/London', week: '2026-11-23' },
    { when: '2026-11-29T23:59:00Z', zone: 'Asia/Tokyo', week: '2026-11-30' },
    { when: '2026-11-23T03:00:00Z', zone: 'America/New_York', week: '2026-11-16' },
    // The DST week: Monday 30 March 00:30 BST is still Sunday 23:30 in UTC.
    { when: '2026-03-29T23:30:00Z', zone: 'Europe/London', week: '2026-03-30' },
    { when: '2026-03-29T23:30:00Z', zone: 'UTC', week: '2026-03-23' },
  ])('$when in $zone is in the week of $week', ({ when, zone, week }) => {
    expect(weekStartOf(at(when), zone)).toBe(week);
  });

  it('lists every week the period touches from Monday, empty ones included, counted by severity on the report’s wall clock', () => {
    const now = at('2026-04-08T12:00:00Z');
    const incidents = [
      incident({ severity: 'sev1', declaredAt: at('2026-03-29T22:30:00Z') }), // Sunday 23:30 BST
      incident({ severity: 'sev2', declaredAt: at('2026-03-29T23:30:00Z') }), // Monday 00:30 BST
      incident({ severity: 'sev2', declaredAt: at('2026-03-31T10:00:00Z') }),
      incident({ severity: 'sev3', declaredAt: at('2026-03-31T10:00:00Z'), isDrill: true }),
    ];
    const r = report(rows({ incidents }), { period: '30d', now, zone: 'Europe/London' });
    expect(r.weeks.map((w) => w.weekStart)).toEqual(['2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30', '2026-04-06']);
    expect(r.weeks.find((w) => w.weekStart === '2026-03-23')!.counts).toEqual({ sev1: 1, sev2: 0, sev3: 0, sev4: 0 });
    expect(r.weeks.find((w) => w.weekStart === '2026-03-30')!.counts).toEqual({ sev1: 0, sev2: 2, sev3: 0, sev4: 0 });
    expect(r.weeks.find((w) => w.weekStart === '2026-04-06')!.counts).toEqual({ sev1: 0, sev2: 0, sev3: 0, sev4: 0 });
    expect(report(rows(), { period: '7d', now }).weeks.map((w) => w.weekStart)).toEqual(['2026-03-30', '2026-04-06']);
  });
});

describe('wording and arguments', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [42 * MIN, '42 min'],
    [59 * MIN + 40_000, '1 h'],
    [3 * HOUR + 5 * MIN, '3 h 5 min'],
    [2 * HOUR, '2 h'],
    [26 * HOUR, '1 d 2 h'],
    [48 * HOUR, '2 d'],
  ])('%i ms reads "%s"', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it.each([
    { text: '', expected: { period: '30d', serviceId: null } },
    { text: '7d', expected: { period: '7d', serviceId: null } },
    { text: 'payments 90D', expected: { period: '90d', serviceId: 'payments' } },
    { text: '  Search  ', expected: { period: '30d', serviceId: 'search' } },
    { text: '12d', expected: { problem: '"12d" is not a period: say 7d, 30d or 90d (30d when left out).' } },
    { text: '30d nosuchservice', expected: { problem: 'There is no service "nosuchservice" in klaxon.yml. Known services: payments, search.' } },
    { text: '7d 30d', expected: { problem: 'Give one period: 7d, 30d or 90d.' } },
    { text: 'payments search', expected: { problem: 'Give at most one service.' } },
  ])('"$text"', ({ text, expected }) => {
    expect(readStatsArgs(text, ['payments', 'search'])).toEqual(expected);
  });
});

describe('the answers built from a report', () => {
  const sample = () =>
    report(
      rows({
        incidents: [
          incident({ severity: 'sev1', serviceId: 'evil', declaredAt: NOW - DAY, acknowledgedAt: NOW - DAY + 4 * MIN, resolvedAt: NOW - DAY + 185 * MIN, postmortemComplete: true }),
          incident({ severity: 'sev3', serviceId: null, declaredAt: NOW - DAY }),
        ],
        pages: [page({ userId: 'U01BOB', pagedAt: at('2026-11-24T03:00:00Z') })],
        openProblems: [{ dueDate: '2026-11-01', serviceId: null, isDrill: false }],
      }),
      { people: { U01BOB: 'Europe/London' } },
    );
  const names = new Map([['evil', 'Pay <!channel> & co']]);

  it('Slack blocks: figures, escaped service names, people as mentions', () => {
    const { text, blocks } = statsBlocks(sample(), { serviceNames: names, chart: 'dm' });
    const json = JSON.stringify(blocks);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Incident stats: last 30 days', emoji: true } });
    expect(json).toContain('*Incidents*\\n2');
    expect(json).toContain('*MTTA* (to first acknowledgement)\\nmedian 4 min, p90 4 min\\n_over 1 incident; 1 never acknowledged_');
    expect(json).toContain('*MTTR* (to resolution)\\nmedian 3 h 5 min, p90 3 h 5 min\\n_over 1 incident; 1 not resolved_');
    expect(json).toContain('*Post-mortems complete*\\n1 of 1 resolved incident (100%)');
    expect(json).toContain('*Problem tickets*\\n1 open, 1 overdue');
    expect(json).toContain('Pay &lt;!channel&gt; &amp; co: 1');
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('<@U01BOB>: 1 page, 1 out of hours, 1 night woken');
    expect(json).toContain('is in your DM with Klaxon');
    expect(text).toBe('Incident stats: last 30 days: 2 incidents, MTTA 4 min, MTTR 3 h 5 min (medians)');
  });

  it('plain text and JSON for the CLI', () => {
    const r = sample();
    const text = statsText(r, names);
    expect(text).toMatch(/^Incident stats, last 30 days: Mon 2 Nov 2026 to Wed 2 Dec 2026 \(Europe\/London\), all services; drills left out/);
    expect(text).toContain('MTTA              median 4 min, p90 4 min (over 1 incident; 1 never acknowledged)');
    expect(text).toContain('\n  Pay <!channel> & co  1\n  (no service)    1\n');
    expect(text).toContain('Post-mortems      complete for 1 of 1 resolved incident (100%)');
    expect(text).toContain('  U01BOB          1 page, 1 out of hours, 1 night woken');
    const json = JSON.parse(statsJson(r, names)) as Record<string, unknown>;
    expect(json).toMatchObject({ period: '30d', from: '2026-11-02T12:00:00.000Z', to: '2026-12-02T12:00:00.000Z', mtta: { count: 1, medianMs: 4 * MIN }, problems: { open: 1, overdue: 1 } });
    expect(json.oncall).toEqual([{ userId: 'U01BOB', pages: 1, outOfHours: 1, nightsWoken: 1, nights: ['2026-11-23'] }]);
  });
});
