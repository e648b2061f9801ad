/**
 * A modal as a form: its input blocks become form controls holding what the app put in them, the other blocks
 * are drawn as in messages. Answers are read back by input block id, shaped as the simulator's submit expects
 * (text, an option value, a user id, a date, epoch seconds, or several values); required fields are checked
 * first, as Slack's client does, and the app's field errors are shown under their inputs.
 */
import { renderBlock } from './blocks.js';
import { el, uniqueId } from './dom.js';
import { plainText, renderText } from './mrkdwn.js';
import { epochOfLocalInput, localInputValue } from './zoned-time.js';

const REQUIRED = 'Please complete this required field.';

function selectControl(id, choices, initial, multiple, placeholder) {
  const select = el('select', { id, multiple });
  if (!multiple) select.append(el('option', { value: '', text: placeholder || 'Select an item', selected: initial === null }));
  const chosen = new Set(Array.isArray(initial) ? initial : [initial]);
  for (const choice of choices) select.append(el('option', { value: choice.value, text: choice.text, selected: chosen.has(choice.value) }));
  return select;
}

function choiceControl(id, field, type) {
  const chosen = new Set(Array.isArray(field.initial) ? field.initial : [field.initial]);
  const group = el('div', { class: 'choices', id, role: type === 'radio' ? 'radiogroup' : 'group' });
  for (const option of field.options) {
    group.append(el('label', { class: 'choice' }, el('input', { type, name: id, value: option.value, checked: chosen.has(option.value) }), ' ', option.text));
  }
  return group;
}

/** The control for one input's element, and how to read and set its answer. */
function control(block, field, ctx) {
  const element = block.element ?? {};
  const id = uniqueId(`field-${field.blockId}`);
  const placeholder = plainText(element.placeholder);
  const text = (node) => ({ node, id, read: () => (node.value === '' ? null : node.value), write: (v) => (node.value = v ?? '') });
  switch (field.type) {
    case 'plain_text_input': {
      const attrs = { id, placeholder: placeholder || null, maxlength: element.max_length ?? null, value: field.initial ?? '' };
      return text(element.multiline ? el('textarea', { ...attrs, rows: 4 }) : el('input', { ...attrs, type: 'text' }));
    }
    case 'email_text_input':
    case 'url_text_input':
      return text(el('input', { id, type: field.type === 'email_text_input' ? 'email' : 'url', placeholder: placeholder || null, value: field.initial ?? '' }));
    case 'number_input':
      return text(el('input', { id, type: 'number', step: element.is_decimal_allowed ? 'any' : '1', min: element.min_value ?? null, max: element.max_value ?? null, placeholder: placeholder || null, value: field.initial ?? '' }));
    case 'datepicker':
      return text(el('input', { id, type: 'date', value: field.initial ?? '' }));
    case 'timepicker':
      return text(el('input', { id, type: 'time', value: field.initial ?? '' }));
    case 'datetimepicker': {
      const node = el('input', { id, type: 'datetime-local', value: field.initial ? localInputValue(Number(field.initial) * 1000, ctx.timeZone) : '' });
      const read = () => {
        const ms = epochOfLocalInput(node.value, ctx.timeZone);
        return ms === null ? null : String(Math.floor(ms / 1000));
      };
      return { node, id, read, write: (v) => (node.value = v ? localInputValue(Number(v) * 1000, ctx.timeZone) : '') };
    }
    case 'static_select':
    case 'multi_static_select':
    case 'users_select':
    case 'multi_users_select':
    case 'conversations_select':
    case 'channels_select': {
      const multiple = field.type.startsWith('multi_');
      const people = () => ctx.people.map((p) => ({ value: p.id, text: `${p.name} (${p.realName})` }));
      const channels = () => Object.entries(ctx.channels).map(([value, name]) => ({ value, text: `#${name}` }));
      const choices = field.type.includes('users') ? people() : field.type.includes('static') ? field.options : channels();
      const node = selectControl(id, choices, field.initial, multiple, placeholder);
      const read = () => (multiple ? [...node.selectedOptions].map((o) => o.value) : node.value || null);
      const write = (v) => {
        const wanted = new Set(Array.isArray(v) ? v : [v ?? '']);
        for (const option of node.options) option.selected = wanted.has(option.value);
      };
      return { node, id, read, write };
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const type = field.type === 'checkboxes' ? 'checkbox' : 'radio';
      const node = choiceControl(id, field, type);
      const inputs = () => [...node.querySelectorAll('input')];
      const read = () => {
        const checked = inputs().filter((i) => i.checked).map((i) => i.value);
        return type === 'checkbox' ? checked : (checked[0] ?? null);
      };
      const write = (v) => {
        const wanted = new Set(Array.isArray(v) ? v : [v]);
        for (const input of inputs()) input.checked = wanted.has(input.value);
      };
      return { node, id, read, write };
    }
    default:
      return { node: el('p', { id, class: 'unsupported', text: `This simulator cannot show a ${field.type} input.` }), id, read: () => null, write: () => undefined };
  }
}

const isEmpty = (answer) => answer === null || (Array.isArray(answer) && answer.length === 0) || (typeof answer === 'string' && answer.trim() === '');

/**
 * The form for `modal` (PersonView.modal). handlers: { onSubmit(answers), onClose() }.
 * Returns { node, answers(), restore(answers), showErrors(errors) }.
 */
export function buildModalForm(modal, ctx, handlers) {
  const inputs = new Map();
  const fieldsById = new Map(modal.fields.map((f) => [f.blockId, f]));
  const body = el('div', { class: 'modal-body' });
  for (const block of modal.blocks) {
    const field = block.type === 'input' ? fieldsById.get(block.block_id) : undefined;
    if (!field) {
      body.append(renderBlock(block, ctx));
      continue;
    }
    const input = control(block, field, ctx);
    const error = el('p', { class: 'field-error', role: 'alert', hidden: true, dataset: { errorFor: field.blockId } });
    const grouped = field.type === 'checkboxes' || field.type === 'radio_buttons';
    const label = el(grouped ? 'legend' : 'label', { class: 'field-label', for: grouped ? null : input.id }, plainText(block.label), field.optional ? el('span', { class: 'optional', text: ' (optional)' }) : null);
    const hint = block.hint ? el('p', { class: 'hint' }, renderText(block.hint, ctx)) : null;
    body.append(el(grouped ? 'fieldset' : 'div', { class: 'field-block', dataset: { blockId: field.blockId, type: field.type } }, label, input.node, hint, error));
    inputs.set(field.blockId, { ...input, field, error });
  }

  const answers = () => Object.fromEntries([...inputs].map(([blockId, input]) => [blockId, input.read()]));
  const showErrors = (errors) => {
    for (const [blockId, input] of inputs) {
      const message = errors?.[blockId];
      input.error.hidden = !message;
      input.error.textContent = message ?? '';
      input.node.setAttribute('aria-invalid', message ? 'true' : 'false');
    }
  };
  const restore = (saved) => {
    for (const [blockId, value] of Object.entries(saved ?? {})) inputs.get(blockId)?.write(value);
  };

  const submit = el('button', { type: 'submit', class: 'btn btn-primary', text: modal.submit ?? 'Submit', hidden: modal.submit === null });
  const close = el('button', { type: 'button', class: 'btn', dataset: { modalClose: '' }, text: modal.close, on: { click: () => handlers.onClose() } });
  const form = el(
    'form',
    { class: 'modal-form', dataset: { viewId: modal.id }, novalidate: true },
    el('header', { class: 'modal-header' }, el('h2', { id: 'modal-title', text: modal.title }), el('button', { type: 'button', class: 'modal-x', 'aria-label': 'Close', text: '×', on: { click: () => handlers.onClose() } })),
    body,
    el('footer', { class: 'modal-footer' }, close, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const given = answers();
    const missing = Object.fromEntries([...inputs].filter(([blockId, input]) => !input.field.optional && isEmpty(given[blockId])).map(([blockId]) => [blockId, REQUIRED]));
    const tooShort = [...inputs].filter(([blockId, input]) => input.field.type === 'plain_text_input' && typeof given[blockId] === 'string' && given[blockId].length < (modal.blocks.find((b) => b.block_id === blockId)?.element?.min_length ?? 0));
    for (const [blockId] of tooShort) missing[blockId] ??= 'Please use more characters.';
    showErrors(missing);
    if (Object.keys(missing).length > 0) return;
    submit.disabled = true;
    try {
      await handlers.onSubmit(given);
    } finally {
      submit.disabled = false;
    }
  });
  return { node: form, answers, restore, showErrors };
}
