/**
 * Links to Klaxon's own web pages, and the check a page makes before it answers. A private incident's pages
 * always need a signed link (which expires); with klaxon.yml `web.require_signed_links`, every page does (a
 * runbook's signed link does not expire, so the links kept in bookmarks and timelines keep working).
 */
import { isSignedLink, signedLink } from './signed-links.ts';

/** How long a signed link to a private incident's page works. */
export const PRIVATE_LINK_MS = 30 * 86_400_000;

export class WebLinks {
  constructor(
    private readonly publicUrl: string,
    private readonly secret: () => string,
    private readonly requireSigned: boolean,
    private readonly now: () => number,
  ) {}

  /** The address of a page: plain, or signed when it must be. */
  url(path: string, opts: { private?: boolean } = {}): string {
    if (opts.private) return signedLink(this.secret(), this.publicUrl, path, {}, this.now() + PRIVATE_LINK_MS);
    if (this.requireSigned) return signedLink(this.secret(), this.publicUrl, path);
    return `${this.publicUrl}${path}`;
  }

  /** Whether a request for a page may be answered. */
  allows(requestUrl: string, opts: { private?: boolean } = {}): boolean {
    if (!opts.private && !this.requireSigned) return true;
    return isSignedLink(this.secret(), requestUrl, this.now());
  }
}
