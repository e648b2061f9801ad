/** The pure parts of paging: policy walking, durations, `/incident page` arguments, what pages say. */
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/core/duration.ts';
import { nextPosition, peopleToPage, resolveTargets, traceEscalation, type PolicySnapshot } from '../../../src/paging/escalation.ts';
import { parsePageArgs } from '../../../src/paging/page-args.ts';
import { pageDmBlocks, stepLineText, type EscalationFacts, type StepFacts } from '../../../src/paging/page-blocks.ts';

const policy: PolicySnapshot = {
  repeat: 1,
  levels: [
    { targets: ['schedule:primary'], timeoutMs: 300_000 },
    { targets: ['schedule:empty', 'user:U01MANAGER'], timeoutMs: 600_000 },
  ],
};
const onCall = (scheduleId: string) => (scheduleId === 'primary' ? 'U01ALICE' : undefined);

describe('escalation', () => {
  it('walks levels, then repeats, then is exhausted', () => {
    expect(nextPosition(policy, { level: 0, loop: 0 })).toEqual({ level: 1, loop: 0 });
    expect(nextPosition(policy, { level: 1, loop: 0 })).toEqual({ level: 0, loop: 1 });
    expect(nextPosition(policy, { level: 1, loop: 1 })).toBeUndefined();
  });

  it('resolves targets at the given time and pages each person once', () => {
    const resolved = resolveTargets(['schedule:primary', 'schedule:empty', 'user:U01ALICE'], 0, onCall);
    expect(resolved).toEqual([
      { target: 'schedule:primary', userIds: ['U01ALICE'] },
      { target: 'schedule:empty', userIds: [] },
      { target: 'user:U01ALICE', userIds: ['U01ALICE'] },
    ]);
    expect(peopleToPage(resolved)).toEqual([{ userId: 'U01ALICE', via: 'schedule:primary' }]);
  });

  it('traces every step with its time and flags empty ones, which do not wait', () => {
    const trace = traceEscalation({ repeat: 0, levels: [{ targets: ['schedule:empty'], timeoutMs: 60_000 }, ...policy.levels] }, 1000, onCall);
    expect(trace.steps.map((s) => [s.level, s.at, s.empty])).toEqual([
      [0, 1000, true],
      [1, 1000, false],
      [2, 301_000, false],
    ]);
    expect(trace.exhaustedAt).toBe(901_000);
  });

  it('reads and writes durations as people do', () => {
    expect([parseDuration('30s'), parseDuration('5m'), parseDuration('1h'), parseDuration('5 min')]).toEqual([30_000, 300_000, 3_600_000, undefined]);
    expect([formatDuration(45_000), formatDuration(72_000), formatDuration(300_000), formatDuration(7_500_000), formatDuration(266_400_000)]).toEqual(['45s', '1m 12s', '5m', '2h 5m', '3d 2h']);
  });
});

describe('parsePageArgs', () => {
  it('takes mentions and known services, and keeps what it does not know', () => {
    expect(parsePageArgs('<@U01BOB|bob> payments, <@U01BOB> nope', ['payments'])).toEqual({ userIds: ['U01BOB'], serviceIds: ['payments'], unknown: ['nope'] });
  });
});

describe('page blocks', () => {
  const incident = { ref: 'INC-7', title: '<!channel> & <https://evil.test|x>', severityLabel: 'SEV1 Critical', serviceName: 'Pay & Co', channelId: 'C0INC7' };
  const facts: EscalationFacts = { status: 'active', label: 'Pay & Co', startedBy: 'U01ALICE', acknowledgedBy: null, acknowledgedAt: null, current: { level: 0, loop: 0 }, nextAt: 1_000_000, nextPosition: { level: 1, loop: 0 } };
  const step: StepFacts = { level: 0, loop: 0, targets: ['schedule:primary'], status: 'paging', startedAt: 0, timeoutAt: 1_000_000, people: [{ userId: 'U01BOB', pagedAt: 0, acknowledgedAt: null, deliveryError: null }] };

  it('escapes the title, offers the button while waiting, and drops it once acknowledged', () => {
    const waiting = JSON.stringify(pageDmBlocks(incident, facts, step, { id: 12, userId: 'U01BOB', status: 'pending', pagedAt: 0, acknowledgedAt: null }));
    expect(waiting).toContain('&lt;!channel&gt; &amp; &lt;https://evil.test|x&gt;');
    expect(waiting).not.toContain('<!channel>');
    expect(waiting).toContain('"action_id":"oncall.ack","value":"12"');
    expect(waiting).toContain('escalates to level 2');
    const answered = JSON.stringify(pageDmBlocks(incident, { ...facts, status: 'acknowledged', acknowledgedBy: 'U01CAROL', acknowledgedAt: 60_000 }, step, { id: 12, userId: 'U01BOB', status: 'answered', pagedAt: 0, acknowledgedAt: null }));
    expect(answered).not.toContain('oncall.ack');
    expect(answered).toContain('<@U01CAROL> acknowledged');
  });

  it('says in the channel line who was paged, and who could not be reached', () => {
    const line = stepLineText(facts, { ...step, people: [...step.people, { userId: 'U01GONE', pagedAt: 0, acknowledgedAt: null, deliveryError: 'user_disabled' }] });
    expect(line).toContain('Paged <@U01BOB>, <@U01GONE> (Pay &amp; Co, level 1)');
    expect(line).toContain('Could not DM <@U01GONE>: Slack said `user_disabled`');
  });
});
