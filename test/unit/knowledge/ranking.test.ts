/**
 * Ranking and relevance on a fixed corpus, without a database: where "relevant" stops, how words are weighed,
 * split and stemmed (checked against FTS5's porter tokenizer), and the snippet Postgres's search shows. The same
 * corpus through the real search tables of both engines: test/integration/knowledge-search.test.ts.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryWords, relevance, snippet, stemOf, tokens, weighWords } from '../../../src/knowledge/relevance.ts';
import { rankRunbooks } from '../../../src/knowledge/ranking.ts';
import { CORPUS, runbook } from '../../support/runbook-corpus.ts';

const noService = { serviceId: null, serviceTags: [] };

describe('relevance (pure)', () => {
  it('weighs a word by rarity and by the field it is found in', () => {
    const words = weighWords(queryWords('payments timeout'), new Map([['payment', 1], ['timeout', 1]]), 10);
    const inTitle = relevance(words, [{ text: 'Payments timeout', weight: 1 }]);
    const inBody = relevance(words, [{ text: 'payments timeout', weight: 0.35 }]);
    const half = relevance(words, [{ text: 'payments', weight: 1 }]);
    expect(inTitle.score).toBeCloseTo(1);
    expect(inBody.score).toBeCloseTo(0.35);
    expect(half.score).toBeCloseTo(0.5);
    expect(half.matched).toEqual(['payments']);
  });

  it('drops stopwords and splits as FTS5 does, accents removed', () => {
    expect(queryWords('The API is down for all of the users').map((w) => w.word)).toEqual(['api', 'users']);
    expect(tokens('Café-latte 5xx/502')).toEqual(['cafe', 'latte', '5xx', '502']);
  });

  describe('against FTS5', () => {
    let sqlite: Database.Database;
    beforeAll(() => {
      sqlite = new Database(':memory:');
    });
    afterAll(() => sqlite.close());

    it('stems exactly as FTS5’s porter tokenizer does for every word of the corpus', () => {
      const words = [...new Set(CORPUS.flatMap((r) => tokens([r.title, r.summary, r.body, ...r.headings, ...r.alerts, ...r.tags].join(' '))))];
      sqlite.exec("CREATE VIRTUAL TABLE stem_check USING fts5(w, tokenize = 'porter unicode61'); CREATE VIRTUAL TABLE stem_check_vocab USING fts5vocab(stem_check, 'row');");
      const insert = sqlite.prepare('INSERT INTO stem_check (w) VALUES (?)');
      const lookup = sqlite.prepare('SELECT term FROM stem_check_vocab').pluck();
      const mismatches = words.filter((w) => {
        sqlite.exec('DELETE FROM stem_check');
        insert.run(w);
        return lookup.get() !== stemOf(w);
      });
      expect(words.length).toBeGreaterThan(100);
      expect(mismatches).toEqual([]);
    });

    it('makes the snippet FTS5’s snippet() makes, for every word of the corpus in every runbook', () => {
      sqlite.exec("CREATE VIRTUAL TABLE snippet_check USING fts5(title, alerts, tags, summary, headings, body, tokenize = 'porter unicode61')");
      const insert = sqlite.prepare('INSERT INTO snippet_check VALUES (?, ?, ?, ?, ?, ?)');
      const long = runbook('long', {
        title: 'Long one',
        body: 'The first sentence says nothing at all. Then the cache evictions begin: redis memory is full and the eviction policy drops keys. More text follows here, words and words, until redis is named again. The pool goes on without the words we look for, until the last line: connection pool exhausted.',
      });
      const fields = [...CORPUS, long].map((r) => [r.title, r.alerts.join('\n'), r.tags.join('\n'), r.summary, r.headings.join('\n'), r.body]);
      for (const f of fields) insert.run(...f);
      const fts5 = sqlite.prepare<[string], { rowid: number; snippet: string }>(
        "SELECT rowid, snippet(snippet_check, -1, char(57344), char(57345), '…', 20) AS snippet FROM snippet_check WHERE snippet_check MATCH ?",
      );
      const words = [...new Map(fields.flat().flatMap((text) => queryWords(text)).map((w) => [w.word, w])).values()];
      let compared = 0;
      for (const [i, w] of words.entries()) {
        const other = words[(i * 7) % words.length]!;
        for (const hit of fts5.all(`"${w.word}" OR "${other.word}"`)) {
          expect(snippet(fields[hit.rowid - 1]!, new Set([w.stem, other.stem])), w.word).toBe(hit.snippet);
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(200);
    });
  });

  it('links at most three of many runbooks alike', () => {
    const alike = [1, 2, 3, 4, 5].map((n) => runbook(`disk-${n}`, { title: `Disk full on host ${n}` }));
    const words = weighWords(queryWords('Disk full'), new Map([['disk', 5], ['full', 5]]), 5);
    expect(rankRunbooks(words, alike, noService).map((r) => r.runbook.slug)).toEqual(['disk-1', 'disk-2', 'disk-3']);
  });

  it('ranks a runbook with no shared word below the threshold out', () => {
    const words = weighWords(queryWords('printer jammed'), new Map(), 5);
    expect(rankRunbooks(words, CORPUS, noService)).toEqual([]);
  });
});
