import { describe, expect, it } from 'vitest';
import {
  closeRefusal,
  DEFAULT_REMINDER_INTERVALS,
  IMPACT_LOOKBACK,
  impactRefusal,
  impactWindow,
  nextReminderAt,
  parseStatus,
  reminderIntervalsFrom,
  reopenRefusal,
  severityChangeRefusal,
  statusChangeRefusal,
  type ReminderState,
} from '../../../src/incidents/lifecycle.ts';
import { STATUSES, type Status } from '../../../src/incidents/status.ts';

const MIN = 60_000;
const open = (status: Status, closedAt: number | null = null) => ({ id: 7, status, closedAt });

describe('status transitions', () => {
  // from → to: allowed (undefined) or the start of the refusal.
  const table: [Status, Status, string | undefined][] = [
    ['investigating', 'identified', undefined],
    ['investigating', 'monitoring', undefined],
    ['investigating', 'resolved', undefined],
    ['identified', 'investigating', undefined],
    ['identified', 'monitoring', undefined],
    ['identified', 'resolved', undefined],
    ['monitoring', 'investigating', undefined],
    ['monitoring', 'identified', undefined],
    ['monitoring', 'resolved', undefined],
    ['investigating', 'investigating', 'INC-7 is already investigating.'],
    ['monitoring', 'monitoring', 'INC-7 is already monitoring.'],
    ['identified', 'identified', 'INC-7 is already identified.'],
    ['resolved', 'resolved', 'INC-7 is already resolved.'],
    ['resolved', 'investigating', 'INC-7 is resolved. Reopen it first'],
    ['resolved', 'identified', 'INC-7 is resolved. Reopen it first'],
    ['resolved', 'monitoring', 'INC-7 is resolved. Reopen it first'],
  ];
  it.each(table)('%s → %s', (from, to, refusal) => {
    const answer = statusChangeRefusal(open(from), to);
    if (refusal === undefined) expect(answer).toBeUndefined();
    else expect(answer).toMatch(new RegExp(`^${refusal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('changes nothing once closed', () => {
    for (const to of STATUSES) expect(statusChangeRefusal(open('resolved', 1), to)).toBe('INC-7 is closed: its status can no longer change.');
    expect(severityChangeRefusal({ ...open('resolved', 1), severity: 'sev2' }, 'sev1')).toContain('closed');
  });

  it('reopens only a resolved incident that is not closed, and closes only a resolved one', () => {
    expect(reopenRefusal(open('resolved'))).toBeUndefined();
    expect(reopenRefusal(open('monitoring'))).toBe('INC-7 is not resolved (it is monitoring), so there is nothing to reopen.');
    expect(reopenRefusal(open('resolved', 5))).toContain('closed');
    expect(closeRefusal(open('resolved'))).toBeUndefined();
    expect(closeRefusal(open('identified'))).toContain('resolve it before closing it');
    expect(closeRefusal(open('resolved', 5))).toBe('INC-7 is already closed.');
  });

  it('changes the severity at any status but to the same one', () => {
    for (const status of STATUSES) expect(severityChangeRefusal({ ...open(status), severity: 'sev3' }, 'sev1')).toBeUndefined();
    expect(severityChangeRefusal({ ...open('identified'), severity: 'sev3' }, 'sev3')).toBe('INC-7 is already SEV3.');
  });

  it('reads statuses as people type them', () => {
    expect(parseStatus('Identified')).toBe('identified');
    expect(parseStatus('mon')).toBe('monitoring');
    expect(parseStatus('in')).toBeUndefined();
    expect(parseStatus('fixed')).toBeUndefined();
  });
});

describe('update reminders', () => {
  const declaredAt = Date.UTC(2026, 10, 23, 9, 0);
  const state = (overrides: Partial<ReminderState> = {}): ReminderState => ({ status: 'investigating', severity: 'sev2', declaredAt, lastUpdateAt: null, lastRemindedAt: null, ...overrides });

  it('waits 15 minutes at sev1, 30 at sev2, 60 at sev3 and sev4 from the declaration', () => {
    expect(nextReminderAt(state({ severity: 'sev1' }), DEFAULT_REMINDER_INTERVALS)).toBe(declaredAt + 15 * MIN);
    expect(nextReminderAt(state({ severity: 'sev2' }), DEFAULT_REMINDER_INTERVALS)).toBe(declaredAt + 30 * MIN);
    expect(nextReminderAt(state({ severity: 'sev3' }), DEFAULT_REMINDER_INTERVALS)).toBe(declaredAt + 60 * MIN);
    expect(nextReminderAt(state({ severity: 'sev4' }), DEFAULT_REMINDER_INTERVALS)).toBe(declaredAt + 60 * MIN);
  });

  it('counts from the last update, and never sooner than an interval after the last reminder', () => {
    expect(nextReminderAt(state({ lastUpdateAt: declaredAt + 20 * MIN }), DEFAULT_REMINDER_INTERVALS)).toBe(declaredAt + 50 * MIN);
    expect(nextReminderAt(state({ lastRemindedAt: declaredAt + 30 * MIN }), DEFAULT_REMINDER_INTERVALS)).toBe(declaredAt + 60 * MIN);
    expect(nextReminderAt(state({ lastUpdateAt: declaredAt + 40 * MIN, lastRemindedAt: declaredAt + 30 * MIN }), DEFAULT_REMINDER_INTERVALS)).toBe(declaredAt + 70 * MIN);
  });

  it('follows a change of severity at once', () => {
    const sev3 = nextReminderAt(state({ severity: 'sev3' }), DEFAULT_REMINDER_INTERVALS)!;
    const sev1 = nextReminderAt(state({ severity: 'sev1' }), DEFAULT_REMINDER_INTERVALS)!;
    expect(sev1).toBeLessThan(sev3);
  });

  it('stops once resolved', () => {
    expect(nextReminderAt(state({ status: 'resolved' }), DEFAULT_REMINDER_INTERVALS)).toBeUndefined();
  });

  it('takes klaxon.yml’s intervals where set and the defaults elsewhere', () => {
    expect(reminderIntervalsFrom({ sev1: '5m', sev3: '2h' })).toEqual({ sev1: 5 * MIN, sev2: 30 * MIN, sev3: 120 * MIN, sev4: 60 * MIN });
  });
});

describe('impact times', () => {
  const incident = { declaredAt: 1_000_000, resolvedAt: null, impactStartedAt: null, impactEndedAt: null };

  it('measures from the impact start where set, else the declaration, to the impact end, else the resolution', () => {
    expect(impactWindow(incident, 5_000_000)).toEqual({ from: 1_000_000, to: 5_000_000, ongoing: true });
    expect(impactWindow({ ...incident, impactStartedAt: 400_000, resolvedAt: 3_000_000 }, 9_000_000)).toEqual({ from: 400_000, to: 3_000_000, ongoing: false });
    expect(impactWindow({ ...incident, impactStartedAt: 400_000, impactEndedAt: 2_000_000, resolvedAt: 3_000_000 }, 9_000_000)).toEqual({ from: 400_000, to: 2_000_000, ongoing: false });
  });

  it('refuses times in the future and an end before the start, on the field that is wrong', () => {
    expect(impactRefusal(10, 20, 50, 100)).toBeUndefined();
    expect(impactRefusal(200, null, 50, 100)).toEqual({ message: 'Impact cannot start in the future.', field: 'impact_started' });
    expect(impactRefusal(null, 200, 50, 100)).toEqual({ message: 'Impact cannot end in the future.', field: 'impact_ended' });
    expect(impactRefusal(50, 50, 50, 100)).toEqual({ message: 'Impact must end after it started.', field: 'impact_ended' });
  });

  it('refuses times more than 365 days before the declaration, such as the year 1', () => {
    const declaredAt = Date.UTC(2026, 10, 23, 9, 0);
    const yearOne = new Date('0001-01-01T00:00:00Z').getTime();
    expect(impactRefusal(declaredAt - IMPACT_LOOKBACK, null, declaredAt, declaredAt)).toBeUndefined();
    expect(impactRefusal(declaredAt - IMPACT_LOOKBACK - 1, null, declaredAt, declaredAt)).toEqual({ message: 'Impact can start at most 365 days before the declaration.', field: 'impact_started' });
    expect(impactRefusal(yearOne, null, declaredAt, declaredAt)).toMatchObject({ field: 'impact_started' });
    expect(impactRefusal(null, yearOne, declaredAt, declaredAt)).toEqual({ message: 'Impact can end at most 365 days before the declaration.', field: 'impact_ended' });
  });
});
