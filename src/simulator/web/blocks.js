/**
 * Block Kit as the person's Slack client draws it: header, section (text, fields in two columns, accessory),
 * context, divider, actions (buttons, menus, date pickers, overflow), image and rich_text. Interactive elements
 * call `ctx.onAction({ element, blockId, value })`; a `confirm` object asks first (`ctx.confirm`).
 *
 * ctx: the mrkdwn context (users, channels, timeZone, now, onChannel) plus people [{ id, name, realName }],
 * onAction and confirm.
 */
import { el, externalLink, safeHref } from './dom.js';
import { plainText, renderText } from './mrkdwn.js';

const optionsOf = (element) => [
  ...(element.options ?? []),
  ...(element.option_groups ?? []).flatMap((group) => group.options ?? []),
];

/** Asks (if the element wants it) and then tells the app. */
async function act(ctx, element, blockId, value) {
  if (element.confirm && !(await ctx.confirm(element.confirm))) return;
  await ctx.onAction({ element, blockId, value });
}

function button(element, blockId, ctx) {
  const style = element.style === 'primary' ? ' btn-primary' : element.style === 'danger' ? ' btn-danger' : '';
  const node = el('button', {
    type: 'button',
    class: `btn${style}`,
    dataset: { actionId: element.action_id ?? '', ...(element.value !== undefined ? { value: element.value } : {}) },
    text: plainText(element.text),
    title: element.accessibility_label ?? null,
  });
  node.addEventListener('click', async () => {
    // A link button opens its page and still tells the app, as Slack does.
    const href = element.url ? safeHref(element.url) : null;
    if (href) window.open(href, '_blank', 'noopener,noreferrer');
    node.disabled = true;
    try {
      await act(ctx, element, blockId, element.value);
    } finally {
      node.disabled = false;
    }
  });
  return node;
}

/** A `<select>` of choices, with the placeholder as its first, unselectable line. */
function menu(element, blockId, ctx, choices, initial) {
  const placeholder = plainText(element.placeholder) || 'Select an item';
  const select = el('select', { class: 'menu', dataset: { actionId: element.action_id ?? '' }, 'aria-label': placeholder });
  select.append(el('option', { value: '', text: placeholder, disabled: true, selected: initial === null }));
  for (const choice of choices) select.append(el('option', { value: choice.value, text: choice.text, selected: choice.value === initial }));
  select.addEventListener('change', () => {
    const value = select.value;
    void act(ctx, element, blockId, value);
  });
  return select;
}

function overflow(element, blockId, ctx) {
  const list = el('ul', { class: 'overflow-menu', role: 'menu', hidden: true });
  const toggle = el('button', { type: 'button', class: 'btn overflow-toggle', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-label': 'More options', dataset: { actionId: element.action_id ?? '' }, text: '⋯' });
  toggle.addEventListener('click', () => {
    list.hidden = !list.hidden;
    toggle.setAttribute('aria-expanded', String(!list.hidden));
  });
  for (const option of element.options ?? []) {
    const item = el('button', { type: 'button', role: 'menuitem', dataset: { value: option.value }, text: plainText(option.text) });
    item.addEventListener('click', () => {
      list.hidden = true;
      void act(ctx, element, blockId, option.value);
    });
    list.append(el('li', {}, item));
  }
  return el('span', { class: 'overflow' }, toggle, list);
}

/** An image: only pictures the page itself may load (data: URLs); others show their alt text. */
function image(url, alt, className) {
  if (typeof url === 'string' && url.startsWith('data:image/')) return el('img', { class: className, src: url, alt: alt ?? '' });
  return el('span', { class: `${className} image-placeholder`, title: url ?? '', text: `🖼 ${alt || 'image'}` });
}

function choiceInputs(element, blockId, ctx, type) {
  const name = `${blockId}-${element.action_id}`;
  const initial = new Set([element.initial_option?.value, ...(element.initial_options ?? []).map((o) => o.value)].filter(Boolean));
  return el(
    'div',
    { class: 'choices', role: type === 'radio' ? 'radiogroup' : 'group', dataset: { actionId: element.action_id ?? '' } },
    (element.options ?? []).map((option) => {
      const input = el('input', { type, name, value: option.value, checked: initial.has(option.value) });
      input.addEventListener('change', () => void act(ctx, element, blockId, option.value));
      return el('label', { class: 'choice' }, input, ' ', plainText(option.text));
    }),
  );
}

/** One interactive or display element of an actions, context or section block. */
export function renderElement(element, blockId, ctx) {
  switch (element?.type) {
    case 'button':
      return button(element, blockId, ctx);
    case 'static_select':
    case 'multi_static_select':
      return menu(element, blockId, ctx, optionsOf(element).map((o) => ({ value: o.value, text: plainText(o.text) })), element.initial_option?.value ?? null);
    case 'users_select':
    case 'multi_users_select':
      return menu(element, blockId, ctx, ctx.people.map((p) => ({ value: p.id, text: `${p.name} (${p.realName})` })), element.initial_user ?? null);
    case 'conversations_select':
    case 'channels_select':
      return menu(element, blockId, ctx, Object.entries(ctx.channels).map(([id, name]) => ({ value: id, text: `#${name}` })), element.initial_conversation ?? element.initial_channel ?? null);
    case 'overflow':
      return overflow(element, blockId, ctx);
    case 'datepicker': {
      const input = el('input', { type: 'date', class: 'datepicker', value: element.initial_date ?? '', dataset: { actionId: element.action_id ?? '' }, 'aria-label': plainText(element.placeholder) || 'Pick a date' });
      input.addEventListener('change', () => input.value && void act(ctx, element, blockId, input.value));
      return input;
    }
    case 'timepicker': {
      const input = el('input', { type: 'time', value: element.initial_time ?? '', dataset: { actionId: element.action_id ?? '' }, 'aria-label': plainText(element.placeholder) || 'Pick a time' });
      input.addEventListener('change', () => input.value && void act(ctx, element, blockId, input.value));
      return input;
    }
    case 'checkboxes':
      return choiceInputs(element, blockId, ctx, 'checkbox');
    case 'radio_buttons':
      return choiceInputs(element, blockId, ctx, 'radio');
    case 'image':
      return image(element.image_url, element.alt_text, 'element-image');
    case 'mrkdwn':
    case 'plain_text':
      return el('span', { class: 'text' }, renderText(element, ctx));
    default:
      return el('span', { class: 'unsupported', text: `[${element?.type ?? 'element'}]` });
  }
}

/** rich_text's elements: sections, lists, preformatted and quotes, with styled runs. */
function richElement(node, ctx) {
  switch (node?.type) {
    case 'rich_text_section':
      return el('div', { class: 'rich-section' }, (node.elements ?? []).map((e) => richRun(e, ctx)));
    case 'rich_text_list': {
      const list = el(node.style === 'ordered' ? 'ol' : 'ul', { class: 'rich-list' });
      for (const item of node.elements ?? []) list.append(el('li', {}, (item.elements ?? []).map((e) => richRun(e, ctx))));
      return list;
    }
    case 'rich_text_preformatted':
      return el('pre', {}, (node.elements ?? []).map((e) => richRun(e, ctx)));
    case 'rich_text_quote':
      return el('blockquote', {}, (node.elements ?? []).map((e) => richRun(e, ctx)));
    default:
      return richRun(node, ctx);
  }
}

function richRun(run, ctx) {
  let node;
  switch (run?.type) {
    case 'text':
      node = document.createTextNode(run.text ?? '');
      break;
    case 'link':
      node = externalLink(run.url ?? '', run.text ?? run.url ?? '');
      break;
    case 'user':
      node = el('span', { class: 'mention', text: `@${ctx.users[run.user_id] ?? run.user_id}` });
      break;
    case 'channel':
      node = el('span', { class: 'channel-link', text: `#${ctx.channels[run.channel_id] ?? 'private channel'}` });
      break;
    case 'broadcast':
      node = el('span', { class: 'mention broadcast', text: `@${run.range ?? 'here'}` });
      break;
    case 'emoji':
      node = document.createTextNode(run.unicode ? String.fromCodePoint(...run.unicode.split('-').map((hex) => parseInt(hex, 16))) : `:${run.name}:`);
      break;
    default:
      return document.createTextNode('');
  }
  const style = run.style ?? {};
  for (const [flag, tag] of [['code', 'code'], ['strike', 's'], ['italic', 'em'], ['bold', 'strong']]) if (style[flag]) node = el(tag, {}, node);
  return node;
}

/** One block, marked with its type and block_id. */
export function renderBlock(block, ctx) {
  const blockId = block?.block_id ?? '';
  const wrap = (...children) => el('div', { class: `block block-${block?.type ?? 'unknown'}`, dataset: { blockId } }, ...children);
  switch (block?.type) {
    case 'header':
      return wrap(el('h3', { text: plainText(block.text) }));
    case 'section': {
      const main = el('div', { class: 'section-main' });
      if (block.text) main.append(el('div', { class: 'section-text' }, renderText(block.text, ctx)));
      if (block.fields?.length) main.append(el('div', { class: 'fields' }, block.fields.map((field) => el('div', { class: 'field' }, renderText(field, ctx)))));
      return wrap(main, block.accessory ? el('div', { class: 'accessory' }, renderElement(block.accessory, blockId, ctx)) : null);
    }
    case 'context':
      return wrap((block.elements ?? []).map((element) => (element.type === 'image' ? image(element.image_url, element.alt_text, 'context-image') : el('span', { class: 'context-item' }, renderText(element, ctx)))));
    case 'divider':
      return wrap(el('hr'));
    case 'actions':
      return wrap(el('div', { class: 'actions' }, (block.elements ?? []).map((element) => renderElement(element, blockId, ctx))));
    case 'image':
      return wrap(block.title ? el('div', { class: 'image-title', text: plainText(block.title) }) : null, image(block.image_url, block.alt_text, 'block-image'));
    case 'rich_text':
      return wrap((block.elements ?? []).map((node) => richElement(node, ctx)));
    default:
      return wrap(el('span', { class: 'unsupported', text: `[${block?.type ?? 'block'} block]` }));
  }
}

export function renderBlocks(blocks, ctx) {
  return (blocks ?? []).map((block) => renderBlock(block, ctx));
}
