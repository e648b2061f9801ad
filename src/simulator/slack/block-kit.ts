/**
 * Block Kit validation, answering the way Slack does: one line per problem, each ending with the JSON pointer of
 * the offending value, e.g. `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
 * Messages carry these as `invalid_blocks`, views as `invalid_arguments` (pointers under `/view`).
 */

type Surface = 'message' | 'modal' | 'home';

const MESSAGE_BLOCK_TYPES = new Set(['section', 'header', 'context', 'actions', 'divider', 'image', 'rich_text']);
const VIEW_BLOCK_TYPES = new Set([...MESSAGE_BLOCK_TYPES, 'input']);
const SELECTS = new Set(['static_select', 'multi_static_select']);
const OTHER_SELECTS = new Set([
  'users_select', 'multi_users_select', 'conversations_select', 'multi_conversations_select',
  'channels_select', 'multi_channels_select', 'external_select', 'multi_external_select',
]);
const PICKERS = new Set(['datepicker', 'timepicker', 'datetimepicker']);
const INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_input']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  readonly errors: string[] = [];
  /** action_ids seen in the current block: Slack wants them unique among the containing block's elements. */
  actionIds = new Set<string>();

  constructor(readonly surface: Surface) {}

  fail(message: string, path: string): void {
    this.errors.push(`${message} [json-pointer:${path}]`);
  }

  /** A string field: required or not, at most `max` characters. Returns the string when valid. */
  string(obj: Record<string, unknown>, key: string, path: string, max: number, required = false): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (required) this.fail(`missing required field: ${key}`, path);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail('must be a string', `${path}/${key}`);
      return undefined;
    }
    if (required && value.length === 0) this.fail('must be more than 0 characters', `${path}/${key}`);
    if (value.length > max) this.fail(`must be less than ${max + 1} characters`, `${path}/${key}`);
    return value;
  }

  /** A text object: `{ type: plain_text | mrkdwn, text }`. */
  text(value: unknown, path: string, max: number, plainOnly = false): void {
    if (!isObject(value)) {
      this.fail('must provide an object', path);
      return;
    }
    const type = value.type;
    if (type !== 'plain_text' && type !== 'mrkdwn') {
      this.fail(type === undefined ? 'missing required field: type' : 'must be one of [plain_text, mrkdwn]', type === undefined ? path : `${path}/type`);
      return;
    }
    if (plainOnly && type !== 'plain_text') {
      this.fail('must be one of [plain_text]', `${path}/type`);
    }
    if (type === 'mrkdwn' && value.emoji !== undefined) this.fail('invalid additional property: emoji', path);
    if (type === 'plain_text' && value.verbatim !== undefined) this.fail('invalid additional property: verbatim', path);
    this.string(value, 'text', path, max, true);
  }

  optionalText(obj: Record<string, unknown>, key: string, path: string, max: number, plainOnly = false): void {
    if (obj[key] !== undefined) this.text(obj[key], `${path}/${key}`, max, plainOnly);
  }

  array(obj: Record<string, unknown>, key: string, path: string, max: number, required: boolean, min = 0): unknown[] | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (required) this.fail(`missing required field: ${key}`, path);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.fail('must provide an array', `${path}/${key}`);
      return undefined;
    }
    if (value.length > max) this.fail(`no more than ${max} items allowed`, `${path}/${key}`);
    if (value.length < min) this.fail(`must provide at least ${min} items`, `${path}/${key}`);
    return value;
  }

  actionId(element: Record<string, unknown>, path: string): void {
    const id = this.string(element, 'action_id', path, 255);
    if (id === undefined) return;
    if (this.actionIds.has(id)) this.fail(`duplicate action_id: ${id}`, `${path}/action_id`);
    this.actionIds.add(id);
  }

  blocks(blocks: unknown, path: string): void {
    const max = this.surface === 'message' ? 50 : 100;
    if (!Array.isArray(blocks)) {
      this.fail('must provide an array', path);
      return;
    }
    if (blocks.length > max) this.fail(`no more than ${max} items allowed`, path);
    const blockIds = new Set<string>();
    blocks.forEach((block, i) => {
      const blockPath = `${path}/${i}`;
      if (!isObject(block)) {
        this.fail('must provide an object', blockPath);
        return;
      }
      const blockId = this.string(block, 'block_id', blockPath, 255);
      if (blockId !== undefined) {
        if (blockIds.has(blockId)) this.fail(`duplicate block_id: ${blockId}`, `${blockPath}/block_id`);
        blockIds.add(blockId);
      }
      this.actionIds = new Set();
      this.block(block, blockPath);
    });
  }

  block(block: Record<string, unknown>, path: string): void {
    const type = block.type;
    if (typeof type !== 'string') {
      this.fail('missing required field: type', path);
      return;
    }
    const allowed = this.surface === 'message' ? MESSAGE_BLOCK_TYPES : VIEW_BLOCK_TYPES;
    if (!allowed.has(type)) {
      this.fail(VIEW_BLOCK_TYPES.has(type) ? `unsupported block type in messages: ${type}` : `unsupported block type: ${type}`, `${path}/type`);
      return;
    }
    switch (type) {
      case 'section': return this.section(block, path);
      case 'header': return this.text(block.text, `${path}/text`, 150, true);
      case 'context': return this.context(block, path);
      case 'actions': return this.actions(block, path);
      case 'image': return this.image(block, path, true);
      case 'rich_text': {
        this.array(block, 'elements', path, 100, true);
        return;
      }
      case 'input': return this.input(block, path);
      default: return; // divider
    }
  }

  section(block: Record<string, unknown>, path: string): void {
    if (block.text === undefined && block.fields === undefined) this.fail('must provide at least one of [text, fields]', path);
    if (block.text !== undefined) this.text(block.text, `${path}/text`, 3000);
    const fields = this.array(block, 'fields', path, 10, false);
    fields?.forEach((field, i) => this.text(field, `${path}/fields/${i}`, 2000));
    if (block.accessory !== undefined) this.element(block.accessory, `${path}/accessory`, 'accessory');
  }

  context(block: Record<string, unknown>, path: string): void {
    const elements = this.array(block, 'elements', path, 10, true, 1);
    elements?.forEach((element, i) => {
      const elementPath = `${path}/elements/${i}`;
      if (isObject(element) && element.type === 'image') this.image(element, elementPath, false);
      else this.text(element, elementPath, 3000);
    });
  }

  actions(block: Record<string, unknown>, path: string): void {
    const elements = this.array(block, 'elements', path, 25, true, 1);
    elements?.forEach((element, i) => this.element(element, `${path}/elements/${i}`, 'actions'));
  }

  image(obj: Record<string, unknown>, path: string, isBlock: boolean): void {
    if (obj.slack_file === undefined) this.string(obj, 'image_url', path, 3000, true);
    this.string(obj, 'alt_text', path, 2000, true);
    if (isBlock) this.optionalText(obj, 'title', path, 2000, true);
  }

  input(block: Record<string, unknown>, path: string): void {
    if (block.label === undefined) this.fail('missing required field: label', path);
    else this.text(block.label, `${path}/label`, 2000, true);
    this.optionalText(block, 'hint', path, 2000, true);
    if (block.element === undefined) this.fail('missing required field: element', path);
    else this.element(block.element, `${path}/element`, 'input');
  }

  element(element: unknown, path: string, where: 'actions' | 'accessory' | 'input'): void {
    if (!isObject(element)) {
      this.fail('must provide an object', path);
      return;
    }
    const type = element.type;
    if (typeof type !== 'string') {
      this.fail('missing required field: type', path);
      return;
    }
    if (type === 'image' && where === 'accessory') return this.image(element, path, false);
    if (INPUTS.has(type) && where !== 'input') {
      this.fail(`unsupported element type: ${type}`, `${path}/type`);
      return;
    }
    this.actionId(element, path);
    if (element.placeholder !== undefined) this.text(element.placeholder, `${path}/placeholder`, 150, true);
    if (element.confirm !== undefined) this.confirm(element.confirm, `${path}/confirm`);
    if (type === 'button') return this.button(element, path);
    if (SELECTS.has(type)) return this.select(element, path, type === 'multi_static_select');
    if (type === 'checkboxes') return this.choices(element, path, 10, true);
    if (type === 'radio_buttons') return this.choices(element, path, 10, false);
    if (type === 'overflow') {
      this.options(element, path, 5, true, 2);
      return;
    }
    if (type === 'plain_text_input') return this.plainTextInput(element, path);
    if (OTHER_SELECTS.has(type) || PICKERS.has(type) || INPUTS.has(type)) return;
    this.fail(`unsupported element type: ${type}`, `${path}/type`);
  }

  button(element: Record<string, unknown>, path: string): void {
    if (element.text === undefined) this.fail('missing required field: text', path);
    else this.text(element.text, `${path}/text`, 75, true);
    this.string(element, 'value', path, 2000);
    this.string(element, 'url', path, 3000);
    const style = element.style;
    if (style !== undefined && style !== 'primary' && style !== 'danger') this.fail('must be one of [primary, danger]', `${path}/style`);
  }

  confirm(value: unknown, path: string): void {
    if (!isObject(value)) {
      this.fail('must provide an object', path);
      return;
    }
    this.optionalText(value, 'title', path, 100, true);
    if (value.text === undefined) this.fail('missing required field: text', path);
    else this.text(value.text, `${path}/text`, 300);
    this.optionalText(value, 'confirm', path, 30, true);
    this.optionalText(value, 'deny', path, 30, true);
  }

  /** Options of a select, checkboxes, radio buttons or overflow; returns the valid ones for initial-option checks. */
  options(element: Record<string, unknown>, path: string, max: number, plainOnly: boolean, min = 1): Record<string, unknown>[] {
    let options: unknown[] | undefined;
    if (element.option_groups !== undefined && element.options === undefined) {
      const groups = this.array(element, 'option_groups', path, 100, true) ?? [];
      options = groups.flatMap((group, g) => {
        if (!isObject(group)) return [];
        const groupPath = `${path}/option_groups/${g}`;
        this.optionalText(group, 'label', groupPath, 75, true);
        const groupOptions = this.array(group, 'options', groupPath, 100, true) ?? [];
        groupOptions.forEach((option, i) => this.option(option, `${groupPath}/options/${i}`, plainOnly));
        return groupOptions;
      });
    } else {
      options = this.array(element, 'options', path, max, true, min) ?? [];
      options.forEach((option, i) => this.option(option, `${path}/options/${i}`, plainOnly));
    }
    return options.filter(isObject);
  }

  option(option: unknown, path: string, plainOnly: boolean): void {
    if (!isObject(option)) {
      this.fail('must provide an object', path);
      return;
    }
    if (option.text === undefined) this.fail('missing required field: text', path);
    else this.text(option.text, `${path}/text`, 75, plainOnly);
    this.string(option, 'value', path, 150, true);
    this.optionalText(option, 'description', path, 75, true);
    this.string(option, 'url', path, 3000);
  }

  select(element: Record<string, unknown>, path: string, multi: boolean): void {
    const options = this.options(element, path, 100, true);
    this.initialOptions(element, path, options, multi);
  }

  choices(element: Record<string, unknown>, path: string, max: number, multi: boolean): void {
    const options = this.options(element, path, max, false);
    this.initialOptions(element, path, options, multi);
  }

  initialOptions(element: Record<string, unknown>, path: string, options: Record<string, unknown>[], multi: boolean): void {
    const key = multi ? 'initial_options' : 'initial_option';
    const given = element[key];
    if (given === undefined) return;
    const initial = multi ? (Array.isArray(given) ? given : [given]) : [given];
    initial.forEach((candidate, i) => {
      const candidatePath = multi ? `${path}/${key}/${i}` : `${path}/${key}`;
      if (!options.some((option) => sameOption(option, candidate))) this.fail(`${key} must match one of the provided options`, candidatePath);
    });
  }

  plainTextInput(element: Record<string, unknown>, path: string): void {
    const max = numberField(element.max_length);
    const min = numberField(element.min_length);
    if (max !== undefined && max > 3000) this.fail('must be less than or equal to 3000', `${path}/max_length`);
    if (min !== undefined && min > 3000) this.fail('must be less than or equal to 3000', `${path}/min_length`);
    if (min !== undefined && max !== undefined && min > max) this.fail('min_length must be less than or equal to max_length', `${path}/min_length`);
    this.string(element, 'initial_value', path, max ?? 3000);
  }
}

function numberField(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function optionKey(option: unknown): string | undefined {
  if (!isObject(option) || !isObject(option.text)) return undefined;
  return JSON.stringify([option.value, option.text.type, option.text.text]);
}

function sameOption(a: unknown, b: unknown): boolean {
  const key = optionKey(a);
  return key !== undefined && key === optionKey(b);
}

/** Problems with the blocks of a message (chat.postMessage, chat.update, response_url, ...). */
export function validateMessageBlocks(blocks: unknown): string[] {
  const checker = new Checker('message');
  checker.blocks(blocks, '/blocks');
  return checker.errors;
}

/** Problems with a view (views.open, views.update, views.push, views.publish). */
export function validateView(view: unknown): string[] {
  const path = '/view';
  if (!isObject(view)) return [`must provide an object [json-pointer:${path}]`];
  const type = view.type;
  const checker = new Checker(type === 'home' ? 'home' : 'modal');
  if (type === undefined) checker.fail('missing required field: type', path);
  else if (type !== 'modal' && type !== 'home') checker.fail('must be one of [modal, home]', `${path}/type`);
  if (type === 'modal') {
    if (view.title === undefined) checker.fail('missing required field: title', path);
    else checker.text(view.title, `${path}/title`, 24, true);
    checker.optionalText(view, 'submit', path, 24, true);
    checker.optionalText(view, 'close', path, 24, true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) checker.fail('must provide submit when the view has input blocks', `${path}/submit`);
  }
  if (view.blocks === undefined) checker.fail('missing required field: blocks', path);
  else checker.blocks(view.blocks, `${path}/blocks`);
  checker.string(view, 'private_metadata', path, 3000);
  checker.string(view, 'callback_id', path, 255);
  checker.string(view, 'external_id', path, 255);
  return checker.errors;
}
