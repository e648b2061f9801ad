/** `GET /runbooks/<slug>`: a runbook's page, or 404 with a page that says where to look. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendHtml } from '../web/page.ts';
import { runbookNotFoundHtml, runbookPageHtml } from './runbook-page.ts';
import type { Runbook } from './runbook.ts';

export function runbookHandler(deps: { find: (slug: string) => Runbook | undefined; now: () => number; serviceNames: ReadonlyMap<string, string> }) {
  return (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse): void => {
    const slug = req.params?.slug ?? '';
    const runbook = deps.find(slug);
    if (runbook === undefined) return sendHtml(res, 404, runbookNotFoundHtml(slug));
    sendHtml(res, 200, runbookPageHtml(runbook, deps.now(), deps.serviceNames));
  };
}
