/** Pure Block Kit for problem tickets: the list with its controls, the owner's DMs, the recurrence notice. */
import type { KnownBlock, ModalView } from '@slack/types';
import { button, context, fitMrkdwn, input, modal, section } from '../core/blockkit.ts';
import { escape, mention } from '../core/mrkdwn.ts';
import { incidentRef } from '../incidents/model.ts';
import { ids, problemRef } from './ids.ts';
import { PRIORITY_LABEL, type Priority } from './rules.ts';

export interface TicketView {
  id: number;
  incidentId: number;
  title: string;
  ownerId: string;
  priority: Priority;
  dueDate: string;
  status: 'open' | 'resolved';
  resolution: string | null;
  /** Whole days past due (0 when not overdue). */
  overdueDays: number;
  recurrences: number;
  actions: { id: number; what: string; ownerId: string; dueDate: string; status: 'open' | 'done' }[];
}

/** An ephemeral message holds 50 blocks; a ticket takes its header, its actions and its controls. */
const BLOCKS_MAX = 48;

function dueText(t: TicketView): string {
  if (t.status === 'resolved') return 'resolved';
  return t.overdueDays > 0 ? `*overdue by ${t.overdueDays} ${t.overdueDays === 1 ? 'day' : 'days'}* (due ${t.dueDate})` : `due ${t.dueDate}`;
}

export type ListKind = 'mine' | 'open' | 'all';

/** Controls carry the list they are in (`<id>:<list>`), so that the answer to a click is that list again. */
function ticketBlocks(t: TicketView, list: ListKind): KnownBlock[] {
  const done = t.actions.filter((a) => a.status === 'done').length;
  const blocks: KnownBlock[] = [
    section(
      fitMrkdwn(
        `*${problemRef(t.id)}*: ${escape(t.title)}\n${PRIORITY_LABEL[t.priority]} · ${dueText(t)} · owner ${mention(t.ownerId)} · from ${incidentRef(t.incidentId)} · ${done}/${t.actions.length} actions done${t.recurrences ? ` · :repeat: recurred ${t.recurrences}×` : ''}`,
        3000,
      ),
    ),
  ];
  for (const a of t.actions) {
    const line = `${a.status === 'done' ? ':white_check_mark:' : ':white_large_square:'} ${escape(a.what)} · ${mention(a.ownerId)} · due ${a.dueDate}`;
    blocks.push(a.status === 'open' && t.status === 'open' ? { ...section(fitMrkdwn(line, 3000)), accessory: button('Done', ids.actionDone, `${a.id}:${list}`) } : context([fitMrkdwn(line, 3000)]));
  }
  if (t.status === 'open') {
    blocks.push({
      type: 'actions',
      block_id: `problem.${t.id}.${list}`,
      elements: [
        { type: 'users_select', action_id: ids.reassign, initial_user: t.ownerId, placeholder: { type: 'plain_text', text: 'Reassign' } },
        { type: 'datepicker', action_id: ids.changeDue, initial_date: t.dueDate, placeholder: { type: 'plain_text', text: 'Due date' } },
        button('Resolve', ids.resolveButton, `${t.id}:${list}`, 'primary'),
      ],
    });
  } else if (t.resolution) {
    blocks.push(context([`Closed without every action: ${escape(t.resolution)}`]));
  }
  return blocks;
}

export function problemListBlocks(tickets: TicketView[], which: ListKind): { text: string; blocks: KnownBlock[] } {
  const heading = { mine: 'Your open problem tickets', open: 'Open problem tickets', all: 'Problem tickets' }[which];
  if (!tickets.length) {
    const none = { mine: 'You have no open problem tickets.', open: 'No problem tickets are open.', all: 'No problem tickets yet: they are created from post-mortems.' }[which];
    return { text: none, blocks: [section(`:white_check_mark: ${none}`)] };
  }
  const blocks: KnownBlock[] = [section(`*${heading}* (${tickets.length})`)];
  let shown = 0;
  for (const t of tickets) {
    const next = ticketBlocks(t, which);
    if (blocks.length + next.length + 2 > BLOCKS_MAX) break;
    blocks.push({ type: 'divider' }, ...next);
    shown += 1;
  }
  if (shown < tickets.length) blocks.push(context([`…and ${tickets.length - shown} more. \`/incident problems mine\` shows yours.`]));
  return { text: `${heading}: ${tickets.map((t) => problemRef(t.id)).join(', ')}`, blocks };
}

export function ownerDmText(t: TicketView, incidentTitle: string): string {
  return [
    `:clipboard: You own *${problemRef(t.id)}*, a problem ticket from ${incidentRef(t.incidentId)} (${escape(incidentTitle)}): ${escape(t.title)}`,
    `${PRIORITY_LABEL[t.priority]}, due ${t.dueDate}. Follow-up actions:`,
    ...t.actions.map((a, i) => `${i + 1}. ${escape(a.what)} · ${mention(a.ownerId)} · due ${a.dueDate}`),
    '`/incident problems mine` lists your tickets, with buttons to mark actions done and resolve them.',
  ].join('\n');
}

export function reassignedDmText(t: TicketView, by: string): string {
  return `:clipboard: ${mention(by)} made you the owner of *${problemRef(t.id)}*: ${escape(t.title)} (${PRIORITY_LABEL[t.priority]}, due ${t.dueDate}). \`/incident problems mine\` lists it.`;
}

export function reminderDmText(t: TicketView): string {
  const open = t.actions.filter((a) => a.status === 'open').length;
  const when = t.overdueDays > 0 ? `is overdue by ${t.overdueDays} ${t.overdueDays === 1 ? 'day' : 'days'}` : 'is due today';
  return `:alarm_clock: *${problemRef(t.id)}* ${when}: ${escape(t.title)}. ${open} of ${t.actions.length} actions still open. Mark them done, move the date, or resolve it: \`/incident problems mine\`.`;
}

export function recurrenceText(t: TicketView): string {
  return `:repeat: This looks like ${incidentRef(t.incidentId)}, whose problem ${problemRef(t.id)} is still open: ${mention(t.ownerId)}. ${escape(t.title)} (due ${t.dueDate}).`;
}

export function resolveProblemModal(t: TicketView, responseUrl: string | undefined): ModalView {
  const open = t.actions.filter((a) => a.status === 'open');
  return modal({
    callbackId: ids.resolveModal,
    title: `Resolve ${problemRef(t.id)}`,
    submit: 'Resolve',
    privateMetadata: JSON.stringify({ problemId: t.id, ...(responseUrl ? { responseUrl } : {}) }),
    blocks: [
      section(`*${problemRef(t.id)}*: ${escape(t.title)}`),
      open.length
        ? context([`${open.length} ${open.length === 1 ? 'action is' : 'actions are'} not done: ${open.map((a) => escape(a.what)).join('; ')}. Say why the ticket can close without ${open.length === 1 ? 'it' : 'them'}.`])
        : context(['Every action is done.']),
      input(ids.fields.reason, open.length ? 'Reason (won’t do)' : 'Note (optional)', { type: 'plain_text_input', action_id: ids.inputElement, multiline: true, max_length: 3000 }, { optional: true }),
    ],
  });
}
