/** Pure Block Kit for the post-mortem: the form (prefilled with the draft) and the channel's messages. */
import type { KnownBlock, ModalView } from '@slack/types';
import { actions, button, context, input, modal, option, section } from '../core/blockkit.ts';
import { date, escape, link, mention } from '../core/mrkdwn.ts';
import { incidentRef, type Incident } from '../incidents/model.ts';
import { TEXT_MAX, type PostmortemForm } from './form.ts';
import { ACTIONS, fields, ids, WHYS } from './ids.ts';

const el = ids.inputElement;

function text(block: string, label: string, value: string, opts: { hint?: string; multiline?: boolean; placeholder?: string } = {}) {
  return input(
    block,
    label,
    {
      type: 'plain_text_input',
      action_id: el,
      multiline: opts.multiline ?? true,
      max_length: TEXT_MAX,
      ...(value ? { initial_value: value.slice(0, TEXT_MAX) } : {}),
      ...(opts.placeholder ? { placeholder: { type: 'plain_text', text: opts.placeholder } } : {}),
    },
    // Every field is optional to Slack: a draft is saved whatever it holds, and Klaxon says what is missing.
    { optional: true, ...(opts.hint ? { hint: opts.hint } : {}) },
  );
}

export interface LastEdit {
  by: string;
  at: number;
  state: 'draft' | 'complete';
}

export function postmortemModal(incident: Incident, form: PostmortemForm, lastEdit: LastEdit | undefined): ModalView {
  const blocks: KnownBlock[] = [
    section(`*${incidentRef(incident.id)}: ${escape(incident.title)}*\nBlameless: describe what the system and the process allowed, not who is to blame. Saving keeps a draft anyone in the channel can continue.`),
    ...(lastEdit ? [context([`${lastEdit.state === 'complete' ? 'Saved' : 'Draft saved'} by ${mention(lastEdit.by)} ${date(lastEdit.at)}`])] : []),
    { type: 'header', text: { type: 'plain_text', text: 'What happened' } },
    text(fields.summary, 'Summary', form.summary, { placeholder: 'What happened, in a few sentences' }),
    text(fields.impact, 'Customer impact', form.impact, { placeholder: 'Who was affected, how, for how long' }),
    text(fields.detection, 'How it was detected', form.detection, { placeholder: 'An alert, a customer report, a deploy check…' }),
    text(fields.trigger, 'Trigger', form.trigger, { placeholder: 'The change or event that set it off' }),
    { type: 'header', text: { type: 'plain_text', text: 'Five whys' } },
    context(['Start from the problem, then ask why it happened; each answer builds on the one before. Two at least, five at most.']),
    ...Array.from({ length: WHYS }, (_, i) =>
      text(fields.why(i + 1), i === 0 ? '1. The problem' : `${i + 1}. Why? (why did ${i === 1 ? 'the problem' : `answer ${i}`} happen)`, form.whys[i] ?? '', { multiline: false }),
    ),
    text(fields.rootCause, 'Root cause', form.rootCause, { hint: 'Left empty, the last why is the root cause.' }),
    text(fields.contributing, 'Contributing factors', form.contributing, { hint: 'One per line: what else made it possible or worse.' }),
    { type: 'header', text: { type: 'plain_text', text: 'Looking back' } },
    text(fields.wentWell, 'What went well', form.wentWell),
    text(fields.wentBadly, 'What went badly', form.wentBadly),
    text(fields.lucky, 'Where we got lucky', form.lucky),
    { type: 'header', text: { type: 'plain_text', text: 'Follow-up actions' } },
    context(['Each action needs what, who and by when. The first is required.']),
  ];
  for (let n = 1; n <= ACTIONS; n += 1) {
    const action = form.actions[n - 1] ?? { what: '', ownerId: null, due: null };
    blocks.push(
      text(fields.actionWhat(n), `Action ${n}`, action.what, { multiline: false }),
      input(fields.actionOwner(n), `Action ${n}: owner`, { type: 'users_select', action_id: el, ...(action.ownerId ? { initial_user: action.ownerId } : {}) }, { optional: true }),
      input(fields.actionDue(n), `Action ${n}: due`, { type: 'datepicker', action_id: el, ...(action.due ? { initial_date: action.due } : {}) }, { optional: true }),
    );
  }
  const create = option('Create a problem ticket', 'create', 'PRB-n, with these actions as its checklist');
  blocks.push(input(fields.createProblem, 'Problem ticket', { type: 'checkboxes', action_id: el, options: [create], ...(form.createProblem ? { initial_options: [create] } : {}) }, { optional: true }));
  return modal({ callbackId: ids.modal, title: 'Post-mortem', submit: 'Save', blocks, privateMetadata: JSON.stringify({ incidentId: incident.id }) });
}

/** The message that goes with each uploaded version of the document. */
export function publishedComment(incident: Incident, by: string, revision: number, pageUrl: string): string {
  return `:page_facing_up: Post-mortem of *${incidentRef(incident.id)}*${revision > 1 ? ` (version ${revision})` : ''}, saved by ${mention(by)}. Read it at ${link(pageUrl, 'the post-mortem page')}; \`/incident postmortem\` edits it.`;
}

export function openButtonBlocks(incident: Incident): KnownBlock[] {
  return [actions('postmortem.actions', [button('Edit the post-mortem', ids.openButton, String(incident.id))])];
}
