/**
 * core/wall-clock.ts: local time ↔ instant across DST (gaps give the instant the clocks jump, repeated
 * times their first occurrence), parsing of klaxon.yml date-times, and formatting for people.
 */
import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTimeInZone, formatInZone, instantToNaive, isTimeZone, localParts, localToInstant, naiveOf, parseLocalDateTime, zoneName } from '../../src/core/wall-clock.ts';

const UTC = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, mo - 1, d, h, mi, s);
const local = (y: number, mo: number, d: number, h: number, mi: number) => ({ year: y, month: mo, day: d, hour: h, minute: mi });
const ZONES = ['Europe/London', 'America/New_York', 'UTC', 'Asia/Tokyo', 'Australia/Lord_Howe', 'America/Sao_Paulo'] as const;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('isTimeZone', () => {
  it('knows IANA zones and nothing else', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('localToInstant', () => {
  it('converts ordinary times with the offset in force', () => {
    expect(localToInstant(local(2026, 1, 5, 9, 0), 'Europe/London')).toBe(UTC(2026, 1, 5, 9));
    expect(localToInstant(local(2026, 7, 6, 9, 0), 'Europe/London')).toBe(UTC(2026, 7, 6, 8));
    expect(localToInstant(local(2026, 1, 5, 8, 0), 'America/New_York')).toBe(UTC(2026, 1, 5, 13));
    expect(localToInstant(local(2026, 7, 6, 8, 0), 'Asia/Tokyo')).toBe(UTC(2026, 7, 5, 23));
  });

  it('gives a time in a spring-forward gap the instant the clocks jump (the first instant after the gap)', () => {
    // London 2026-03-29: 01:00 GMT → 02:00 BST at 01:00Z; 01:00-01:59 do not exist.
    for (const minute of [0, 30, 59]) expect(localToInstant(local(2026, 3, 29, 1, minute), 'Europe/London')).toBe(UTC(2026, 3, 29, 1));
    expect(localToInstant(local(2026, 3, 29, 2, 0), 'Europe/London')).toBe(UTC(2026, 3, 29, 1));
    expect(localToInstant(local(2026, 3, 29, 2, 30), 'Europe/London')).toBe(UTC(2026, 3, 29, 1, 30));
    // New York 2026-03-08: 02:00 EST → 03:00 EDT at 07:00Z.
    expect(localToInstant(local(2026, 3, 8, 2, 30), 'America/New_York')).toBe(UTC(2026, 3, 8, 7));
    // Lord Howe 2026-10-04: 02:00 (+10:30) → 02:30 (+11) at 15:30Z the day before; a 30-minute gap.
    expect(localToInstant(local(2026, 10, 4, 2, 15), 'Australia/Lord_Howe')).toBe(UTC(2026, 10, 3, 15, 30));
    // São Paulo 2018-11-04: midnight did not exist (00:00 -03 → 01:00 -02 at 03:00Z).
    expect(localToInstant(local(2018, 11, 4, 0, 0), 'America/Sao_Paulo')).toBe(UTC(2018, 11, 4, 3));
    // Samoa skipped 30 December 2011 altogether.
    expect(localToInstant(local(2011, 12, 30, 12, 0), 'Pacific/Apia')).toBe(UTC(2011, 12, 30, 10));
  });

  it('gives a time that happens twice its earlier instant', () => {
    // London 2026-10-25: 02:00 BST → 01:00 GMT at 01:00Z; 01:00-01:59 happen twice.
    expect(localToInstant(local(2026, 10, 25, 1, 30), 'Europe/London')).toBe(UTC(2026, 10, 25, 0, 30));
    expect(localToInstant(local(2026, 10, 25, 2, 0), 'Europe/London')).toBe(UTC(2026, 10, 25, 2));
    // New York 2026-11-01: 02:00 EDT → 01:00 EST at 06:00Z.
    expect(localToInstant(local(2026, 11, 1, 1, 30), 'America/New_York')).toBe(UTC(2026, 11, 1, 5, 30));
    // Lord Howe 2026-04-05: 02:00 (+11) → 01:30 (+10:30) at 15:00Z the day before.
    expect(localToInstant(local(2026, 4, 5, 1, 45), 'Australia/Lord_Howe')).toBe(UTC(2026, 4, 4, 14, 45));
  });

  it('rolls out-of-range fields over like Date.UTC and handles years below 100', () => {
    expect(localToInstant(local(2026, 1, 32, 9, 0), 'UTC')).toBe(UTC(2026, 2, 1, 9));
    expect(new Date(localToInstant(local(50, 6, 1, 0, 0), 'UTC')).getUTCFullYear()).toBe(50);
  });

  it('returns the earliest instant whose wall clock shows the time or later (property)', () => {
    const arb = fc.record({
      zone: fc.constantFrom(...ZONES),
      naive: fc.integer({ min: UTC(1990, 1, 1) / MINUTE, max: UTC(2040, 1, 1) / MINUTE }).map((m) => m * MINUTE),
      back: fc.integer({ min: 1, max: 36 * 60 }).map((m) => m * MINUTE),
    });
    fc.assert(
      fc.property(arb, ({ zone, naive, back }) => {
        const at = localToInstant(toLocal(naive), zone);
        expect(instantToNaive(at, zone)).toBeGreaterThanOrEqual(naive);
        expect(instantToNaive(at, zone) - naive).toBeLessThanOrEqual(HOUR);
        expect(instantToNaive(at - 1, zone)).toBeLessThan(naive);
        expect(instantToNaive(at - back, zone)).toBeLessThan(naive);
      }),
      { numRuns: 400 },
    );
  });

  it('never goes backwards as the local time increases (property)', () => {
    const arb = fc.record({
      zone: fc.constantFrom(...ZONES),
      a: fc.integer({ min: UTC(1990, 1, 1) / MINUTE, max: UTC(2040, 1, 1) / MINUTE }),
      step: fc.integer({ min: 0, max: 3 * 60 }),
    });
    fc.assert(
      fc.property(arb, ({ zone, a, step }) => {
        expect(localToInstant(toLocal(a * MINUTE), zone)).toBeLessThanOrEqual(localToInstant(toLocal((a + step) * MINUTE), zone));
      }),
      { numRuns: 400 },
    );
  });
});

function toLocal(naive: number): ReturnType<typeof local> {
  const d = new Date(naive);
  return local(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
}

describe('localParts', () => {
  it('reads the wall clock, weekday included', () => {
    expect(localParts(UTC(2026, 3, 30, 8), 'Europe/London')).toEqual({ year: 2026, month: 3, day: 30, hour: 9, minute: 0, weekday: 1 });
    expect(localParts(UTC(2026, 1, 4, 23, 30), 'Asia/Tokyo')).toEqual({ year: 2026, month: 1, day: 5, hour: 8, minute: 30, weekday: 1 });
    expect(localParts(UTC(2026, 11, 1, 5, 30), 'America/New_York')).toMatchObject({ day: 1, hour: 1, minute: 30, weekday: 0 });
    expect(localParts(UTC(2026, 11, 1, 6, 30), 'America/New_York')).toMatchObject({ day: 1, hour: 1, minute: 30, weekday: 0 });
  });

  it('agrees with TZDate (property)', () => {
    const arb = fc.record({ zone: fc.constantFrom(...ZONES), at: fc.integer({ min: UTC(1980, 1, 1), max: UTC(2060, 1, 1) }) });
    fc.assert(
      fc.property(arb, ({ zone, at }) => {
        const d = new TZDate(at, zone);
        expect(localParts(at, zone)).toEqual({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), weekday: d.getDay() });
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips through localToInstant, except on the second pass of a repeated hour (property)', () => {
    const arb = fc.record({ zone: fc.constantFrom(...ZONES), minute: fc.integer({ min: UTC(1990, 1, 1) / MINUTE, max: UTC(2040, 1, 1) / MINUTE }) });
    fc.assert(
      fc.property(arb, ({ zone, minute }) => {
        const at = minute * MINUTE;
        const back = localToInstant(localParts(at, zone), zone);
        expect(localParts(back, zone)).toEqual(localParts(at, zone));
        expect(back === at || (back < at && at - back <= HOUR)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseLocalDateTime', () => {
  it('reads the accepted forms as wall-clock times in the zone', () => {
    expect(parseLocalDateTime('2026-11-24T09:00', 'Europe/London')).toBe(UTC(2026, 11, 24, 9));
    expect(parseLocalDateTime('2026-06-24T09:00', 'Europe/London')).toBe(UTC(2026, 6, 24, 8));
    expect(parseLocalDateTime('2026-06-24T09:00:30', 'Europe/London')).toBe(UTC(2026, 6, 24, 8, 0, 30));
    expect(parseLocalDateTime('2026-06-24', 'America/New_York')).toBe(UTC(2026, 6, 24, 4));
    expect(parseLocalDateTime('2028-02-29T12:00', 'UTC')).toBe(UTC(2028, 2, 29, 12));
  });

  it('lets an explicit offset win over the zone', () => {
    expect(parseLocalDateTime('2026-06-24T09:00Z', 'Europe/London')).toBe(UTC(2026, 6, 24, 9));
    expect(parseLocalDateTime('2026-06-24T09:00+05:30', 'Europe/London')).toBe(UTC(2026, 6, 24, 3, 30));
    expect(parseLocalDateTime('2026-06-24T09:00:15-03:00', 'Asia/Tokyo')).toBe(UTC(2026, 6, 24, 12, 0, 15));
  });

  it('resolves gaps and repeated times like localToInstant', () => {
    expect(parseLocalDateTime('2026-03-29T01:30', 'Europe/London')).toBe(UTC(2026, 3, 29, 1));
    expect(parseLocalDateTime('2026-10-25T01:30', 'Europe/London')).toBe(UTC(2026, 10, 25, 0, 30));
  });

  it('rejects anything malformed or impossible', () => {
    for (const text of ['', 'tomorrow', '2026-02-30', '2026-02-29T09:00', '2026-13-01', '2026-1-5', '2026-01-05T24:00', '2026-01-05T09:60', '2026-01-05T09:00:60', '2026-01-05 09:00', '2026-01-05T9:00', '2026-01-05T09:00z', '2026-01-05T09:00+0100', '2026-01-05T09:00+01:60', '2026-01-05T09:00+24:00', '2026-01-05Z', ' 2026-01-05']) {
      expect(parseLocalDateTime(text, 'Europe/London'), text).toBeUndefined();
    }
    expect(parseLocalDateTime('2026-01-05T09:00', 'Mars/Olympus_Mons')).toBeUndefined();
  });

  it('agrees with localToInstant for every valid local time (property)', () => {
    const arb = fc.record({ zone: fc.constantFrom(...ZONES), naive: fc.integer({ min: UTC(1990, 1, 1) / MINUTE, max: UTC(2040, 1, 1) / MINUTE }).map((m) => m * MINUTE) });
    fc.assert(
      fc.property(arb, ({ zone, naive }) => {
        const text = new Date(naive).toISOString().slice(0, 16);
        expect(parseLocalDateTime(text, zone)).toBe(localToInstant(toLocal(naive), zone));
        expect(parseLocalDateTime(`${text}Z`, zone)).toBe(naive);
      }),
      { numRuns: 200 },
    );
  });
});

describe('formatInZone', () => {
  it('writes weekday, day, month, 24-hour time and the zone abbreviation', () => {
    expect(formatInZone(UTC(2025, 12, 1, 9), 'Europe/London')).toBe('Mon 1 Dec 09:00 GMT');
    expect(formatInZone(UTC(2026, 3, 30, 8), 'Europe/London')).toBe('Mon 30 Mar 09:00 BST');
    expect(formatInZone(UTC(2026, 1, 5, 13, 5), 'America/New_York')).toBe('Mon 5 Jan 08:05 EST');
    expect(formatInZone(UTC(2026, 3, 8, 12), 'America/New_York')).toBe('Sun 8 Mar 08:00 EDT');
    expect(formatInZone(UTC(2026, 1, 5, 8), 'Europe/Berlin')).toBe('Mon 5 Jan 09:00 CET');
    expect(formatInZone(UTC(2026, 1, 5, 0), 'Asia/Tokyo')).toBe('Mon 5 Jan 09:00 GMT+9');
    expect(formatInZone(UTC(2026, 1, 5, 9), 'UTC')).toBe('Mon 5 Jan 09:00 UTC');
    expect(formatInZone(UTC(2026, 9, 7, 12), 'America/Sao_Paulo')).toBe('Mon 7 Sep 09:00 GMT-3');
  });

  it('picks per zone a locale that has letter abbreviations, falling back to GMT±N', () => {
    expect(zoneName(UTC(2026, 7, 1), 'Europe/Dublin')).toBe('IST');
    expect(zoneName(UTC(2026, 1, 1), 'Australia/Lord_Howe')).toBe('LHDT');
    expect(zoneName(UTC(2026, 7, 1), 'Australia/Lord_Howe')).toBe('LHST');
    expect(zoneName(UTC(2026, 7, 1), 'Asia/Kolkata')).toBe('IST');
    expect(zoneName(UTC(2026, 7, 1), 'Asia/Kathmandu')).toBe('GMT+5:45');
  });

  it('has a variant with the year', () => {
    expect(formatDateTimeInZone(UTC(2026, 12, 1, 9), 'Europe/London')).toBe('Tue 1 Dec 2026 09:00 GMT');
    expect(formatDateTimeInZone(UTC(2026, 11, 1, 5, 30), 'America/New_York')).toBe('Sun 1 Nov 2026 01:30 EDT');
    expect(formatDateTimeInZone(UTC(2026, 11, 1, 6, 30), 'America/New_York')).toBe('Sun 1 Nov 2026 01:30 EST');
  });
});

describe('naiveOf', () => {
  it('is Date.UTC for every year', () => {
    expect(naiveOf(2026, 3, 29, 1, 30)).toBe(UTC(2026, 3, 29, 1, 30));
    expect(new Date(naiveOf(99, 12, 31)).toISOString()).toBe('0099-12-31T00:00:00.000Z');
  });
});
