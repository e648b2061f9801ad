import { fail, ok, type MethodDef } from './common.ts';
import { exchangeTrigger, readView, storeView, viewObject } from './views-common.ts';

/** views.open: needs a fresh trigger_id (3 s, once) and a valid view; no scope beyond a bot token. */
export const viewsOpen: MethodDef = {
  name: 'views.open',
  scopes: [],
  required: ['view'],
  handle: (ctx) => {
    const read = readView(ctx);
    if ('problem' in read) return read.problem;
    const { view } = read;
    const triggerProblem = exchangeTrigger(ctx);
    if (triggerProblem) return triggerProblem;
    if (typeof view.external_id === 'string' && ctx.ws.viewByExternalId(view.external_id)) return fail('duplicate_external_id');
    return ok({ view: viewObject(ctx, storeView(ctx, view)) });
  },
};
