import { userObject } from '../objects.ts';
import { fail, ok, str, type MethodDef } from './common.ts';

/** users.info: a user with their time zone (tz, tz_label, tz_offset) and profile. */
export const usersInfo: MethodDef = {
  name: 'users.info',
  scopes: ['users:read'],
  required: ['user'],
  handle: ({ args, ws }) => {
    const user = ws.user(str(args, 'user') ?? '');
    if (!user) return fail('user_not_found');
    return ok({ user: userObject(ws, user) });
  },
};
