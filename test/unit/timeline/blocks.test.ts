import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { BLOCKS_PER_PAGE, timelinePage } from '../../../src/timeline/blocks.ts';
import type { Entry } from '../../../src/timeline/entries.ts';

const note = (id: number, at: number, text = `step ${id}`): Entry => ({ id, kind: 'note', at, actorId: 'U01BOB', text, data: null, permalink: null });
/** The page as the use case asks for it: every entry's time, then the page's entries by position. */
const page = (entries: Entry[], timeZone: string, n: number, title = 't') => timelinePage({ id: 7, title }, entries.map((e) => e.at), async (from, to) => entries.slice(from, to), timeZone, n);
const texts = (blocks: KnownBlock[]): string[] => blocks.map((b) => JSON.stringify(b));

describe('timelinePage', () => {
  it('heads each day as the reader’s zone sees it, including half-hour zones', async () => {
    const entries = [note(1, Date.UTC(2026, 10, 23, 18, 29)), note(2, Date.UTC(2026, 10, 23, 18, 31))];
    const kolkata = texts((await page(entries, 'Asia/Kolkata', 1)).blocks).join('\n');
    expect(kolkata).toContain('*Mon 23 Nov 2026*');
    expect(kolkata).toContain('*Tue 24 Nov 2026*');
    expect(kolkata).toContain('`23:59`');
    expect(kolkata).toContain('`00:01`');
    const london = texts((await page(entries, 'Europe/London', 1)).blocks).join('\n');
    expect(london).not.toContain('Tue 24 Nov');
    expect(london).toContain('times in Europe/London (GMT)');
  });

  it('cuts long timelines into pages within Slack’s block limit, each entry once, in order', async () => {
    const start = Date.UTC(2026, 10, 23, 20, 0);
    const entries = Array.from({ length: 130 }, (_, i) => note(i + 1, start + i * 5 * 60_000));
    const first = await page(entries, 'UTC', 1);
    expect(first.pages).toBeGreaterThan(2);
    const seen: number[] = [];
    for (let n = 1; n <= first.pages; n += 1) {
      const shown = await page(entries, 'UTC', n);
      expect(shown.blocks.length).toBeLessThanOrEqual(50);
      expect(shown.blocks.length - 2).toBeLessThanOrEqual(BLOCKS_PER_PAGE);
      const lines = texts(shown.blocks).join('\n');
      for (const match of lines.matchAll(/step (\d+)\b/g)) seen.push(Number(match[1]));
      if (n > 1) expect(lines).toMatch(/\(continued\)|\*(Mon|Tue) \d+ Nov 2026\*/);
      expect(lines.includes('"Older"')).toBe(n > 1);
      expect(lines.includes('"Newer"')).toBe(n < first.pages);
    }
    expect(seen).toEqual(entries.map((e) => e.id));
    expect((await page(entries, 'UTC', 99)).page).toBe(first.pages);
  });

  it('escapes people’s words and the title', async () => {
    const shown = texts((await page([note(1, 0, '<@U999> <https://x.test|y> &')], 'UTC', 1, '<!here> & co')).blocks).join('\n');
    expect(shown).toContain('&lt;!here&gt; &amp; co');
    expect(shown).toContain('&lt;@U999&gt; &lt;https://x.test|y&gt; &amp;');
    expect(shown).not.toMatch(/<!here>|<@U999>|<https:\/\/x/);
  });

  it('says when nothing is recorded', async () => {
    expect(texts((await page([], 'UTC', 1)).blocks).join('\n')).toContain('Nothing recorded yet.');
  });
});
