import { describe, expect, it } from 'vitest';
import { daysOverdue, dueInstant, isReminderCurrent, nextReminder, priorityFor, problemDescription, problemDue, problemTitle, resolveRefusal } from '../../../src/problems/rules.ts';

const WEEK = 7 * 86_400_000;

describe('problem ticket rules', () => {
  it('makes a ticket from the post-mortem: title from the root cause, priority from the severity, due with the last action', () => {
    expect(problemTitle('  Load tests do not run\n on config changes ')).toBe('Load tests do not run on config changes');
    expect(problemTitle('x'.repeat(200))).toHaveLength(150);
    expect(['sev1', 'sev2', 'sev3', 'sev4'].map((s) => priorityFor(s as 'sev1'))).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(problemDue(['2026-12-15', '2026-12-01', '2027-01-10'])).toBe('2027-01-10');
    expect(problemDescription('INC-7', 'Checkout fails', ['Checkout fails', 'Pool exhausted'], 'Pool exhausted')).toBe('From INC-7: Checkout fails\n\nFive whys:\n1. Checkout fails\n2. Why? Pool exhausted\n\nRoot cause: Pool exhausted');
  });

  it('resolves only with every action done or a reason for those that are not', () => {
    expect(resolveRefusal({ id: 4, status: 'open' }, 0, '')).toBeUndefined();
    expect(resolveRefusal({ id: 4, status: 'open' }, 2, '')).toBe('2 actions are not done. Mark them done, or give a reason to close the ticket without them ("won\'t do").');
    expect(resolveRefusal({ id: 4, status: 'open' }, 1, '  ')).toContain('1 action is not done');
    expect(resolveRefusal({ id: 4, status: 'open' }, 2, 'Replaced by the new pool')).toBeUndefined();
    expect(resolveRefusal({ id: 4, status: 'resolved' }, 0, '')).toBe('PRB-4 is already resolved.');
  });

  it('reminds at 09:00 on the due date in the organisation’s zone, then weekly', () => {
    const due = dueInstant('2026-12-01', 'America/New_York');
    expect(new Date(due).toISOString()).toBe('2026-12-01T14:00:00.000Z');
    expect(nextReminder('2026-12-01', 'America/New_York', Date.UTC(2026, 10, 23))).toBe(due);
    expect(nextReminder('2026-12-01', 'America/New_York', due + 1)).toBe(due + WEEK);
    expect(nextReminder('2026-12-01', 'America/New_York', due + WEEK)).toBe(due + WEEK);
  });

  it('recognises a reminder left over from an earlier due date', () => {
    const due = dueInstant('2026-12-01', 'UTC');
    expect(isReminderCurrent('2026-12-01', 'UTC', due)).toBe(true);
    expect(isReminderCurrent('2026-12-01', 'UTC', due + 2 * WEEK)).toBe(true);
    expect(isReminderCurrent('2026-12-03', 'UTC', due)).toBe(false);
    expect(isReminderCurrent('2026-12-01', 'UTC', due + 86_400_000)).toBe(false);
  });

  it('counts whole days overdue', () => {
    const due = dueInstant('2026-12-01', 'UTC');
    expect(daysOverdue('2026-12-01', 'UTC', due - 1)).toBe(0);
    expect(daysOverdue('2026-12-01', 'UTC', due + 3 * 86_400_000 + 5)).toBe(3);
  });
});
