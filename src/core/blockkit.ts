/**
 * Small typed builders for Block Kit that keep within Slack's limits, so a long title or summary is shortened
 * here instead of being rejected by Slack. Text given to `mrkdwn` builders must already be composed with
 * `mrkdwn.escape`/`mention`; plain_text builders take raw text (Slack shows it literally).
 */
import type { ActionsBlock, Button, ContextBlock, InputBlock, KnownBlock, ModalView, MrkdwnElement, PlainTextElement, PlainTextOption, SectionBlock } from '@slack/types';
import { truncate } from './mrkdwn.ts';

export const LIMITS = {
  blocksPerModal: 100,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  inputLabel: 2000,
  channelTopic: 250,
} as const;

/** Shortens already-escaped mrkdwn without cutting an `&amp;`-style entity in half. */
export function fitMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`;
}

export function plain(text: string, max: number = LIMITS.sectionText): PlainTextElement {
  return { type: 'plain_text', text: truncate(text || ' ', max), emoji: true };
}

export function md(text: string, max: number = LIMITS.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: fitMrkdwn(text || ' ', max) };
}

export function section(text: string, blockId?: string): SectionBlock {
  return { type: 'section', text: md(text), ...(blockId ? { block_id: blockId } : {}) };
}

export function fields(items: string[]): SectionBlock {
  return { type: 'section', fields: items.slice(0, LIMITS.sectionFields).map((item) => md(item, LIMITS.sectionField)) };
}

export function context(items: string[]): ContextBlock {
  return { type: 'context', elements: items.slice(0, LIMITS.contextElements).map((item) => md(item)) };
}

export function button(text: string, actionId: string, value?: string, style?: 'primary' | 'danger'): Button {
  if (value !== undefined && value.length > LIMITS.buttonValue) throw new Error(`button value too long for ${actionId}`);
  return {
    type: 'button',
    text: plain(text, LIMITS.buttonText),
    action_id: actionId,
    ...(value !== undefined ? { value } : {}),
    ...(style ? { style } : {}),
  };
}

export function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, LIMITS.actionsElements) };
}

export function option(text: string, value: string, description?: string): PlainTextOption {
  if (value.length > LIMITS.optionValue) throw new Error(`option value too long: ${value}`);
  return {
    text: plain(text, LIMITS.optionText),
    value,
    ...(description ? { description: plain(description, LIMITS.optionDescription) } : {}),
  };
}

export function input(blockId: string, label: string, element: InputBlock['element'], opts: { optional?: boolean; hint?: string } = {}): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, LIMITS.inputLabel),
    element,
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plain(opts.hint, LIMITS.inputLabel) } : {}),
  };
}

export function modal(opts: { callbackId: string; title: string; submit?: string; close?: string; blocks: KnownBlock[]; privateMetadata?: string }): ModalView {
  if (opts.blocks.length > LIMITS.blocksPerModal) throw new Error(`modal ${opts.callbackId} has too many blocks`);
  if ((opts.privateMetadata ?? '').length > LIMITS.privateMetadata) throw new Error(`private_metadata too long for ${opts.callbackId}`);
  return {
    type: 'modal',
    callback_id: opts.callbackId,
    title: plain(opts.title, LIMITS.modalTitle),
    ...(opts.submit ? { submit: plain(opts.submit, LIMITS.modalButton) } : {}),
    close: plain(opts.close ?? 'Cancel', LIMITS.modalButton),
    blocks: opts.blocks,
    ...(opts.privateMetadata !== undefined ? { private_metadata: opts.privateMetadata } : {}),
  };
}
