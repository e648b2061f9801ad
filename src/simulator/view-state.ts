/**
 * What a person typed and picked in a modal, as Slack reports it in `view.state.values`: for each input block,
 * its element's action_id and a value shaped by the element's type. Answers are given simply (a block id and a
 * string, or strings for multiple choices); inputs left unanswered keep the initial value the app put in them,
 * as they would in Slack's form.
 */

type Json = Record<string, unknown>;

/** By input block id: the text, the option value, the user id, `YYYY-MM-DD`, epoch seconds or several values. */
export type ViewAnswers = Record<string, string | readonly string[] | null>;

export type StateValues = Record<string, Record<string, Json>>;

export interface InputField {
  blockId: string;
  actionId: string;
  type: string;
  label: string;
  optional: boolean;
  multiline: boolean;
  /** The choices of a select, checkboxes or radio buttons: value and text. */
  options: { value: string; text: string }[];
  /** What the field holds before anything is typed, as an answer would give it. */
  initial: string | string[] | null;
}

const asObject = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const textOf = (value: unknown): string => String(asObject(value)?.text ?? '');

function optionsOf(element: Json): { value: string; text: string }[] {
  const grouped = asArray(element.option_groups).flatMap((group) => asArray(asObject(group)?.options));
  return [...asArray(element.options), ...grouped].map((option) => ({ value: String(asObject(option)?.value ?? ''), text: textOf(asObject(option)?.text) }));
}

function initialOf(element: Json): string | string[] | null {
  switch (element.type) {
    case 'static_select':
    case 'radio_buttons':
      return asObject(element.initial_option) ? String(asObject(element.initial_option)!.value) : null;
    case 'multi_static_select':
    case 'checkboxes':
      return asArray(element.initial_options).map((o) => String(asObject(o)?.value ?? ''));
    case 'users_select':
      return typeof element.initial_user === 'string' ? element.initial_user : null;
    case 'multi_users_select':
      return asArray(element.initial_users).map(String);
    case 'conversations_select':
    case 'channels_select':
      return typeof element.initial_conversation === 'string' ? element.initial_conversation : typeof element.initial_channel === 'string' ? element.initial_channel : null;
    case 'datepicker':
      return typeof element.initial_date === 'string' ? element.initial_date : null;
    case 'timepicker':
      return typeof element.initial_time === 'string' ? element.initial_time : null;
    case 'datetimepicker':
      return typeof element.initial_date_time === 'number' ? String(element.initial_date_time) : null;
    default:
      return typeof element.initial_value === 'string' ? element.initial_value : null;
  }
}

/** The input blocks of a view, in order: what a form shows. */
export function inputFields(view: Json): InputField[] {
  return asArray(view.blocks).flatMap((raw) => {
    const block = asObject(raw);
    const element = asObject(block?.element);
    if (!block || block.type !== 'input' || !element) return [];
    return [
      {
        blockId: String(block.block_id ?? ''),
        actionId: String(element.action_id ?? ''),
        type: String(element.type ?? ''),
        label: textOf(block.label),
        optional: block.optional === true,
        multiline: element.multiline === true,
        options: optionsOf(element),
        initial: initialOf(element),
      },
    ];
  });
}

function option(field: InputField, value: string): Json | null {
  const found = field.options.find((o) => o.value === value);
  return found ? { text: { type: 'plain_text', text: found.text, emoji: true }, value: found.value } : null;
}

const one = (answer: string | readonly string[] | null): string | null => (answer === null ? null : typeof answer === 'string' ? answer : (answer[0] ?? null));
const many = (answer: string | readonly string[] | null): string[] => (answer === null ? [] : typeof answer === 'string' ? (answer ? [answer] : []) : [...answer]);

function valueOf(field: InputField, answer: string | readonly string[] | null): Json {
  const type = field.type;
  switch (type) {
    case 'static_select':
    case 'radio_buttons': {
      const value = one(answer);
      return { type, selected_option: value === null ? null : option(field, value) };
    }
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: many(answer).flatMap((value) => option(field, value) ?? []) };
    case 'users_select':
      return { type, selected_user: one(answer) || null };
    case 'multi_users_select':
      return { type, selected_users: many(answer) };
    case 'conversations_select':
      return { type, selected_conversation: one(answer) || null };
    case 'channels_select':
      return { type, selected_channel: one(answer) || null };
    case 'datepicker':
      return { type, selected_date: one(answer) || null };
    case 'timepicker':
      return { type, selected_time: one(answer) || null };
    case 'datetimepicker': {
      const value = one(answer);
      return { type, selected_date_time: value ? Number(value) : null };
    }
    default:
      return { type, value: one(answer) ?? null };
  }
}

/** `view.state.values` for the answers given, the other inputs keeping their initial values. */
export function stateValues(view: Json, answers: ViewAnswers): StateValues {
  const values: StateValues = {};
  for (const field of inputFields(view)) {
    const answer = Object.hasOwn(answers, field.blockId) ? answers[field.blockId]! : field.initial;
    values[field.blockId] = { [field.actionId]: valueOf(field, answer) };
  }
  return values;
}
