import { ok, type MethodDef } from './common.ts';

/** auth.test: who the token belongs to. No scope needed. */
export const authTest: MethodDef = {
  name: 'auth.test',
  scopes: [],
  handle: ({ ws, token }) =>
    ok({
      url: `https://${ws.team.domain}.slack.com/`,
      team: ws.team.name,
      user: ws.user(token.userId)?.name ?? token.userId,
      team_id: ws.team.id,
      user_id: token.userId,
      ...(token.type === 'bot' ? { bot_id: ws.botId } : {}),
      is_enterprise_install: false,
    }),
};
