import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/web/markdown.ts';

describe('renderMarkdown', () => {
  it('shows raw HTML as inert text', () => {
    const html = renderMarkdown('Before\n\n<script>alert(1)</script>\n\nand <img src=x onerror=alert(1)> inline');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it.each([
    ['javascript', '[click](javascript:alert(1))'],
    ['JavaScript in capitals', '[click](JavaScript:alert(1))'],
    ['javascript behind an entity', '[click](&#106;avascript:alert(1))'],
    ['javascript as an autolink', '<javascript:alert(1)>'],
    ['vbscript', '[click](vbscript:msgbox(1))'],
    ['data', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['file', '[click](file:///etc/passwd)'],
    ['an unknown scheme', '[click](slack:open)'],
  ])('does not turn a %s link into a link', (_name, source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/<a[\s>]/);
    expect(html).not.toMatch(/href=/);
  });

  it('links http(s) with rel="nofollow noopener noreferrer", including linkified URLs', () => {
    expect(renderMarkdown('[dashboard](https://grafana.example.com/d/payments)')).toContain('<a href="https://grafana.example.com/d/payments" rel="nofollow noopener noreferrer">dashboard</a>');
    expect(renderMarkdown('[status](http://status.example.com)')).toContain('<a href="http://status.example.com" rel="nofollow noopener noreferrer">status</a>');
    expect(renderMarkdown('see https://status.example.com/x for more')).toContain('<a href="https://status.example.com/x" rel="nofollow noopener noreferrer">https://status.example.com/x</a>');
  });

  it('links mailto, relative paths and anchors without rel', () => {
    expect(renderMarkdown('[mail](mailto:sre@example.com)')).toContain('<a href="mailto:sre@example.com">mail</a>');
    expect(renderMarkdown('[other](/runbooks/db-failover)')).toContain('<a href="/runbooks/db-failover">other</a>');
    expect(renderMarkdown('[below](#roll-back)')).toContain('<a href="#roll-back">below</a>');
  });

  it('shows images from https only; other sources show their alt text', () => {
    expect(renderMarkdown('![graph](https://example.com/g.png)')).toContain('<img src="https://example.com/g.png" alt="graph">');
    for (const src of ['http://example.com/g.png', '/local.png', 'data:image/png;base64,AAAA', 'javascript:alert(1)']) {
      const html = renderMarkdown(`![a <b>graph</b>](${src})`);
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<b>');
    }
    expect(renderMarkdown('![the graph](/local.png)')).toContain('the graph');
  });

  it('renders tables, with alignment as classes rather than inline styles', () => {
    const html = renderMarkdown('| Step | Time |\n|:-----|-----:|\n| Drain | 5 min |\n');
    expect(html).toContain('<table>');
    expect(html).toContain('<th class="align-left">Step</th>');
    expect(html).toContain('<td class="align-right">5 min</td>');
    expect(html).not.toContain('style=');
  });

  it('renders fenced code blocks with their contents escaped', () => {
    const html = renderMarkdown('```sh\nkubectl rollout undo deploy/payments && echo "<done>"\n```\n');
    expect(html).toContain('<pre><code class="language-sh">kubectl rollout undo deploy/payments &amp;&amp; echo &quot;&lt;done&gt;&quot;\n</code></pre>');
  });

  it('gives headings stable, slugified and de-duplicated ids', () => {
    const html = renderMarkdown('# Payments 5xx spike\n\n## Diagnose\n\n## Roll back the `deploy`\n\n## Diagnose\n\n## Diagnose\n\n## Café & Ünïcode!\n\n## !!!\n');
    expect(html).toContain('<h1 id="payments-5xx-spike">Payments 5xx spike</h1>');
    expect(html).toContain('<h2 id="diagnose">Diagnose</h2>');
    expect(html).toContain('<h2 id="roll-back-the-deploy">');
    expect(html).toContain('<h2 id="diagnose-2">Diagnose</h2>');
    expect(html).toContain('<h2 id="diagnose-3">Diagnose</h2>');
    expect(html).toContain('<h2 id="cafe-unicode">');
    expect(html).toContain('<h2 id="section">!!!</h2>');
    expect(renderMarkdown('## Diagnose')).toContain('<h2 id="diagnose">'); // ids start afresh for each document
  });

  it('never produces the same id twice, even when a heading reads like a suffixed one', () => {
    const ids = [...renderMarkdown('## Step\n\n## Step 2\n\n## Step\n').matchAll(/id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['step', 'step-2', 'step-3']);
  });
});
