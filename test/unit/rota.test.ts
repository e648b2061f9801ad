/**
 * The on-call rota engine (oncall/rota.ts), its handoff table and its reports: hand-checked examples
 * across DST, then properties over random rotations, zones, overrides and instants.
 */
import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScheduleConfig } from '../../src/core/config.ts';
import { instantToNaive, naiveOf } from '../../src/core/wall-clock.ts';
import { buildHandoffTable } from '../../src/rotas/handoff-table.ts';
import { coverageGaps, loadByPerson } from '../../src/rotas/rota-report.ts';
import { onCallBetween, overlappingOverrides, rotationShiftAt, scheduleFromConfig, segmentsBetween, shiftStart, weekdayOf, whoIsOnCall } from '../../src/rotas/rota.ts';
import type { OnCall, Override, Rotation, Schedule } from '../../src/rotas/rota.ts';

const UTC = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ZONES = ['Europe/London', 'America/New_York', 'UTC', 'Asia/Tokyo', 'Australia/Lord_Howe', 'America/Sao_Paulo'] as const;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function schedule(timeZone: string, rotation: Rotation, overrides: Override[] = []): Schedule {
  return { id: 'test', timeZone, rotation, overrides: [...overrides].sort((a, b) => a.from - b.from) };
}
const override = (userId: string, from: number, to: number, source: Override['source'] = 'slack'): Override => ({ userId, from, to, source });
const who = (s: Schedule, at: number): string | undefined => whoIsOnCall(s, at)?.userId;

// ---------------------------------------------------------------------------------------------- examples

describe('a weekly mon 09:00 rota in Europe/London', () => {
  const s = schedule('Europe/London', { kind: 'weekly', handoff: 'mon 09:00', start: '2026-01-05', participants: ['U01ALICE', 'U01BOB', 'U01CAROL'] });

  it('hands off at 09:00 local: 08:00Z in BST, 09:00Z in GMT', () => {
    expect(shiftStart(s, 0)).toBe(UTC(2026, 1, 5, 9));
    expect(shiftStart(s, 12)).toBe(UTC(2026, 3, 30, 8)); // Mon 30 Mar 2026, BST
    expect(shiftStart(s, 42)).toBe(UTC(2026, 10, 26, 9)); // Mon 26 Oct 2026, GMT again
    expect(shiftStart(s, 43)).toBe(UTC(2026, 11, 2, 9)); // Mon 2 Nov 2026
  });

  it('gives each shift to participants[k mod 3], one hour short across the spring change', () => {
    expect(rotationShiftAt(s, UTC(2026, 3, 30, 7, 59))).toEqual({ index: 11, userId: 'U01CAROL', start: UTC(2026, 3, 23, 9), end: UTC(2026, 3, 30, 8) });
    expect(rotationShiftAt(s, UTC(2026, 3, 30, 8))).toEqual({ index: 12, userId: 'U01ALICE', start: UTC(2026, 3, 30, 8), end: UTC(2026, 4, 6, 8) });
    expect(rotationShiftAt(s, UTC(2026, 11, 2, 8, 59))).toMatchObject({ index: 42, userId: 'U01ALICE', start: UTC(2026, 10, 26, 9) });
    expect(whoIsOnCall(s, UTC(2026, 11, 2, 9))).toEqual({ userId: 'U01BOB', start: UTC(2026, 11, 2, 9), end: UTC(2026, 11, 9, 9) });
  });

  it('has nobody on call before the first shift', () => {
    expect(rotationShiftAt(s, UTC(2026, 1, 5, 8, 59))).toBeUndefined();
    expect(whoIsOnCall(s, UTC(2025, 6, 1))).toBeUndefined();
    expect(onCallBetween(s, UTC(2026, 1, 1), UTC(2026, 1, 13))).toEqual([
      { userId: 'U01ALICE', start: UTC(2026, 1, 5, 9), end: UTC(2026, 1, 12, 9) },
      { userId: 'U01BOB', start: UTC(2026, 1, 12, 9), end: UTC(2026, 1, 19, 9) },
    ]);
    expect(coverageGaps(s, UTC(2026, 1, 1), UTC(2026, 1, 13))).toEqual([{ from: UTC(2026, 1, 1), to: UTC(2026, 1, 5, 9) }]);
  });

  it('finds the shift far from the start without walking from it', () => {
    const hourly = schedule('Europe/London', { kind: 'hours', shiftHours: 1, handoff: '00:00', start: '2026-01-01', participants: ['U1', 'U2', 'U3'] });
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) expect(rotationShiftAt(hourly, UTC(2090, 1, 1) + i * 7_777_777)).toBeDefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('a daily 08:00 rota in America/New_York', () => {
  const s = schedule('America/New_York', { kind: 'daily', handoff: '08:00', start: '2026-01-05', participants: ['U01ERIN', 'U01FRANK'] });

  it('keeps 08:00 local across 8 March 2026 (a 23-hour shift)', () => {
    expect(rotationShiftAt(s, UTC(2026, 3, 8, 11, 59))).toEqual({ index: 61, userId: 'U01FRANK', start: UTC(2026, 3, 7, 13), end: UTC(2026, 3, 8, 12) });
    expect(rotationShiftAt(s, UTC(2026, 3, 8, 12))).toEqual({ index: 62, userId: 'U01ERIN', start: UTC(2026, 3, 8, 12), end: UTC(2026, 3, 9, 12) });
  });

  it('keeps 08:00 local across 1 November 2026 (a 25-hour shift)', () => {
    expect(rotationShiftAt(s, UTC(2026, 11, 1, 12, 30))).toEqual({ index: 299, userId: 'U01FRANK', start: UTC(2026, 10, 31, 12), end: UTC(2026, 11, 1, 13) });
    expect(who(s, UTC(2026, 11, 1, 13))).toBe('U01ERIN');
  });
});

describe('an hours rotation of 12-hour shifts at 08:00/20:00 Europe/London', () => {
  it('stays at 08:00/20:00 local: 11 hours across the spring change', () => {
    const s = schedule('Europe/London', { kind: 'hours', shiftHours: 12, handoff: '08:00', start: '2026-03-28', participants: ['U01DAY', 'U01NIGHT'] });
    expect([0, 1, 2, 3].map((k) => shiftStart(s, k))).toEqual([UTC(2026, 3, 28, 8), UTC(2026, 3, 28, 20), UTC(2026, 3, 29, 7), UTC(2026, 3, 29, 19)]);
    expect(whoIsOnCall(s, UTC(2026, 3, 29, 6))).toEqual({ userId: 'U01NIGHT', start: UTC(2026, 3, 28, 20), end: UTC(2026, 3, 29, 7) });
  });

  it('and 13 hours across the autumn change', () => {
    const s = schedule('Europe/London', { kind: 'hours', shiftHours: 12, handoff: '08:00', start: '2026-10-24', participants: ['U01DAY', 'U01NIGHT'] });
    expect([0, 1, 2].map((k) => shiftStart(s, k))).toEqual([UTC(2026, 10, 24, 7), UTC(2026, 10, 24, 19), UTC(2026, 10, 25, 8)]);
  });
});

describe('handoffs at times the clocks skip or repeat', () => {
  it('a handoff in the spring-forward gap happens when the clocks jump', () => {
    const london = schedule('Europe/London', { kind: 'daily', handoff: '01:30', start: '2026-03-27', participants: ['U1', 'U2'] });
    // 29 March: the clocks go from 01:00 GMT to 02:00 BST at 01:00Z, so 01:30 never shows.
    expect([0, 1, 2, 3].map((k) => shiftStart(london, k))).toEqual([UTC(2026, 3, 27, 1, 30), UTC(2026, 3, 28, 1, 30), UTC(2026, 3, 29, 1), UTC(2026, 3, 30, 0, 30)]);
    const ny = schedule('America/New_York', { kind: 'daily', handoff: '02:30', start: '2026-03-07', participants: ['U1', 'U2'] });
    expect([0, 1, 2].map((k) => shiftStart(ny, k))).toEqual([UTC(2026, 3, 7, 7, 30), UTC(2026, 3, 8, 7), UTC(2026, 3, 9, 6, 30)]);
  });

  it('a handoff at a repeated time happens at its first occurrence', () => {
    const london = schedule('Europe/London', { kind: 'daily', handoff: '01:30', start: '2026-10-24', participants: ['U1', 'U2'] });
    expect([0, 1, 2].map((k) => shiftStart(london, k))).toEqual([UTC(2026, 10, 24, 0, 30), UTC(2026, 10, 25, 0, 30), UTC(2026, 10, 26, 1, 30)]);
    const ny = schedule('America/New_York', { kind: 'daily', handoff: '01:30', start: '2026-10-31', participants: ['U1', 'U2'] });
    expect(shiftStart(ny, 1)).toBe(UTC(2026, 11, 1, 5, 30));
  });

  it('a shift squeezed to nothing by the gap is skipped', () => {
    // Hourly from 00:00 on 29 March: shifts 1 (01:00 local) and 2 (02:00 local) both start at 01:00Z.
    const s = schedule('Europe/London', { kind: 'hours', shiftHours: 1, handoff: '00:00', start: '2026-03-29', participants: ['U1', 'U2', 'U3'] });
    expect([0, 1, 2, 3].map((k) => shiftStart(s, k))).toEqual([UTC(2026, 3, 29), UTC(2026, 3, 29, 1), UTC(2026, 3, 29, 1), UTC(2026, 3, 29, 2)]);
    expect(rotationShiftAt(s, UTC(2026, 3, 29, 0, 59))).toMatchObject({ index: 0, userId: 'U1' });
    expect(rotationShiftAt(s, UTC(2026, 3, 29, 1))).toEqual({ index: 2, userId: 'U3', start: UTC(2026, 3, 29, 1), end: UTC(2026, 3, 29, 2) });
    expect(onCallBetween(s, UTC(2026, 3, 29), UTC(2026, 3, 29, 2)).map((o) => o.userId)).toEqual(['U1', 'U3']);
  });
});

describe('overrides', () => {
  const config: ScheduleConfig = {
    id: 'payments-primary',
    timezone: 'Europe/London',
    rotation: { kind: 'weekly', handoff: 'mon 09:00', start: '2026-01-05', participants: ['U01ALICE', 'U01BOB', 'U01CAROL'] },
    overrides: [{ user: 'U01DAVE', from: '2026-11-24T09:00', to: '2026-11-25T09:00' }],
  };

  it('replace the rotation inside [from, to) and cut the shift around them (the CONTRACT example)', () => {
    const s = scheduleFromConfig(config, 'UTC');
    const dave = { userId: 'U01DAVE', from: UTC(2026, 11, 24, 9), to: UTC(2026, 11, 25, 9), source: 'file' };
    expect(s.overrides).toEqual([dave]);
    expect(whoIsOnCall(s, UTC(2026, 11, 24, 8, 59))).toEqual({ userId: 'U01BOB', start: UTC(2026, 11, 23, 9), end: UTC(2026, 11, 24, 9) });
    expect(whoIsOnCall(s, UTC(2026, 11, 24, 12))).toEqual({ userId: 'U01DAVE', start: UTC(2026, 11, 24, 9), end: UTC(2026, 11, 25, 9), override: dave });
    expect(whoIsOnCall(s, UTC(2026, 11, 25, 9))).toEqual({ userId: 'U01BOB', start: UTC(2026, 11, 25, 9), end: UTC(2026, 11, 30, 9) });
    expect(onCallBetween(s, UTC(2026, 11, 23, 9), UTC(2026, 11, 30, 9)).map((o) => [o.userId, o.start, o.end])).toEqual([
      ['U01BOB', UTC(2026, 11, 23, 9), UTC(2026, 11, 24, 9)],
      ['U01DAVE', UTC(2026, 11, 24, 9), UTC(2026, 11, 25, 9)],
      ['U01BOB', UTC(2026, 11, 25, 9), UTC(2026, 11, 30, 9)],
    ]);
  });

  it('where they overlap, the later from wins; the earlier one resumes after it', () => {
    const outer = override('U0OUTER', UTC(2026, 2, 1), UTC(2026, 2, 10));
    const inner = override('U0INNER', UTC(2026, 2, 3), UTC(2026, 2, 5));
    const tail = override('U0TAIL', UTC(2026, 2, 8), UTC(2026, 2, 12));
    const s = schedule('UTC', { kind: 'daily', handoff: '09:00', start: '2026-01-05', participants: ['U1'] }, [tail, outer, inner]);
    expect(whoIsOnCall(s, UTC(2026, 2, 2))).toEqual({ userId: 'U0OUTER', start: UTC(2026, 2, 1), end: UTC(2026, 2, 3), override: outer });
    expect(whoIsOnCall(s, UTC(2026, 2, 4))).toEqual({ userId: 'U0INNER', start: UTC(2026, 2, 3), end: UTC(2026, 2, 5), override: inner });
    expect(whoIsOnCall(s, UTC(2026, 2, 6))).toEqual({ userId: 'U0OUTER', start: UTC(2026, 2, 5), end: UTC(2026, 2, 8), override: outer });
    expect(whoIsOnCall(s, UTC(2026, 2, 9))).toEqual({ userId: 'U0TAIL', start: UTC(2026, 2, 8), end: UTC(2026, 2, 12), override: tail });
    expect(whoIsOnCall(s, UTC(2026, 2, 12))).toEqual({ userId: 'U1', start: UTC(2026, 2, 12), end: UTC(2026, 2, 12, 9) });
    expect(overlappingOverrides(s.overrides)).toEqual([
      [outer, inner],
      [outer, tail],
    ]);
  });

  it('with equal from, the later in the list wins: Slack overrides after the file’s', () => {
    const slack: Override = { userId: 'U01ERIN', from: UTC(2026, 11, 24, 9), to: UTC(2026, 11, 24, 12), source: 'slack', id: 7, createdBy: 'U01ALICE' };
    const s = scheduleFromConfig(config, 'UTC', [slack]);
    expect(s.overrides.map((o) => o.source)).toEqual(['file', 'slack']);
    expect(whoIsOnCall(s, UTC(2026, 11, 24, 10))).toMatchObject({ userId: 'U01ERIN', end: UTC(2026, 11, 24, 12), override: slack });
    expect(whoIsOnCall(s, UTC(2026, 11, 24, 12))).toMatchObject({ userId: 'U01DAVE', start: UTC(2026, 11, 24, 12), end: UTC(2026, 11, 25, 9) });
  });

  it('cover time before the rotation starts, and empty ones cover nothing', () => {
    const early = override('U0EARLY', UTC(2025, 12, 30), UTC(2026, 1, 2));
    const empty = override('U0EMPTY', UTC(2026, 1, 10), UTC(2026, 1, 10));
    const s = schedule('Europe/London', { kind: 'daily', handoff: '09:00', start: '2026-01-05', participants: ['U1'] }, [early, empty]);
    expect(who(s, UTC(2026, 1, 1))).toBe('U0EARLY');
    expect(who(s, UTC(2026, 1, 3))).toBeUndefined();
    expect(whoIsOnCall(s, UTC(2026, 1, 10))).toEqual({ userId: 'U1', start: UTC(2026, 1, 9, 9), end: UTC(2026, 1, 10, 9) });
    expect(coverageGaps(s, UTC(2025, 12, 29), UTC(2026, 1, 6))).toEqual([
      { from: UTC(2025, 12, 29), to: UTC(2025, 12, 30) },
      { from: UTC(2026, 1, 2), to: UTC(2026, 1, 5, 9) },
    ]);
    expect(overlappingOverrides([early, empty])).toEqual([]);
  });

  it('merge with neighbouring time of the same person in onCallBetween', () => {
    const own = override('U2', UTC(2026, 1, 6, 12), UTC(2026, 1, 6, 18));
    const swap = override('U1', UTC(2026, 1, 6, 18), UTC(2026, 1, 7, 9));
    const s = schedule('UTC', { kind: 'daily', handoff: '09:00', start: '2026-01-05', participants: ['U1', 'U2'] }, [own, swap]);
    // U1 5th 09:00-6th 09:00; U2's shift 6th 09:00-12:00, then U2's own override 12:00-18:00; U1's override
    // 18:00-7th 09:00, then U1's shift 7th 09:00-8th 09:00.
    expect(onCallBetween(s, UTC(2026, 1, 5, 9), UTC(2026, 1, 8, 9))).toEqual([
      { userId: 'U1', start: UTC(2026, 1, 5, 9), end: UTC(2026, 1, 6, 9) },
      { userId: 'U2', start: UTC(2026, 1, 6, 9), end: UTC(2026, 1, 6, 18) },
      { userId: 'U1', start: UTC(2026, 1, 6, 18), end: UTC(2026, 1, 8, 9), override: swap },
    ]);
    // Segment by segment they stay apart.
    expect(whoIsOnCall(s, UTC(2026, 1, 6, 13))).toEqual({ userId: 'U2', start: UTC(2026, 1, 6, 12), end: UTC(2026, 1, 6, 18), override: own });
    expect(whoIsOnCall(s, UTC(2026, 1, 7, 10))).toEqual({ userId: 'U1', start: UTC(2026, 1, 7, 9), end: UTC(2026, 1, 8, 9) });
  });
});

describe('scheduleFromConfig and weekdayOf', () => {
  const base: ScheduleConfig = { id: 'x', rotation: { kind: 'hours', shift_hours: 12, handoff: '08:00', start: '2026-01-05', participants: ['U1'] }, overrides: [] };

  it('uses the default zone, keeps shift_hours and sorts file overrides (an explicit offset wins)', () => {
    const s = scheduleFromConfig({ ...base, overrides: [{ user: 'U2', from: '2026-06-02T09:00', to: '2026-06-03T09:00' }, { user: 'U3', from: '2026-06-01T09:00Z', to: '2026-06-01T12:00+02:00' }] }, 'Europe/London');
    expect(s.timeZone).toBe('Europe/London');
    expect(s.rotation).toEqual({ kind: 'hours', shiftHours: 12, handoff: '08:00', start: '2026-01-05', participants: ['U1'] });
    expect(s.overrides.map((o) => [o.userId, o.from, o.to])).toEqual([
      ['U3', UTC(2026, 6, 1, 9), UTC(2026, 6, 1, 10)],
      ['U2', UTC(2026, 6, 2, 8), UTC(2026, 6, 3, 8)],
    ]);
  });

  it('refuses an override time that does not exist on the calendar', () => {
    expect(() => scheduleFromConfig({ ...base, overrides: [{ user: 'U2', from: '2026-02-30T09:00', to: '2026-03-01T09:00' }] }, 'UTC')).toThrow('schedule x: overrides[0].from "2026-02-30T09:00" is not a valid date and time');
  });

  it('weekdayOf counts from Sunday', () => {
    expect(weekdayOf('2026-01-04')).toBe(0);
    expect(weekdayOf('2026-01-05')).toBe(1);
    expect(weekdayOf('2026-11-24')).toBe(2);
    expect(() => weekdayOf('2026-02-30')).toThrow(RangeError);
  });
});

describe('loadByPerson', () => {
  const s = schedule('Europe/London', { kind: 'daily', handoff: '09:00', start: '2026-01-05', participants: ['U1', 'U2'] });

  it('adds up hours, night hours (22:00-07:00) and weekend hours, most first', () => {
    // Mon 5 Jan to Mon 12 Jan: U1 has Mon, Wed, Fri, Sun; U2 has Tue, Thu, Sat; each shift spans one night.
    expect(loadByPerson(s, UTC(2026, 1, 5, 9), UTC(2026, 1, 12, 9))).toEqual([
      { userId: 'U1', shifts: 4, hours: 96, nightHours: 36, weekendHours: 24 },
      { userId: 'U2', shifts: 3, hours: 72, nightHours: 27, weekendHours: 24 },
    ]);
  });

  it('clips to the window and counts overrides, listing idle participants with zeros', () => {
    const withOverride = { ...s, overrides: [override('U3', UTC(2026, 1, 5, 21), UTC(2026, 1, 6, 1))] };
    expect(loadByPerson(withOverride, UTC(2026, 1, 5, 12), UTC(2026, 1, 6, 6))).toEqual([
      { userId: 'U1', shifts: 2, hours: 14, nightHours: 5, weekendHours: 0 },
      { userId: 'U3', shifts: 1, hours: 4, nightHours: 3, weekendHours: 0 },
      { userId: 'U2', shifts: 0, hours: 0, nightHours: 0, weekendHours: 0 },
    ]);
    expect(loadByPerson(s, UTC(2025, 1, 1), UTC(2025, 2, 1)).map((l) => [l.userId, l.hours])).toEqual([
      ['U1', 0],
      ['U2', 0],
    ]);
  });

  it('counts the night the clocks go back as 10 hours', () => {
    const one = schedule('Europe/London', { kind: 'daily', handoff: '09:00', start: '2026-10-24', participants: ['U1'] });
    expect(loadByPerson(one, UTC(2026, 10, 24, 8), UTC(2026, 10, 25, 9))).toEqual([{ userId: 'U1', shifts: 1, hours: 25, nightHours: 10, weekendHours: 25 }]);
  });
});

// -------------------------------------------------------------------------------------------- properties

const dayArb = fc.integer({ min: UTC(2015, 1, 1) / DAY, max: UTC(2030, 12, 31) / DAY }).map((d) => new Date(d * DAY).toISOString().slice(0, 10));
const clockArb = fc.record({ hour: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })), minute: fc.oneof(fc.constantFrom(0, 15, 30, 45), fc.integer({ min: 0, max: 59 })) });
const pad2 = (n: number): string => String(n).padStart(2, '0');

const rotationArb = fc
  .record({
    kind: fc.constantFrom('daily', 'weekly', 'hours'),
    clock: clockArb,
    shiftHours: fc.oneof(fc.constantFrom(1, 8, 12, 24), fc.integer({ min: 1, max: 48 })),
    start: dayArb,
    participants: fc.uniqueArray(fc.constantFrom('UA', 'UB', 'UC', 'UD', 'UE', 'UF', 'UG'), { minLength: 1, maxLength: 6 }),
  })
  .map(({ kind, clock, shiftHours, start, participants }): Rotation => {
    const time = `${pad2(clock.hour)}:${pad2(clock.minute)}`;
    if (kind === 'weekly') return { kind, handoff: `${WEEKDAYS[weekdayOf(start)]} ${time}`, start, participants };
    return kind === 'hours' ? { kind, handoff: time, shiftHours, start, participants } : { kind, handoff: time, start, participants };
  });

/** Overrides around the rotation's start; some snapped to shift boundaries, some empty, some for participants. */
function overridesArb(maxLength: number): fc.Arbitrary<{ user: string; from: number; length: number; snap: number | null }[]> {
  return fc.array(
    fc.record({
      user: fc.constantFrom('UA', 'UB', 'UX', 'UY'),
      from: fc.integer({ min: -10 * 24 * 60, max: 40 * 24 * 60 }).map((m) => m * MINUTE),
      length: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 * 24 * 60 }).map((m) => m * MINUTE)),
      snap: fc.option(fc.integer({ min: 0, max: 30 })),
    }),
    { maxLength },
  );
}

const scheduleArb = (maxOverrides: number): fc.Arbitrary<Schedule> =>
  fc.record({ zone: fc.constantFrom(...ZONES), rotation: rotationArb, overrides: overridesArb(maxOverrides) }).map(({ zone, rotation, overrides }) => {
    const bare = schedule(zone, rotation);
    const origin = shiftStart(bare, 0);
    return schedule(
      zone,
      rotation,
      overrides.map((o, i) => {
        const from = o.snap === null ? origin + o.from : shiftStart(bare, o.snap);
        return override(o.user, from, from + o.length, i % 2 ? 'file' : 'slack');
      }),
    );
  });

/** The override in effect at `at` by the rule, written the obvious way: latest from, then latest in the list. */
function expectedOverride(overrides: readonly Override[], at: number): Override | undefined {
  let best: Override | undefined;
  for (const o of overrides) if (o.from <= at && at < o.to && (best === undefined || o.from >= best.from)) best = o;
  return best;
}

const sameSegment = (a: OnCall | undefined): unknown => a && { userId: a.userId, start: a.start, end: a.end, override: a.override };

describe('properties', () => {
  it('at or after the start exactly one participant is on call: participants[k mod n] of the shift k containing the instant', () => {
    const arb = fc.record({ zone: fc.constantFrom(...ZONES), rotation: rotationArb, after: fc.oneof(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 0, max: 3 * 365 * DAY })) });
    fc.assert(
      fc.property(arb, ({ zone, rotation, after }) => {
        const s = schedule(zone, rotation);
        const first = shiftStart(s, 0);
        const at = first + after;
        const shift = rotationShiftAt(s, at)!;
        expect(shift.start).toBeLessThanOrEqual(at);
        expect(shift.end).toBeGreaterThan(at);
        expect(shift.start).toBe(shiftStart(s, shift.index));
        expect(shift.end).toBe(shiftStart(s, shift.index + 1));
        if (shift.index > 0) expect(shiftStart(s, shift.index - 1)).toBeLessThanOrEqual(shift.start);
        expect(shift.userId).toBe(rotation.participants[shift.index % rotation.participants.length]);
        expect(whoIsOnCall(s, at)).toEqual({ userId: shift.userId, start: shift.start, end: shift.end });
        // The next non-empty shift starts exactly where this one ends.
        const next = rotationShiftAt(s, shift.end)!;
        expect(next.index).toBeGreaterThan(shift.index);
        expect(next.start).toBe(shift.end);
        expect(rotationShiftAt(s, first - 1)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('overrides win inside their window and nowhere else', () => {
    const arb = fc.record({ s: scheduleArb(5), at: fc.integer({ min: -12 * DAY, max: 45 * DAY }) });
    fc.assert(
      fc.property(arb, ({ s, at: offset }) => {
        const at = shiftStart(s, 0) + offset;
        const expected = expectedOverride(s.overrides, at);
        const got = whoIsOnCall(s, at);
        if (expected !== undefined) {
          expect(got?.override).toBe(expected);
          expect(got?.userId).toBe(expected.userId);
        } else {
          expect(got?.override).toBeUndefined();
          expect(got?.userId).toBe(rotationShiftAt(s, at)?.userId);
        }
        if (got !== undefined) {
          expect(got.start).toBeLessThanOrEqual(at);
          expect(got.end).toBeGreaterThan(at);
          expect(sameSegment(whoIsOnCall(s, got.start))).toEqual(sameSegment(got));
          expect(sameSegment(whoIsOnCall(s, got.end - 1))).toEqual(sameSegment(got));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('handoffs land on the local handoff time across DST in London and New York; in a gap, when the clocks jump', () => {
    const arb = fc.record({
      zone: fc.constantFrom('Europe/London', 'America/New_York'),
      year: fc.integer({ min: 2007, max: 2037 }),
      spring: fc.boolean(),
      dayDelta: fc.constantFrom(0, 0, 0, -1, 1),
      kind: fc.constantFrom('daily', 'weekly', 'hours'),
      shiftHours: fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 24),
      clock: fc.record({ hour: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })), minute: fc.integer({ min: 0, max: 59 }) }),
      lead: fc.integer({ min: 0, max: 20 }),
      n: fc.integer({ min: 1, max: 6 }),
    });
    const seen = { gap: 0, repeated: 0 };
    fc.assert(
      fc.property(arb, ({ zone, year, spring, dayDelta, kind, shiftHours, clock, lead, n }) => {
        const day = transitionDay(zone, year, spring) + dayDelta * DAY;
        const daysBefore = kind === 'weekly' ? 7 * lead : lead;
        const start = new Date(day - daysBefore * DAY).toISOString().slice(0, 10);
        const time = `${pad2(clock.hour)}:${pad2(clock.minute)}`;
        const participants = ['UA', 'UB', 'UC', 'UD', 'UE', 'UF'].slice(0, n);
        const rotation: Rotation = kind === 'weekly' ? { kind, handoff: `${WEEKDAYS[weekdayOf(start)]} ${time}`, start, participants } : { kind, handoff: time, shiftHours, start, participants };
        const s = schedule(zone, rotation);
        const first = naiveOf(year, 1, 1) + (Date.parse(start) - Date.UTC(year, 0, 1)) + clock.hour * HOUR + clock.minute * MINUTE;
        // The shifts whose handoff falls on `day` (one for daily and weekly, 24/h for hours).
        const period = kind === 'hours' ? shiftHours * HOUR : kind === 'weekly' ? 7 * DAY : DAY;
        const firstIndex = Math.round((day + clock.hour * HOUR + clock.minute * MINUTE - first) / period);
        const count = kind === 'hours' ? 24 / shiftHours : 1;
        for (let k = firstIndex; k < firstIndex + count; k++) {
          const naive = first + k * period;
          const at = shiftStart(s, k);
          if (existsOnce(naive, zone) || existsTwice(naive, zone)) {
            if (existsTwice(naive, zone)) seen.repeated += 1;
            expect(instantToNaive(at, zone)).toBe(naive);
            expect(instantToNaive(at - HOUR, zone)).not.toBe(naive); // the earlier of two
          } else {
            seen.gap += 1;
            expect(instantToNaive(at - 1, zone)).toBeLessThan(naive);
            expect(instantToNaive(at, zone)).toBeGreaterThan(naive);
            expect(instantToNaive(at, zone) - naive).toBeLessThanOrEqual(HOUR);
          }
          if (shiftStart(s, k + 1) > at) expect(rotationShiftAt(s, at)).toMatchObject({ index: k, userId: participants[k % n] });
        }
      }),
      { numRuns: 400 },
    );
    expect(seen.gap).toBeGreaterThan(0);
    expect(seen.repeated).toBeGreaterThan(0);
  });

  it('the handoff table agrees with the direct computation everywhere, boundaries and outside the window included', () => {
    const arb = fc.record({
      s: scheduleArb(6),
      from: fc.integer({ min: -5 * DAY, max: 30 * DAY }),
      length: fc.integer({ min: 0, max: 21 * DAY }),
      probes: fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { minLength: 20, maxLength: 40 }),
    });
    fc.assert(
      fc.property(arb, ({ s, from: offset, length, probes }) => {
        const from = shiftStart(s, 0) + offset;
        const to = from + length;
        const table = buildHandoffTable(s, from, to);
        const boundaries = segmentsBetween(s, from, to).flatMap((seg) => [seg.start - 1, seg.start, seg.end - 1, seg.end]);
        const instants = [from - 1, from, to - 1, to, ...boundaries, ...probes.map((p) => Math.floor(from + p * Math.max(length, DAY)))];
        for (const at of instants) expect(table.whoIsOnCall(at)).toEqual(whoIsOnCall(s, at));
      }),
      { numRuns: 150 },
    );
  });

  it('onCallBetween: ordered, non-overlapping, same-person neighbours merged, agreeing with whoIsOnCall', () => {
    const arb = fc.record({ s: scheduleArb(6), from: fc.integer({ min: -5 * DAY, max: 30 * DAY }), length: fc.integer({ min: 0, max: 21 * DAY }), probes: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 20 }) });
    fc.assert(
      fc.property(arb, ({ s, from: offset, length, probes }) => {
        const from = shiftStart(s, 0) + offset;
        const to = from + length;
        const stretches = onCallBetween(s, from, to);
        stretches.forEach((stretch, i) => {
          expect(stretch.start).toBeLessThan(stretch.end);
          expect(stretch.start).toBeLessThan(to);
          expect(stretch.end).toBeGreaterThan(from);
          expect(who(s, stretch.start)).toBe(stretch.userId);
          expect(who(s, stretch.end - 1)).toBe(stretch.userId);
          expect(whoIsOnCall(s, stretch.start)?.override).toBe(stretch.override);
          const next = stretches[i + 1];
          if (next !== undefined) {
            expect(stretch.end).toBeLessThanOrEqual(next.start);
            if (stretch.end === next.start) expect(next.userId).not.toBe(stretch.userId);
          }
        });
        // Every instant of the window is in a stretch of the person on call, or in a coverage gap.
        const gaps = coverageGaps(s, from, to);
        for (const p of length > 0 ? probes : []) {
          const at = Math.min(to - 1, from + Math.floor(p * length));
          const inStretch = stretches.find((x) => x.start <= at && at < x.end);
          expect(inStretch?.userId).toBe(who(s, at));
          expect(gaps.some((g) => g.from <= at && at < g.to)).toBe(inStretch === undefined);
        }
      }),
      { numRuns: 150 },
    );
  });
});

/** The naive midnight (as UTC ms) of the day the clocks change: EU last Sunday of March/October, US 2nd Sunday of March/1st of November. */
function transitionDay(zone: string, year: number, spring: boolean): number {
  if (zone === 'Europe/London') {
    const last = Date.UTC(year, spring ? 3 : 10, 0);
    return last - new Date(last).getUTCDay() * DAY;
  }
  const firstOfMonth = Date.UTC(year, spring ? 2 : 10, 1);
  const firstSunday = firstOfMonth + ((7 - new Date(firstOfMonth).getUTCDay()) % 7) * DAY;
  return spring ? firstSunday + 7 * DAY : firstSunday;
}

/** Whether the wall clock shows `naive` at least once, judged independently by TZDate (which moves a skipped time forward). */
function existsOnce(naive: number, zone: string): boolean {
  const d = new Date(naive);
  const tz = new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), zone);
  return tz.getHours() === d.getUTCHours() && tz.getMinutes() === d.getUTCMinutes() && tz.getDate() === d.getUTCDate();
}

/** Whether `naive` shows twice: an hour after some instant that shows it, the clock shows it again. */
function existsTwice(naive: number, zone: string): boolean {
  const candidates = [-10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5].map((h) => naive - h * HOUR);
  return candidates.filter((at) => instantToNaive(at, zone) === naive).length > 1;
}
