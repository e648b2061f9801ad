/** What views.open, views.update and views.push share: view validation, trigger exchange and the view object. */
import { validateView } from '../block-kit.ts';
import { randomHex, slackId } from '../ids.ts';
import type { StoredView } from '../state.ts';
import type { SlackResponse } from '../types.ts';
import { fail, invalidArguments, str, type MethodContext } from './common.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type ViewRead = { view: Record<string, unknown> } | { problem: SlackResponse };

/** The decoded `view` argument, or `invalid_arguments` with the problems found in it. */
export function readView(ctx: MethodContext): ViewRead {
  const view = ctx.args.view;
  const errors = validateView(view);
  if (errors.length > 0 || !isObject(view)) return { problem: invalidArguments(errors) };
  return { view };
}

/** Exchanges `trigger_id`: unknown → invalid_trigger_id, too old → expired_trigger_id, used → exchanged_trigger_id. */
export function triggerOf(ctx: MethodContext): string | undefined {
  return str(ctx.args, 'trigger_id') ?? str(ctx.args, 'interactivity_pointer');
}

export function exchangeTrigger(ctx: MethodContext): SlackResponse | undefined {
  const trigger = triggerOf(ctx);
  if (trigger === undefined) return invalidArguments(['missing required field: trigger_id']);
  const check = ctx.ws.useTrigger(trigger, ctx.services.now(), ctx.services.triggerTtlMs);
  if (check === 'ok') return undefined;
  return fail(`${check === 'invalid' ? 'invalid' : check}_trigger_id`);
}

export function newHash(now: number): string {
  return `${Math.floor(now / 1000)}.${randomHex(4)}`;
}

export function storeView(ctx: MethodContext, view: Record<string, unknown>, rootViewId?: string, previousViewId: string | null = null): StoredView {
  const id = slackId('V');
  const stored: StoredView = {
    id,
    team_id: ctx.ws.team.id,
    view,
    hash: newHash(ctx.services.now()),
    external_id: typeof view.external_id === 'string' ? view.external_id : '',
    root_view_id: rootViewId ?? id,
    previous_view_id: previousViewId,
  };
  ctx.ws.saveView(stored);
  return stored;
}

/** The full view object Slack returns. */
export function viewObject(ctx: MethodContext, stored: StoredView): Record<string, unknown> {
  const v = stored.view;
  const isModal = v.type === 'modal';
  return {
    id: stored.id,
    team_id: stored.team_id,
    type: v.type,
    blocks: v.blocks,
    private_metadata: typeof v.private_metadata === 'string' ? v.private_metadata : '',
    callback_id: typeof v.callback_id === 'string' ? v.callback_id : '',
    state: { values: {} },
    hash: stored.hash,
    title: v.title ?? null,
    clear_on_close: isModal ? v.clear_on_close === true : false,
    notify_on_close: isModal ? v.notify_on_close === true : false,
    close: v.close ?? null,
    submit: v.submit ?? null,
    previous_view_id: stored.previous_view_id,
    root_view_id: stored.root_view_id,
    app_id: ctx.ws.appId,
    external_id: stored.external_id,
    app_installed_team_id: ctx.ws.team.id,
    bot_id: ctx.ws.botId,
  };
}
