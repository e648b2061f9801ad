import type { MethodDef } from './common.ts';
import { openModal, viewsOpen } from './views-open.ts';

/** views.push: like views.open, with a trigger from an interaction inside a modal; the new view goes on top of it. */
export const viewsPush: MethodDef = { ...viewsOpen, name: 'views.push', handle: (ctx) => openModal(ctx, 'push') };
