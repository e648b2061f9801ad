/**
 * How much a runbook or a past incident has to do with what someone wrote. Pure.
 *
 * Search happens in two steps. FTS5 finds candidates: an OR of the query's informative words, ranked by bm25
 * with column weights. Words that match nothing are left out of that query, and so are words so common that they
 * would pull in most of the table ("error", "service"), which is what makes the naive OR-of-every-word query slow
 * on a large table. Then each candidate is scored here: the share of the query's weight it covers, each word
 * weighted by its rarity (bm25's idf) and by the column it was found in (a word in the title counts more than a
 * word in the notes). That share, from 0 to 1, is comparable between queries, so a fixed threshold can say
 * "nothing here is relevant"; bm25 scores cannot.
 */
import { stemmer } from 'stemmer';

export interface QueryWord {
  /** As written (lower case, accents removed): what goes into the FTS5 MATCH, which stems it itself. */
  word: string;
  /**
   * Porter stem, as FTS5's porter tokenizer stores it (tested against it in test/unit/knowledge), and as
   * Postgres's search tables store it (test/integration/knowledge-search.test.ts).
   */
  stem: string;
}

export interface WeightedWord extends QueryWord {
  /** Documents containing the stem. */
  docs: number;
  idf: number;
}

/** Words that say nothing about an incident. Common operations words ("error", "down") stay: rarity weighs them. */
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for ' +
    'from further had has have having he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out ' +
    'over own same she should so some such than that the their theirs them then there these they this those through to too under until up very was we were what when where ' +
    'which while who whom why will with would you your yours also get got still seems seem please help issue issues problem problems'
  ).split(' '),
);

/** Longest query kept, in distinct words: a pasted stack trace should not become a hundred-word OR. */
const MAX_QUERY_WORDS = 24;

/**
 * Lower case, accents removed, split where FTS5's unicode61 tokenizer splits (anything not a letter or digit).
 * Postgres's search_words (db/migrations-pg/0001_search.sql) splits the same, and search_stem stems as `stemOf`:
 * a change to either here needs a Postgres migration that re-indexes.
 */
export function tokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '');
}

const stems = new Map<string, string>();

/** The Porter stem of a lower-case token (remembered: the same words come back all the time). */
export function stemOf(token: string): string {
  let stem = stems.get(token);
  if (stem === undefined) {
    if (stems.size > 50_000) stems.clear();
    stem = /^[a-z0-9]+$/.test(token) ? stemmer(token) : token;
    stems.set(token, stem);
  }
  return stem;
}

/** The distinct informative words of a text, in order: no stopwords, no single characters. */
export function queryWords(text: string): QueryWord[] {
  const seen = new Set<string>();
  const words: QueryWord[] = [];
  for (const word of tokens(text)) {
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    const stem = stemOf(word);
    if (seen.has(stem)) continue;
    seen.add(stem);
    words.push({ word, stem });
    if (words.length === MAX_QUERY_WORDS) break;
  }
  return words;
}

/** bm25's inverse document frequency: near 0 for a word in every document, highest for one in a single document. */
export function idf(docs: number, total: number): number {
  const n = Math.max(total, docs);
  return Math.log((n - docs + 0.5) / (docs + 0.5) + 1);
}

/**
 * Weighs the query words by rarity in a table of `total` documents. A word in no document weighs as much as the
 * rarest word that exists (it still counts against coverage: an unrelated title full of words nobody used before
 * must not look relevant because one of its words appears somewhere).
 */
export function weighWords(words: readonly QueryWord[], docsWith: ReadonlyMap<string, number>, total: number): WeightedWord[] {
  return words.map((w) => {
    const docs = docsWith.get(w.stem) ?? 0;
    return { ...w, docs, idf: idf(Math.max(docs, 1), total) };
  });
}

export interface CandidateQuery {
  /** The FTS5 MATCH expression, or undefined when no word can match. */
  match?: string;
  /** The words in it, rarest first. */
  words: WeightedWord[];
  /** Only incidents from this id on (the most recent), when every word is common. */
  fromId?: number;
}

export interface CandidateOptions {
  /** At most this many words in the MATCH, the rarest. */
  maxWords: number;
  /**
   * …and no more than these documents between them (the rarest word is always taken): bm25 is computed for
   * every document the MATCH finds, so this bounds the query's cost. A document that shares none of the rarer
   * words rarely reaches the threshold anyway.
   */
  maxDocs: number;
  /** Words found in more than this share of the documents are left out of the MATCH (when the table is large)… */
  commonShare: number;
  /** …of at least this many documents; in a small table every word is informative. */
  commonFrom: number;
}

export const INCIDENT_CANDIDATES: CandidateOptions = { maxWords: 8, maxDocs: 1500, commonShare: 0.05, commonFrom: 1000 };
export const RUNBOOK_CANDIDATES: CandidateOptions = { maxWords: 16, maxDocs: Number.POSITIVE_INFINITY, commonShare: 1, commonFrom: Number.POSITIVE_INFINITY };

/**
 * The FTS5 query that finds candidates: an OR of the rarest words, leaving out those in more than
 * `commonShare` of a large table, as many as fit in `maxDocs` documents. When even the rarest word is in more
 * documents than that (every word of the query is common), documents must have the two rarest: one shared
 * common word never reaches the threshold, so nothing is lost by not ranking the documents that have only one.
 */
export function candidateQuery(words: readonly WeightedWord[], total: number, options: CandidateOptions): CandidateQuery {
  const matching = words.filter((w) => w.docs > 0).sort((a, b) => a.docs - b.docs);
  const [rarest, second] = matching;
  if (rarest === undefined) return { words: [] };
  if (rarest.docs > options.maxDocs) {
    const fromId = Math.max(0, Math.floor(total - (total * options.maxDocs) / rarest.docs));
    if (second !== undefined) return { match: `${quoted(rarest)} AND ${quoted(second)}`, words: [rarest, second], fromId };
    return { match: quoted(rarest), words: [rarest], fromId };
  }
  const common = (w: WeightedWord): boolean => total >= options.commonFrom && w.docs > total * options.commonShare;
  const chosen = [rarest];
  let docs = rarest.docs;
  for (const w of matching.slice(1, options.maxWords)) {
    if (common(w) || docs + w.docs > options.maxDocs) break;
    chosen.push(w);
    docs += w.docs;
  }
  return { match: chosen.map(quoted).join(' OR '), words: chosen };
}

const quoted = (w: QueryWord): string => `"${w.word.replaceAll('"', '""')}"`;

export interface Field {
  text: string;
  /** How much a word found here counts, 0 to 1. */
  weight: number;
}

export interface Relevance {
  /** The share of the query's weight the document covers, 0 to 1. */
  score: number;
  /** The query words it contains. */
  matched: string[];
}

/** How much of the query a document covers: for each word, its idf times the weight of the best field holding it. */
export function relevance(words: readonly WeightedWord[], fields: readonly Field[]): Relevance {
  const total = words.reduce((sum, w) => sum + w.idf, 0);
  if (total === 0) return { score: 0, matched: [] };
  const found = fields.map((f) => ({ weight: f.weight, stems: new Set(tokens(f.text).map(stemOf)) }));
  let covered = 0;
  const matched: string[] = [];
  for (const w of words) {
    const weight = Math.max(0, ...found.filter((f) => f.stems.has(w.stem)).map((f) => f.weight));
    if (weight === 0) continue;
    covered += w.idf * weight;
    matched.push(w.word);
  }
  return { score: covered / total, matched };
}

/** How many words a snippet shows, as FTS5's snippet() is asked for them. */
const SNIPPET_WORDS = 20;

interface SnippetWord {
  start: number;
  end: number;
  /** The query stem it has, if any. */
  stem?: string;
  /** It begins a sentence: the field's first word, or one after '.' or ':' and a space. */
  sentence: boolean;
}

/**
 * FTS5's snippet() for a document found on Postgres: from the field with the best passage, SNIPPET_WORDS words,
 * the query's words marked between U+E000 and U+E001, '…' where the field goes on. Chosen as FTS5 chooses: a
 * passage scores 1000 for each distinct query word in it and 1 for each repeat; from each query word, the passage
 * centred on the words that follow it, then (in a field longer than a passage) the one from the start of its
 * sentence, 100 more (120 from the field's start); the first best wins.
 */
export function snippet(fields: readonly string[], stems: ReadonlySet<string>): string {
  let best = { score: 0, field: 0, from: 0 };
  for (const [field, text] of fields.entries()) {
    const words = snippetWords(text, stems);
    for (const [at, word] of words.entries()) {
      if (word.stem === undefined) continue;
      const centred = passageScore(words, at);
      if (centred > best.score) best = { score: centred, field, from: centredStart(words, at) };
      const sentence = words.findLastIndex((w, i) => i <= at && w.sentence);
      if (words.length > SNIPPET_WORDS && sentence < at) {
        const score = passageScore(words, sentence) + (sentence === 0 ? 120 : 100);
        if (score > best.score) best = { score, field, from: sentence };
      }
    }
  }
  return passage(fields[best.field] ?? '', stems, best.from);
}

/** The words of a field (with what separates each from the one before), as FTS5's snippet() sees them. */
function snippetWords(text: string, stems: ReadonlySet<string>): SnippetWord[] {
  return [...text.matchAll(/([^\p{L}\p{N}\p{M}]*)([\p{L}\p{N}\p{M}]+)/gu)].map((m, i) => {
    const start = m.index + m[1]!.length;
    return { start, end: start + m[2]!.length, stem: tokens(m[2]!).map(stemOf).find((s) => stems.has(s)), sentence: i === 0 || /[.:]\s+$/.test(m[1]!) };
  });
}

function passageScore(words: readonly SnippetWord[], from: number): number {
  const seen = new Set<string>();
  let score = 0;
  for (const { stem } of words.slice(from, from + SNIPPET_WORDS)) {
    if (stem === undefined) continue;
    score += seen.has(stem) ? 1 : 1000;
    seen.add(stem);
  }
  return score;
}

/** Where a passage starts for the query words from `at` on to sit in its middle. */
function centredStart(words: readonly SnippetWord[], at: number): number {
  let last = at;
  for (let i = at; i < Math.min(words.length, at + SNIPPET_WORDS); i += 1) if (words[i]!.stem !== undefined) last = i;
  const from = at - Math.floor((SNIPPET_WORDS - (last + 1 - at)) / 2);
  return Math.max(0, Math.min(from, words.length - SNIPPET_WORDS));
}

function passage(text: string, stems: ReadonlySet<string>, from: number): string {
  const words = snippetWords(text, stems);
  const shown = words.slice(from, from + SNIPPET_WORDS);
  let out = from > 0 ? '…' : '';
  let at = from > 0 ? (shown[0]?.start ?? 0) : 0;
  for (const w of shown) {
    const word = text.slice(w.start, w.end);
    out += text.slice(at, w.start) + (w.stem === undefined ? word : `\uE000${word}\uE001`);
    at = w.end;
  }
  return from + SNIPPET_WORDS < words.length ? `${out}…` : out + text.slice(at);
}
