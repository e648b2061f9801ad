/**
 * How an escalation policy walks: levels in order, then the whole policy again `repeat` times, then it is
 * exhausted. Who a level pages is decided at the moment it fires, from who is on call then. Pure: the caller
 * passes the time and a way to ask who is on call.
 */
import type { EscalationPolicyConfig } from '../core/config.ts';
import { parseDuration } from '../core/duration.ts';

export interface PolicyLevel {
  targets: string[];
  timeoutMs: number;
}

/** The policy as an escalation runs it; copied into the escalation when it starts. */
export interface PolicySnapshot {
  repeat: number;
  levels: PolicyLevel[];
}

export interface Position {
  level: number;
  loop: number;
}

export const FIRST_POSITION: Position = { level: 0, loop: 0 };

export function policySnapshot(policy: EscalationPolicyConfig): PolicySnapshot {
  return {
    repeat: policy.repeat,
    levels: policy.levels.map((level) => ({ targets: [...level.targets], timeoutMs: parseDuration(level.timeout) ?? 0 })),
  };
}

/** A one-level policy for paging people directly (`/incident page @user`). */
export function directPagePolicy(userIds: string[], timeoutMs: number): PolicySnapshot {
  return { repeat: 0, levels: [{ targets: userIds.map((id) => `user:${id}`), timeoutMs }] };
}

/** The step after `position`, or undefined when the policy is exhausted. */
export function nextPosition(policy: PolicySnapshot, position: Position): Position | undefined {
  if (position.level + 1 < policy.levels.length) return { level: position.level + 1, loop: position.loop };
  if (position.loop < policy.repeat) return { level: 0, loop: position.loop + 1 };
  return undefined;
}

export interface ResolvedTarget {
  target: string;
  /** Empty when a schedule has nobody on call. */
  userIds: string[];
}

/** Who each target of a level means at `at`; `onCall(scheduleId, at)` answers for schedules. */
export function resolveTargets(targets: readonly string[], at: number, onCall: (scheduleId: string, at: number) => string | undefined): ResolvedTarget[] {
  return targets.map((target) => {
    if (target.startsWith('user:')) return { target, userIds: [target.slice('user:'.length)] };
    const userId = onCall(target.slice('schedule:'.length), at);
    return { target, userIds: userId ? [userId] : [] };
  });
}

/** Each person once, with the first target that named them. */
export function peopleToPage(resolved: readonly ResolvedTarget[]): { userId: string; via: string }[] {
  const seen = new Map<string, string>();
  for (const { target, userIds } of resolved) for (const userId of userIds) if (!seen.has(userId)) seen.set(userId, target);
  return [...seen].map(([userId, via]) => ({ userId, via }));
}

/** "level 2", or "level 1, repeat 1" on a repeat, as shown to people. */
export function describePosition(position: Position): string {
  return `level ${position.level + 1}${position.loop > 0 ? `, repeat ${position.loop}` : ''}`;
}

export interface TraceStep extends Position {
  at: number;
  resolved: ResolvedTarget[];
  /** Nobody to page: the engine moves on at once instead of waiting out the timeout. */
  empty: boolean;
}

/**
 * What an escalation started at `at` would do if nobody acknowledged: every step with its time and the people
 * it pages, and when it is exhausted. The engine takes the same steps (same functions, same order).
 */
export function traceEscalation(policy: PolicySnapshot, at: number, onCall: (scheduleId: string, at: number) => string | undefined): { steps: TraceStep[]; exhaustedAt: number } {
  const steps: TraceStep[] = [];
  let position: Position | undefined = FIRST_POSITION;
  let now = at;
  while (position) {
    const level = policy.levels[position.level]!;
    const resolved = resolveTargets(level.targets, now, onCall);
    const empty = peopleToPage(resolved).length === 0;
    steps.push({ ...position, at: now, resolved, empty });
    if (!empty) now += level.timeoutMs;
    position = nextPosition(policy, position);
  }
  return { steps, exhaustedAt: now };
}
