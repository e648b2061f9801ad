/**
 * A runbook as the team writes it: a Markdown file with YAML front matter. Parsing reads what it can and lists
 * every problem with the file, so that the bot indexes whatever is usable and `npx klaxon runbooks check` fails
 * the team's CI on the same problems. Pure: the caller reads the file and passes the text and the known services.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** A runbook reviewed longer ago than this is stale: the page warns and `runbooks check` reports it. */
export const STALE_AFTER_DAYS = 180;

export interface Runbook {
  /** From the file name: `payments-5xx-spike.md` is `payments-5xx-spike`, read at `/runbooks/payments-5xx-spike`. */
  slug: string;
  /** Relative to the runbooks directory. */
  path: string;
  title: string;
  /** One line saying when to use it: `summary` in the front matter, else the first paragraph of the body. */
  summary: string;
  services: string[];
  tags: string[];
  /** Alert names or phrases that should bring this runbook up. */
  alerts: string[];
  /** A Slack user (U…/W…), a user group (S…) or a team's name. */
  owner: string | null;
  /** YYYY-MM-DD, or null when missing or malformed (then it counts as stale). */
  lastReviewed: string | null;
  /** The Markdown after the front matter. */
  body: string;
  /** The text of every heading in the body, in order. */
  headings: string[];
}

export interface RunbookProblem {
  /** `error`: `runbooks check` fails; the bot still indexes the runbook when it has a title. */
  level: 'error' | 'warning';
  /** The front matter field, or `front matter` / `body` for the file as a whole. */
  field: string;
  message: string;
}

export interface ParsedRunbook {
  /** Undefined when the file cannot be used at all (no front matter, or no title). */
  runbook?: Runbook;
  problems: RunbookProblem[];
}

const FrontMatter = z
  .object({
    title: z.string().trim().min(1, 'is empty').max(150, 'is longer than 150 characters'),
    summary: z.string().trim().max(300, 'is longer than 300 characters').optional(),
    services: z.array(z.string().min(1)).default([]),
    tags: z.array(z.string().min(1)).default([]),
    alerts: z.array(z.string().min(1)).default([]),
    owner: z.string().trim().min(1).optional(),
    // YAML reads an unquoted 2026-10-01 as a Date; both forms are accepted.
    last_reviewed: z.union([z.string(), z.date()]).optional(),
  })
  .strict();

const SLUG = /^[a-z0-9][a-z0-9-]*$/;

/** The slug a file is read at, or undefined when its name is not one (lower case letters, digits and dashes). */
export function slugOf(path: string): string | undefined {
  const base = path.split('/').pop()!.replace(/\.md$/i, '').toLowerCase();
  return SLUG.test(base) ? base : undefined;
}

export function parseRunbook(path: string, text: string, knownServices: ReadonlySet<string>): ParsedRunbook {
  const problems: RunbookProblem[] = [];
  const error = (field: string, message: string): void => void problems.push({ level: 'error', field, message });
  const slug = slugOf(path);
  if (slug === undefined) error('file name', 'must be lower case letters, digits and dashes, ending in .md (it becomes the page address)');

  const split = splitFrontMatter(text);
  if (split === undefined) {
    error('front matter', 'missing: start the file with a --- line, the YAML fields, and another --- line');
    return { problems };
  }
  let yaml: unknown;
  try {
    yaml = parseYaml(split.frontMatter) ?? {};
  } catch (e) {
    error('front matter', `is not valid YAML (${(e as Error).message.split('\n')[0]})`);
    return { problems };
  }
  const parsed = FrontMatter.safeParse(yaml);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.length ? issue.path.join('.') : issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'front matter';
      const message = issue.code === 'unrecognized_keys' ? 'unknown field (known: title, summary, services, tags, alerts, owner, last_reviewed)' : issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      error(field, message);
    }
  }
  const fields = parsed.success ? parsed.data : lenient(yaml);
  if (fields.title === undefined) return { problems };

  for (const service of fields.services) if (!knownServices.has(service)) error('services', `unknown service "${service}" (not in klaxon.yml)`);
  const lastReviewed = reviewDate(fields.last_reviewed);
  if (fields.last_reviewed === undefined) problems.push({ level: 'warning', field: 'last_reviewed', message: 'missing: say when the runbook was last checked (YYYY-MM-DD)' });
  else if (lastReviewed === null) error('last_reviewed', `"${String(fields.last_reviewed)}" is not a date such as 2026-10-01`);

  const body = split.body;
  const headings = headingsOf(body);
  if (body.trim() === '') error('body', 'is empty');
  return {
    runbook: {
      slug: slug ?? path.replace(/\.md$/i, ''),
      path,
      title: fields.title,
      summary: fields.summary ?? firstParagraph(body),
      services: unique(fields.services),
      tags: unique(fields.tags),
      alerts: unique(fields.alerts),
      owner: fields.owner ?? null,
      lastReviewed,
      body,
      headings,
    },
    problems,
  };
}

/** Days since the review, at `now`; Infinity when never reviewed. */
export function daysSinceReview(runbook: Pick<Runbook, 'lastReviewed'>, now: number): number {
  if (runbook.lastReviewed === null) return Number.POSITIVE_INFINITY;
  return Math.floor((now - Date.parse(`${runbook.lastReviewed}T00:00:00Z`)) / 86_400_000);
}

export function isStale(runbook: Pick<Runbook, 'lastReviewed'>, now: number): boolean {
  return daysSinceReview(runbook, now) > STALE_AFTER_DAYS;
}

function splitFrontMatter(text: string): { frontMatter: string; body: string } | undefined {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return undefined;
  return { frontMatter: match[1]!, body: text.slice(match[0].length) };
}

/** What can be read from front matter that failed validation, so the other problems are still reported. */
function lenient(yaml: unknown): { title?: string; summary?: string; services: string[]; last_reviewed?: string | Date; tags: string[]; alerts: string[]; owner?: string } {
  const record = typeof yaml === 'object' && yaml !== null ? (yaml as Record<string, unknown>) : {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);
  const reviewed = record.last_reviewed;
  return {
    title: text(record.title),
    summary: text(record.summary),
    services: list(record.services),
    tags: list(record.tags),
    alerts: list(record.alerts),
    owner: text(record.owner),
    last_reviewed: typeof reviewed === 'string' || reviewed instanceof Date ? reviewed : reviewed === undefined ? undefined : String(reviewed),
  };
}

function reviewDate(value: string | Date | undefined): string | null {
  if (value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const date = new Date(`${match[0]}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === match[0] ? match[0] : null;
}

/** ATX headings (`## Diagnose`), outside fenced code blocks. */
export function headingsOf(markdown: string): string[] {
  const headings: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (fence === undefined) fence = marker[0]!;
      else if (marker[0] === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading?.[1]) headings.push(heading[1]);
  }
  return headings;
}

/** The first paragraph of plain prose (not a heading, list, quote, table or code), without Markdown marks. */
function firstParagraph(markdown: string): string {
  const blocks = markdown.split(/\r?\n\s*\r?\n/).map((b) => b.trim());
  const prose = blocks.find((b) => b !== '' && !/^(#|[-*+] |\d+\. |>|\||```|~~~|<)/.test(b));
  if (prose === undefined) return '';
  const plain = prose
    .replace(/\s+/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '');
  return plain.length > 300 ? `${plain.slice(0, 299)}…` : plain;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export interface RunbookFile {
  /** Relative to the runbooks directory, with forward slashes. */
  path: string;
  text: string;
}

export interface CheckedRunbook extends ParsedRunbook {
  path: string;
}

/** Parses every file; a second file with a slug already taken is an error and is left out. */
export function checkRunbooks(files: readonly RunbookFile[], knownServices: ReadonlySet<string>): CheckedRunbook[] {
  const taken = new Map<string, string>();
  return files.map((file) => {
    const parsed = parseRunbook(file.path, file.text, knownServices);
    const slug = parsed.runbook?.slug;
    if (slug === undefined) return { path: file.path, ...parsed };
    const first = taken.get(slug);
    if (first !== undefined) {
      return { path: file.path, problems: [...parsed.problems, { level: 'error', field: 'file name', message: `the slug "${slug}" is taken by ${first}: rename one of them` }] };
    }
    taken.set(slug, file.path);
    return { path: file.path, ...parsed };
  });
}
