/**
 * Problem tickets in Slack: `/incident problems [mine|open|all]`, and the controls on the list (Done on an
 * action, the owner menu, the due date, Resolve with its modal). Each answer to a click is the list again.
 */
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { Kit } from '../core/kit.ts';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { UserError } from '../core/errors.ts';
import { handleSubmission } from '../core/modal-submission.ts';
import type { SubCommand } from '../core/subcommand.ts';
import type { ListKind, TicketView } from './blocks.ts';
import { resolveProblemModal } from './blocks.ts';
import { ids, problemRef } from './ids.ts';

export interface ProblemListenerDeps extends Pick<Kit, 'openModal'> {
  list(which: ListKind, userId: string): Promise<{ text: string; blocks: KnownBlock[] }>;
  ticket(problemId: number): Promise<TicketView | undefined>;
  markActionDone(actionId: number, by: string): Promise<void>;
  reassign(problemId: number, ownerId: string, by: string): Promise<void>;
  changeDue(problemId: number, dueDate: string, by: string): Promise<void>;
  resolve(problemId: number, reason: string, by: string): Promise<void>;
  respond(responseUrl: string, body: Record<string, unknown>): Promise<void>;
}

const LISTS = ['mine', 'open', 'all'] as const;
const Value = z.string().regex(/^\d+:(mine|open|all)$/);
const BlockId = z.string().regex(/^problem\.\d+\.(mine|open|all)$/);
const ResolveMetadata = z.object({ problemId: z.number().int().positive(), responseUrl: z.url().optional() });
const ReasonState = z.object({ [ids.fields.reason]: z.object({ [ids.inputElement]: z.object({ value: z.string().nullish() }) }) });

function readValue(value: unknown): { id: number; list: ListKind } {
  const parsed = Value.safeParse(value);
  if (!parsed.success) throw new UserError('Klaxon could not read that button.');
  const [id, list] = parsed.data.split(':') as [string, ListKind];
  return { id: Number(id), list };
}

function readBlock(blockId: unknown): { id: number; list: ListKind } {
  const parsed = BlockId.safeParse(blockId);
  if (!parsed.success) throw new UserError('Klaxon could not read that control.');
  const [, id, list] = parsed.data.split('.') as [string, string, ListKind];
  return { id: Number(id), list };
}

export function problemSubcommands(deps: ProblemListenerDeps): SubCommand[] {
  return [
    {
      name: 'problems',
      aliases: ['problem'],
      usage: 'problems [mine|open|all]',
      help: 'Follow-up problem tickets: yours (the default), every open one, or all',
      run(ctx) {
        const which = (ctx.text.trim().toLowerCase() || 'mine') as ListKind;
        if (!(LISTS as readonly string[]).includes(which)) throw new UserError('Say which tickets: `/incident problems mine`, `open` or `all`.');
        return deps.list(which, ctx.userId);
      },
    },
  ];
}

export function registerProblemListeners(listeners: SlackListeners, deps: ProblemListenerDeps): void {
  const again = async (respond: (body: Record<string, unknown>) => Promise<unknown>, list: ListKind, userId: string) => {
    const answer = await deps.list(list, userId);
    await respond({ response_type: 'ephemeral', replace_original: true, ...answer });
  };
  listeners.action(ids.actionDone, async ({ ack, action, body, respond }) => {
    await ack();
    const { id, list } = readValue('value' in action ? action.value : undefined);
    await deps.markActionDone(id, body.user.id);
    await again(respond, list, body.user.id);
  });
  listeners.action(ids.reassign, async ({ ack, action, body, respond }) => {
    await ack();
    const { id, list } = readBlock(action.block_id);
    const ownerId = z.string().regex(/^[UW][A-Z0-9]+$/).safeParse('selected_user' in action ? action.selected_user : undefined);
    if (!ownerId.success) throw new UserError('Pick the new owner.');
    await deps.reassign(id, ownerId.data, body.user.id);
    await again(respond, list, body.user.id);
  });
  listeners.action(ids.changeDue, async ({ ack, action, body, respond }) => {
    await ack();
    const { id, list } = readBlock(action.block_id);
    await deps.changeDue(id, 'selected_date' in action && typeof action.selected_date === 'string' ? action.selected_date : '', body.user.id);
    await again(respond, list, body.user.id);
  });
  listeners.action(ids.resolveButton, async ({ ack, action, body }) => {
    await ack();
    const { id } = readValue('value' in action ? action.value : undefined);
    const ticket = await deps.ticket(id);
    if (!ticket) throw new UserError(`There is no ${problemRef(id)}.`);
    await deps.openModal(body.trigger_id, resolveProblemModal(ticket, 'response_url' in body && typeof body.response_url === 'string' ? body.response_url : undefined));
  });
  listeners.view(ids.resolveModal, async ({ ack, body, view }) => {
    const resolved = await handleSubmission(ack, view, { metadata: ResolveMetadata, state: ReasonState, errorBlock: ids.fields.reason }, async (state, meta) => {
      await deps.resolve(meta.problemId, state[ids.fields.reason][ids.inputElement].value ?? '', body.user.id);
      return meta;
    });
    if (resolved?.responseUrl) await deps.respond(resolved.responseUrl, { response_type: 'ephemeral', replace_original: true, ...(await deps.list('mine', body.user.id)) });
  });
}
