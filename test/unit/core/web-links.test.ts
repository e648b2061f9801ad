import { describe, expect, it } from 'vitest';
import { PRIVATE_LINK_MS, WebLinks } from '../../../src/core/web-links.ts';

const NOW = Date.UTC(2026, 10, 23, 12);
const links = (requireSigned: boolean, now = NOW) => new WebLinks('https://k.example', () => 'secret', requireSigned, () => now);
const pathOf = (url: string) => url.replace('https://k.example', '');

describe('WebLinks', () => {
  it('writes plain links to public pages unless every page needs a signature', () => {
    expect(links(false).url('/runbooks/dns')).toBe('https://k.example/runbooks/dns');
    expect(links(false).allows('/runbooks/dns')).toBe(true);
    const signed = links(true).url('/runbooks/dns');
    expect(signed).toMatch(/^https:\/\/k\.example\/runbooks\/dns\?sig=/);
    expect(signed).not.toContain('exp=');
    expect(links(true).allows(pathOf(signed))).toBe(true);
    expect(links(true).allows('/runbooks/dns')).toBe(false);
    expect(links(true).allows(pathOf(signed).replace('dns', 'db'))).toBe(false);
  });

  it('signs a private page’s link always, and it stops working after 30 days', () => {
    const url = links(false).url('/postmortems/INC-7', { private: true });
    expect(url).toContain('exp=');
    expect(links(false).allows('/postmortems/INC-7', { private: true })).toBe(false);
    expect(links(false).allows(pathOf(url), { private: true })).toBe(true);
    expect(links(false, NOW + PRIVATE_LINK_MS + 1000).allows(pathOf(url), { private: true })).toBe(false);
  });
});
