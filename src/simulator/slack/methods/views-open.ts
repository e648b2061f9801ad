import { fail, ok, type MethodContext, type MethodDef } from './common.ts';
import type { SlackResponse } from '../types.ts';
import { exchangeTrigger, readView, storeView, triggerOf, viewObject } from './views-common.ts';

/** views.open: needs a fresh trigger_id (3 s, once) and a valid view; no scope beyond a bot token. */
export const viewsOpen: MethodDef = {
  name: 'views.open',
  scopes: [],
  required: ['view'],
  handle: (ctx) => openModal(ctx, 'open'),
};

/** Opens the modal for the person whose interaction gave the trigger: alone (`open`) or on top of theirs (`push`). */
export function openModal(ctx: MethodContext, how: 'open' | 'push'): SlackResponse {
  const read = readView(ctx);
  if ('problem' in read) return read.problem;
  const { view } = read;
  const triggerProblem = exchangeTrigger(ctx);
  if (triggerProblem) return triggerProblem;
  if (typeof view.external_id === 'string' && ctx.ws.viewByExternalId(view.external_id)) return fail('duplicate_external_id');
  const user = ctx.ws.triggerUser(triggerOf(ctx) ?? '');
  const below = user && how === 'push' ? ctx.ws.modalsOf(user).at(-1) : undefined;
  const stored = storeView(ctx, view, below?.root_view_id, below?.id ?? null);
  if (user) {
    stored.user = user;
    ctx.ws.showModal(stored, how);
  }
  return ok({ view: viewObject(ctx, stored) });
}
