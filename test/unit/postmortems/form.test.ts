import { describe, expect, it } from 'vitest';
import { actionsOf, contributingFactors, formFromState, formProblems, newForm, rootCauseOf, storedForm, whyChain, type PostmortemForm } from '../../../src/postmortems/form.ts';

const TODAY = '2026-11-23';
const filled = (overrides: Partial<PostmortemForm> = {}): PostmortemForm => ({
  ...newForm('Checkout fails'),
  summary: 'Pool exhausted.',
  whys: ['Checkout fails', 'The pool was exhausted', '', '', ''],
  actions: [{ what: 'Raise the pool', ownerId: 'U01BOB', due: '2026-12-01' }, ...newForm('x').actions.slice(1)],
  ...overrides,
});

describe('the post-mortem form rules', () => {
  it('starts with the incident title as the problem statement and a problem ticket asked for', () => {
    const form = newForm('Checkout fails');
    expect(form.whys).toEqual(['Checkout fails', '', '', '', '']);
    expect(form.createProblem).toBe(true);
  });

  it('accepts a summary, two whys and one whole action', () => {
    expect(formProblems(filled(), TODAY)).toEqual({});
  });

  it('needs at least two whys, without gaps', () => {
    expect(formProblems(filled({ whys: ['Checkout fails', '', '', '', ''] }), TODAY)).toEqual({ why_2: 'Ask why at least once: why did the problem happen?' });
    expect(formProblems(filled({ whys: ['', '', '', '', ''] }), TODAY)).toMatchObject({ why_1: expect.stringContaining('Start with the problem') });
    expect(formProblems(filled({ whys: ['a', 'b', '', 'd', ''] }), TODAY)).toEqual({ why_3: 'Answer this why before why 4: each builds on the one before.' });
  });

  it('needs the first action whole, any other started action whole, and due dates not past', () => {
    const none = filled({ actions: newForm('x').actions });
    expect(formProblems(none, TODAY)).toEqual({ action_1_what: expect.stringContaining('at least one follow-up action') });
    const noOwner = filled({ actions: [{ what: 'Raise the pool', ownerId: null, due: '2026-12-01' }] });
    expect(formProblems(noOwner, TODAY)).toEqual({ action_1_owner: 'Who owns this action?' });
    const half = filled({ actions: [{ what: 'Raise the pool', ownerId: 'U01BOB', due: '2026-12-01' }, { what: '', ownerId: 'U01CAROL', due: null }] });
    expect(formProblems(half, TODAY)).toEqual({ action_2_what: 'Say what the action is, or clear its owner and date.' });
    const past = filled({ actions: [{ what: 'Raise the pool', ownerId: 'U01BOB', due: '2026-11-22' }] });
    expect(formProblems(past, TODAY)).toEqual({ action_1_due: 'The due date is in the past.' });
    expect(formProblems(filled({ summary: ' ' }), TODAY)).toEqual({ summary: 'Write a short summary of what happened.' });
  });

  it('takes the root cause as written, else the last why; contributing factors one per line', () => {
    expect(rootCauseOf(filled())).toBe('The pool was exhausted');
    expect(rootCauseOf(filled({ rootCause: 'No load test' }))).toBe('No load test');
    expect(whyChain(filled({ whys: ['a', 'b', 'c', '', 'e'] }))).toEqual(['a', 'b', 'c']);
    expect(contributingFactors(filled({ contributing: '- slow alert\n\n• big deploy\n  manual step  ' }))).toEqual(['slow alert', 'big deploy', 'manual step']);
    expect(actionsOf(filled())).toHaveLength(1);
  });

  it('reads Slack’s view state, keeping long answers whole', () => {
    const long = 'x'.repeat(3000);
    const text = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
    const values: Record<string, Record<string, unknown>> = {
      summary: text(long), impact: text(null), detection: text(null), trigger: text(null), root_cause: text(null), contributing: text(null), went_well: text(null), went_badly: text(null), lucky: text(null),
      why_1: text('Checkout fails'), why_2: text('Pool exhausted'), why_3: text(null), why_4: text(null), why_5: text(null),
      action_1_what: text('Raise the pool'), action_1_owner: { value: { type: 'users_select', selected_user: 'U01BOB' } }, action_1_due: { value: { type: 'datepicker', selected_date: '2026-12-01' } },
      create_problem: { value: { type: 'checkboxes', selected_options: [{ value: 'create' }] } },
    };
    for (let n = 2; n <= 5; n += 1) {
      values[`action_${n}_what`] = text(null);
      values[`action_${n}_owner`] = { value: { type: 'users_select', selected_user: null } };
      values[`action_${n}_due`] = { value: { type: 'datepicker', selected_date: null } };
    }
    const form = formFromState(values)!;
    expect(form.summary).toHaveLength(3000);
    expect(form.actions[0]).toEqual({ what: 'Raise the pool', ownerId: 'U01BOB', due: '2026-12-01' });
    expect(form.createProblem).toBe(true);
    expect(formFromState({ summary: { value: { type: 'datepicker' } } })).toBeUndefined();
  });

  it('reads a stored form leniently', () => {
    expect(storedForm({ summary: 'kept', whys: ['a'] }, 'Title')).toMatchObject({ summary: 'kept', whys: ['a', '', '', '', ''], impact: '' });
    expect(storedForm('garbage', 'Title').whys[0]).toBe('Title');
  });
});
