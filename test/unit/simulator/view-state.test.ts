import { describe, expect, it } from 'vitest';
import { inputFields, stateValues } from '../../../src/simulator/view-state.ts';

const plain = (text: string) => ({ type: 'plain_text', text });
const option = (value: string, text: string) => ({ text: plain(text), value });
const view = {
  type: 'modal',
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: 'Not an input' } },
    { type: 'input', block_id: 'title', label: plain('Title'), element: { type: 'plain_text_input', action_id: 'value', initial_value: 'Checkout down' } },
    { type: 'input', block_id: 'severity', label: plain('Severity'), element: { type: 'static_select', action_id: 'value', options: [option('sev1', 'SEV1'), option('sev2', 'SEV2')], initial_option: option('sev2', 'SEV2') } },
    { type: 'input', block_id: 'owner', optional: true, label: plain('Owner'), element: { type: 'users_select', action_id: 'value' } },
    { type: 'input', block_id: 'due', optional: true, label: plain('Due'), element: { type: 'datepicker', action_id: 'value' } },
    { type: 'input', block_id: 'started', label: plain('Started'), element: { type: 'datetimepicker', action_id: 'value', initial_date_time: 1700000000 } },
    { type: 'input', block_id: 'options', optional: true, label: plain('Options'), element: { type: 'checkboxes', action_id: 'value', options: [option('private', 'Private'), option('drill', 'Drill')] } },
  ],
};

describe('a modal as a person fills it in', () => {
  it('lists the inputs in order with their choices and initial values', () => {
    expect(inputFields(view).map((f) => [f.blockId, f.type, f.optional, f.initial])).toEqual([
      ['title', 'plain_text_input', false, 'Checkout down'],
      ['severity', 'static_select', false, 'sev2'],
      ['owner', 'users_select', true, null],
      ['due', 'datepicker', true, null],
      ['started', 'datetimepicker', false, '1700000000'],
      ['options', 'checkboxes', true, []],
    ]);
    expect(inputFields(view)[1]!.options).toEqual([{ value: 'sev1', text: 'SEV1' }, { value: 'sev2', text: 'SEV2' }]);
  });

  it('reports the answers in Slack’s shapes, keeping what was not answered as the app filled it in', () => {
    const values = stateValues(view, { severity: 'sev1', owner: 'U01BOB', due: '2026-12-07', options: ['drill'] });
    expect(values).toEqual({
      title: { value: { type: 'plain_text_input', value: 'Checkout down' } },
      severity: { value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'SEV1', emoji: true }, value: 'sev1' } } },
      owner: { value: { type: 'users_select', selected_user: 'U01BOB' } },
      due: { value: { type: 'datepicker', selected_date: '2026-12-07' } },
      started: { value: { type: 'datetimepicker', selected_date_time: 1700000000 } },
      options: { value: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'Drill', emoji: true }, value: 'drill' }] } },
    });
  });

  it('clears an input answered with null, and drops a choice the menu does not offer', () => {
    const values = stateValues(view, { title: null, severity: 'sev9' });
    expect(values.title).toEqual({ value: { type: 'plain_text_input', value: null } });
    expect(values.severity).toEqual({ value: { type: 'static_select', selected_option: null } });
  });
});
