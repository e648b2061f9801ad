import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { runbookNotFoundHtml, runbookPageHtml } from '../../../src/knowledge/runbook-page.ts';
import { runbookHandler } from '../../../src/knowledge/runbook-route.ts';
import type { Runbook } from '../../../src/knowledge/runbook.ts';

const DAY = 86_400_000;
const REVIEWED = '2026-10-01';
const reviewedAt = Date.parse(`${REVIEWED}T00:00:00Z`);
/** Noon, `days` days after the review. */
const daysAfterReview = (days: number): number => reviewedAt + days * DAY + 12 * 3_600_000;

function runbook(overrides: Partial<Runbook> = {}): Runbook {
  return {
    slug: 'payments-5xx-spike',
    path: 'payments-5xx-spike.md',
    title: 'Payments <b>5xx</b> & timeouts',
    summary: 'Use when <checkout> returns 5xx & latency climbs',
    services: ['payments-api', 'checkout<web>'],
    tags: ['payments', 'http&5xx'],
    alerts: ['PaymentsHigh5xx', 'Checkout "latency" > 2s'],
    owner: '@payments <oncall>',
    lastReviewed: REVIEWED,
    body: '## Diagnose\n\nCheck the [dashboard](https://grafana.example.com/d/pay).\n\n<script>alert("x")</script>\n\n```sh\nkubectl rollout undo deploy/payments\n```\n',
    headings: ['Diagnose'],
    ...overrides,
  };
}

/** The text of the `.meta` list, tags removed and whitespace collapsed. */
function metaText(html: string): string {
  const meta = /<dl class="meta">([^]*?)<\/dl>/.exec(html)?.[1] ?? '';
  return meta.replace(/<\/(dt|dd|li)>/g, ' ').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

describe('runbookPageHtml', () => {
  it('escapes the title in the heading and the document title', () => {
    const html = runbookPageHtml(runbook(), daysAfterReview(10));
    expect(html).toContain('<h1>Payments &lt;b&gt;5xx&lt;/b&gt; &amp; timeouts</h1>');
    expect(html).toContain('<title>Payments &lt;b&gt;5xx&lt;/b&gt; &amp; timeouts · Klaxon</title>');
    expect(html).not.toContain('<b>5xx</b>');
  });

  it('shows the summary and the metadata, escaped, with alerts as a list', () => {
    const html = runbookPageHtml(runbook(), daysAfterReview(53));
    expect(html).toContain('<p class="summary">Use when &lt;checkout&gt; returns 5xx &amp; latency climbs</p>');
    expect(html).toContain('<ul><li>PaymentsHigh5xx</li><li>Checkout &quot;latency&quot; &gt; 2s</li></ul>');
    expect(html).toContain('<li>checkout&lt;web&gt;</li>');
    expect(html).toContain('http&amp;5xx');
    expect(html).toContain('@payments &lt;oncall&gt;');
    expect(metaText(html)).toBe('Services payments-api checkout&lt;web&gt; Alerts PaymentsHigh5xx Checkout &quot;latency&quot; &gt; 2s Tags payments, http&amp;5xx Owner @payments &lt;oncall&gt; Reviewed Last reviewed 2026-10-01 (53 days ago)');
  });

  it('shows services by name when names are given', () => {
    const html = runbookPageHtml(runbook(), daysAfterReview(1), new Map([['payments-api', 'Payments <API>']]));
    expect(html).toContain('<li>Payments &lt;API&gt;</li>');
    expect(html).toContain('Last reviewed 2026-10-01 (yesterday)');
  });

  it('leaves out metadata the runbook does not have', () => {
    const html = runbookPageHtml(runbook({ services: [], tags: [], alerts: [], owner: null, summary: '' }), daysAfterReview(0));
    expect(metaText(html)).toBe('Reviewed Last reviewed 2026-10-01 (today)');
    expect(html).not.toContain('class="summary"');
  });

  it('warns when the last review is more than 180 days old, with the day count', () => {
    const html = runbookPageHtml(runbook(), daysAfterReview(200));
    expect(html).toContain('<p class="warning">');
    expect(html).toContain('This runbook was last reviewed 200 days ago, more than 180 days.');
    expect(html).toContain('Check that its steps still match the systems before you follow them');
    expect(html).toContain('Last reviewed 2026-10-01 (200 days ago)');
  });

  it('warns when the runbook was never reviewed', () => {
    const html = runbookPageHtml(runbook({ lastReviewed: null }), daysAfterReview(10));
    expect(html).toContain('<p class="warning">');
    expect(html).toContain('This runbook has never been reviewed.');
    expect(metaText(html)).toContain('Reviewed Never reviewed');
  });

  it('does not warn about a recent review, nor at exactly 180 days', () => {
    for (const days of [10, 180]) {
      const html = runbookPageHtml(runbook(), daysAfterReview(days));
      expect(html).not.toContain('class="warning"');
      expect(html).toContain(`Last reviewed 2026-10-01 (${days} days ago)`);
    }
    expect(runbookPageHtml(runbook(), daysAfterReview(181))).toContain('class="warning"');
  });

  it('renders the body as Markdown, with its raw HTML inert', () => {
    const html = runbookPageHtml(runbook(), daysAfterReview(10));
    expect(html).toContain('<h2 id="diagnose">Diagnose</h2>');
    expect(html).toContain('<a href="https://grafana.example.com/d/pay" rel="nofollow noopener noreferrer">dashboard</a>');
    expect(html).toContain('<pre><code class="language-sh">kubectl rollout undo deploy/payments\n</code></pre>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('has no script and no inline style anywhere, even with an aligned table in the body', () => {
    const html = runbookPageHtml(runbook({ body: `${runbook().body}\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n` }), daysAfterReview(200));
    expect(html).toContain('<table>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/style=/i);
    expect(html).not.toMatch(/<style/i);
  });
});

describe('runbookNotFoundHtml', () => {
  it('says so, with the slug escaped', () => {
    const html = runbookNotFoundHtml('<img src=x onerror=alert(1)>');
    expect(html).toContain('<h1>Runbook not found</h1>');
    expect(html).toContain('<code>&lt;img src=x onerror=alert(1)&gt;</code>');
    expect(html).not.toContain('<img');
  });
});

describe('runbookHandler', () => {
  async function call(method: string, slug: string | undefined, allowed: (url: string) => boolean = () => true): Promise<{ status: number; headers: Record<string, string>; body: string; asked: string[] }> {
    const asked: string[] = [];
    const sent = { status: 0, headers: {} as Record<string, string>, body: '' };
    const res = {
      writeHead(status: number, headers: Record<string, string>) {
        sent.status = status;
        sent.headers = headers;
        return this;
      },
      end(body?: string) {
        sent.body = body ?? '';
        return this;
      },
    } as unknown as ServerResponse;
    const req = { method, url: `/runbooks/${slug ?? ''}`, params: slug === undefined ? undefined : { slug } } as unknown as IncomingMessage & { params?: Record<string, string> };
    const handler = runbookHandler({
      find: async (s) => {
        asked.push(s);
        return s === 'payments-5xx-spike' ? runbook() : undefined;
      },
      now: () => daysAfterReview(200),
      allows: (url) => allowed(url),
    });
    await handler(req, res);
    return { ...sent, asked };
  }

  it('answers 200 with the page for a known slug', async () => {
    const { status, headers, body, asked } = await call('GET', 'payments-5xx-spike');
    expect(asked).toEqual(['payments-5xx-spike']);
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(body).toContain('<h1>Payments &lt;b&gt;5xx&lt;/b&gt; &amp; timeouts</h1>');
    expect(body).toContain('last reviewed 200 days ago');
  });

  it('answers 404, without looking the runbook up, when the link must be signed and is not', async () => {
    const { status, body, asked } = await call('GET', 'payments-5xx-spike', (url) => url.includes('sig='));
    expect(status).toBe(404);
    expect(asked).toEqual([]);
    expect(body).toContain('Runbook not found');
  });

  it('answers 404 with the not-found page, the slug escaped', async () => {
    const { status, headers, body } = await call('GET', '"><script>alert(1)</script>');
    expect(status).toBe(404);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(body).toContain('Runbook not found');
    expect(body).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toMatch(/<script/i);
    expect((await call('GET', undefined)).status).toBe(404);
  });

  it('answers only GET', async () => {
    const { status, headers, asked } = await call('POST', 'payments-5xx-spike');
    expect(status).toBe(405);
    expect(headers.allow).toBe('GET');
    expect(asked).toEqual([]);
  });
});
