import { fail, invalidArguments, ok, str, type MethodDef } from './common.ts';
import { newHash, readView, viewObject } from './views-common.ts';

/** views.update: by `view_id` or `external_id` (`not_found`); a stale `hash` is `hash_conflict`. */
export const viewsUpdate: MethodDef = {
  name: 'views.update',
  scopes: [],
  required: ['view'],
  handle: (ctx) => {
    const { args, ws } = ctx;
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    if (!viewId && !externalId) return invalidArguments(['missing required field: view_id or external_id']);
    const read = readView(ctx);
    if ('problem' in read) return read.problem;
    const { view } = read;
    const stored = viewId ? ws.view(viewId) : ws.viewByExternalId(externalId ?? '');
    if (!stored) return fail('not_found');
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== '' && hash !== stored.hash) return fail('hash_conflict');
    const newExternalId = typeof view.external_id === 'string' ? view.external_id : stored.external_id;
    const owner = ws.viewByExternalId(newExternalId);
    if (owner && owner.id !== stored.id) return fail('duplicate_external_id');
    stored.view = view;
    stored.external_id = newExternalId;
    stored.hash = newHash(ctx.services.now());
    return ok({ view: viewObject(ctx, stored) });
  },
};
