import type { MethodDef } from './common.ts';
import { viewsOpen } from './views-open.ts';

/** views.push: like views.open (the view stack is not modelled), with a trigger from an interaction inside a modal. */
export const viewsPush: MethodDef = { ...viewsOpen, name: 'views.push' };
