/**
 * The rules of problem tickets: what a new ticket is made of (title, priority, due date), when one may be
 * resolved, and when its owner is reminded. Pure.
 */
import { DAY, WEEK } from '../core/duration.ts';
import { localToInstant } from '../core/wall-clock.ts';
import type { Severity } from '../incidents/model.ts';
import { problemRef } from './ids.ts';

export type Priority = 'p1' | 'p2' | 'p3' | 'p4';

export const PRIORITY_LABEL: Record<Priority, string> = { p1: 'P1 urgent', p2: 'P2 high', p3: 'P3 normal', p4: 'P4 low' };

/** A ticket's priority follows the incident's severity. */
export function priorityFor(severity: Severity): Priority {
  return ({ sev1: 'p1', sev2: 'p2', sev3: 'p3', sev4: 'p4' } as const)[severity];
}

export const TITLE_MAX = 150;

/** The ticket's title: the root cause, on one line, shortened. */
export function problemTitle(rootCause: string): string {
  const line = rootCause.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}

/** The ticket's description: the incident it came from and the chain of whys down to the root cause. */
export function problemDescription(incidentRef: string, title: string, whys: string[], rootCause: string): string {
  return [`From ${incidentRef}: ${title}`, '', 'Five whys:', ...whys.map((w, i) => `${i + 1}. ${i === 0 ? '' : 'Why? '}${w}`), '', `Root cause: ${rootCause}`].join('\n');
}

/** The ticket is due when its last action is. */
export function problemDue(actionDues: string[]): string {
  return [...actionDues].sort().at(-1)!;
}

export interface TicketState {
  id: number;
  status: 'open' | 'resolved';
}

/** Why the ticket cannot be resolved (actions left without a "won't do" reason), or undefined. */
export function resolveRefusal(problem: TicketState, openActions: number, reason: string): string | undefined {
  if (problem.status === 'resolved') return `${problemRef(problem.id)} is already resolved.`;
  if (openActions > 0 && !reason.trim()) {
    return `${openActions === 1 ? '1 action is' : `${openActions} actions are`} not done. Mark ${openActions === 1 ? 'it' : 'them'} done, or give a reason to close the ticket without ${openActions === 1 ? 'it' : 'them'} ("won't do").`;
  }
  return undefined;
}

/** Reminders go out at 09:00 on the due date, in the organisation's zone, then every week. */
const REMIND_HOUR = 9;

export function dueInstant(dueDate: string, timeZone: string): number {
  const [year, month, day] = dueDate.split('-').map(Number) as [number, number, number];
  return localToInstant({ year, month, day, hour: REMIND_HOUR, minute: 0 }, timeZone);
}

/** The first reminder at or after `after`: the due date's morning, or a weekly repeat of it. */
export function nextReminder(dueDate: string, timeZone: string, after: number): number {
  const first = dueInstant(dueDate, timeZone);
  if (first >= after) return first;
  return first + Math.ceil((after - first) / WEEK) * WEEK;
}

/** Whether a reminder scheduled for `at` still belongs to the ticket's current due date (it may have moved). */
export function isReminderCurrent(dueDate: string, timeZone: string, at: number): boolean {
  const first = dueInstant(dueDate, timeZone);
  return at >= first && (at - first) % WEEK === 0;
}

/** Whole days a ticket is overdue at `now` (0 when not yet due). */
export function daysOverdue(dueDate: string, timeZone: string, now: number): number {
  return Math.max(0, Math.floor((now - dueInstant(dueDate, timeZone)) / DAY));
}
