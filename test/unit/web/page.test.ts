import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { stylesheetHandler, escapeHtml, htmlPage, PAGE_CSS, sendHtml } from '../../../src/web/page.ts';

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, path = '/'): Promise<Response> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    await response.clone().text();
    return response;
  } finally {
    server.close();
  }
}

describe('sendHtml', () => {
  it('sends the page with the status and security headers', async () => {
    const response = await serve((_req, res) => sendHtml(res, 404, '<!doctype html><p>gone</p>'));
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('<!doctype html><p>gone</p>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('sendHtml for pages of people’s words', () => {
  it('allows no images but the page’s own icon', async () => {
    const response = await serve((_req, res) => sendHtml(res, 200, '<!doctype html><p>post-mortem</p>', { images: false }));
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  });
});

describe('stylesheetHandler', () => {
  it('serves the stylesheet as cacheable, unsniffable CSS', async () => {
    const response = await serve(stylesheetHandler(), '/assets/klaxon.css');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(await response.text()).toBe(PAGE_CSS);
  });

  it('styles what the pages use: warnings, metadata, code, tables, alignment and dark mode', () => {
    for (const selector of ['.warning', 'dl.meta', 'pre', 'overflow-x: auto', 'th, td', 'td.align-right', 'max-width: 46rem', 'prefers-color-scheme: dark', 'system-ui']) expect(PAGE_CSS).toContain(selector);
  });
});

describe('htmlPage', () => {
  const page = htmlPage({ title: 'Disk <full> & "slow"', body: '<p>body here</p>' });

  it('is a complete HTML5 document around the body', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<link rel="stylesheet" href="/assets/klaxon.css">');
    expect(page).toMatch(/<header>[^]*Klaxon[^]*<\/header>/);
    expect(page).toMatch(/<main>\s*<p>body here<\/p>\s*<\/main>/);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('escapes the title and the language', () => {
    expect(page).toContain('<title>Disk &lt;full&gt; &amp; &quot;slow&quot; · Klaxon</title>');
    expect(htmlPage({ title: 't', body: '', lang: 'fr"><script>' })).toContain('<html lang="fr&quot;&gt;&lt;script&gt;">');
  });

  it('has no inline scripts or styles', () => {
    expect(page).not.toMatch(/<script|<style|style=/i);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
});
