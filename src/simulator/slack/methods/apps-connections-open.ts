import { ok, type MethodDef } from './common.ts';

/** apps.connections.open: a one-time Socket Mode URL. Only an app-level token with connections:write may call it. */
export const appsConnectionsOpen: MethodDef = {
  name: 'apps.connections.open',
  tokenTypes: ['app'],
  scopes: ['connections:write'],
  handle: ({ services }) => ok({ url: services.openSocketUrl() }),
};
