/**
 * The DMs about shifts: the handoff ("You are on call for Payments API until Mon 1 Dec 09:00 GMT") and what
 * changed when an override or a rota edit touches someone's shifts. Times are in the recipient's zone, with the
 * year when it is not this year (`now`). Pure.
 */
import { escape, mention } from '../core/mrkdwn.ts';
import { formatInZone } from '../core/wall-clock.ts';

export type ShiftChange =
  | { reason: 'override'; action: 'added' | 'removed'; role: 'covering' | 'covered'; scheduleId: string; coverer: string; from: number; to: number; by: string; overrideId: number }
  | { reason: 'rota'; scheduleId: string; before: { start: number; end: number }[]; after: { start: number; end: number }[] };

/** "Payments API (schedule `payments-primary`)" or just the schedule. */
export function scheduleLabel(scheduleId: string, serviceNames: string[]): string {
  return serviceNames.length ? `${serviceNames.map(escape).join(', ')} (schedule \`${escape(scheduleId)}\`)` : `schedule \`${escape(scheduleId)}\``;
}

export function handoffText(label: string, until: number, timeZone: string, now: number): string {
  return `:pager: You are on call for ${label} until ${formatInZone(until, timeZone, now)}. If you are paged, acknowledge in the DM or with \`/incident ack\`.`;
}

export function shiftChangeText(change: ShiftChange, label: string, timeZone: string, now: number): string {
  const when = (at: number) => formatInZone(at, timeZone, now);
  if (change.reason === 'override') {
    const span = `from ${when(change.from)} to ${when(change.to)}`;
    const by = change.by === change.coverer ? '' : ` (${change.action} by ${mention(change.by)})`;
    if (change.role === 'covering') {
      return change.action === 'added'
        ? `:calendar: You now cover ${label} ${span}${by}. You will be paged for it then. (OVR-${change.overrideId})`
        : `:calendar: You no longer cover ${label} ${span}${by}. (OVR-${change.overrideId} was removed)`;
    }
    return change.action === 'added'
      ? `:calendar: ${mention(change.coverer)} covers your ${label} shift ${span}${by}. You will not be paged for it then. (OVR-${change.overrideId})`
      : `:calendar: ${mention(change.coverer)} no longer covers your ${label} shift ${span}${by}: you are on call for it again. (OVR-${change.overrideId} was removed)`;
  }
  const list = (stretches: { start: number; end: number }[]) => (stretches.length ? stretches.slice(0, 8).map((s) => `• ${when(s.start)} → ${when(s.end)}`).join('\n') : '• none');
  return `:calendar: Your on-call shifts for ${label} have changed in klaxon.yml.\n*Now:*\n${list(change.after)}\n*Before:*\n${list(change.before)}`;
}
