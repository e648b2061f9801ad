/**
 * `GET /oncall/<schedule>.ics?sig=…`: a schedule's shifts as a calendar people can subscribe to, from two weeks
 * back to twelve ahead. The link is signed (handed out by `/incident oncall`); anything else gets 404, so the
 * schedule names are not discoverable.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/clock.ts';
import type { KlaxonFile } from '../core/config.ts';
import { isSignedLink } from '../core/signed-links.ts';
import type { UserProfiles } from '../core/user-profiles.ts';
import { scheduleCalendar } from './calendar.ts';
import { ROTA_HORIZON } from './rota.ts';
import type { Rotas } from './rotas.ts';
import { servicesUsing } from './shifts.ts';
import { WEEK } from '../core/duration.ts';

export function calendarHandler(deps: { clock: Clock; rotas: Rotas; file: KlaxonFile; publicUrl: string; linkSecret: () => string; profiles: UserProfiles }) {
  return async (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse): Promise<void> => {
    const scheduleId = (req.params?.file ?? '').replace(/\.ics$/, '');
    const now = deps.clock.now();
    if (!(req.params?.file ?? '').endsWith('.ics') || !deps.rotas.schedule(scheduleId) || !isSignedLink(deps.linkSecret(), req.url ?? '', now)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('Not found. Ask Klaxon for the link with /incident oncall.\n');
      return;
    }
    const userFilter = new URL(req.url ?? '', 'http://klaxon.invalid').searchParams.get('user');
    const stretches = (await deps.rotas.between(scheduleId, now - 2 * WEEK, now + ROTA_HORIZON)).filter((s) => !userFilter || s.userId === userFilter);
    const services = servicesUsing(deps.file, scheduleId);
    const people = [...new Set(stretches.map((s) => s.userId))];
    const names = Object.fromEntries(await Promise.all(people.map(async (userId) => [userId, (await deps.profiles.of(userId)).name] as const)));
    const body = scheduleCalendar({
      scheduleId,
      label: services.length ? `${services.join(', ')} (${scheduleId})` : scheduleId,
      stretches,
      names,
      generatedAt: now,
      host: new URL(deps.publicUrl).host,
    });
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `inline; filename="${scheduleId}.ics"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  };
}
