import { fail, invalidArguments, ok, str, type MethodDef } from './common.ts';
import { readView, viewObject } from './views-common.ts';

/**
 * views.publish: a user's Home tab; no scope and no trigger. The view must be valid and of type `home` (up to 100
 * blocks). An unknown `user_id` is `invalid_arguments` with Slack's documented message "invalid `user_id`"; a
 * `hash` that is not the stored Home tab's is `hash_conflict`. Publishing again keeps the view id, with a new hash.
 */
export const viewsPublish: MethodDef = {
  name: 'views.publish',
  scopes: [],
  required: ['user_id', 'view'],
  handle: (ctx) => {
    const { args, ws } = ctx;
    const userId = str(args, 'user_id') ?? '';
    if (!ws.user(userId)) return fail('invalid_arguments', { response_metadata: { messages: ['invalid `user_id`'] } });
    const read = readView(ctx);
    if ('problem' in read) return read.problem;
    const { view } = read;
    if (view.type !== 'home') return invalidArguments(['must be one of [home] [json-pointer:/view/type]']);
    const current = ws.homeView(userId);
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== '' && current !== undefined && hash !== current.hash) return fail('hash_conflict');
    if (typeof view.external_id === 'string' && view.external_id !== '') {
      const modal = ws.viewByExternalId(view.external_id);
      const otherHome = ws.users().some((u) => u.id !== userId && ws.homeView(u.id)?.external_id === view.external_id);
      if (modal || otherHome) return fail('duplicate_external_id');
    }
    return ok({ view: viewObject(ctx, ws.publishHome(userId, view)) });
  },
};
