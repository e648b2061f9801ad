/**
 * `GET /postmortems/INC-n`: the post-mortem's page. A private incident's only through a signed, unexpired link
 * (as posted in its channel), and every one with `web.require_signed_links`; without one, the same 404 as for
 * a post-mortem that does not exist.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kit } from '../core/kit.ts';
import { getIncident, incidentRef, parseIncidentRef } from '../incidents/index.ts';
import { sendHtml } from '../web/page.ts';
import { postmortemNotFoundHtml, postmortemPageHtml } from './page.ts';
import { getPostmortem } from './store.ts';

export type PostmortemRouteDeps = Pick<Kit, 'db' | 'links'>;

export function postmortemHandler(deps: PostmortemRouteDeps) {
  return async (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end('Method not allowed.\n');
      return;
    }
    const given = req.params?.ref ?? '';
    const id = parseIncidentRef(given);
    const incident = id === undefined ? undefined : await getIncident(deps.db, id);
    const document = incident ? (await getPostmortem(deps.db, incident.id))?.document : undefined;
    const allowed = incident !== undefined && deps.links.allows(req.url ?? '', { private: incident.isPrivate });
    if (!incident || !document || !allowed) return sendHtml(res, 404, postmortemNotFoundHtml(given), { images: false });
    sendHtml(res, 200, postmortemPageHtml(incidentRef(incident.id), incident.title, document), { images: false });
  };
}
