/** `GET /runbooks/<slug>`: a runbook's page, or 404 with a page that says where to look. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendHtml } from '../web/page.ts';
import { runbookNotFoundHtml, runbookPageHtml } from './runbook-page.ts';
import type { Runbook } from './runbook.ts';

export interface RunbookRouteDeps {
  find: (slug: string) => Promise<Runbook | undefined>;
  now: () => number;
  /** Whether a request for a page may be answered (`web.require_signed_links`). */
  allows: (requestUrl: string) => boolean;
  /** Service ids to the names people know them by, for the page's metadata. */
  serviceNames?: ReadonlyMap<string, string>;
}

export function runbookHandler(deps: RunbookRouteDeps) {
  return async (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end('Method not allowed.\n');
      return;
    }
    const slug = req.params?.slug ?? '';
    const runbook = deps.allows(req.url ?? '') ? await deps.find(slug) : undefined;
    if (runbook === undefined) return sendHtml(res, 404, runbookNotFoundHtml(slug));
    sendHtml(res, 200, runbookPageHtml(runbook, deps.now(), deps.serviceNames));
  };
}
