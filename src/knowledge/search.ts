/**
 * Searches: the runbooks for an incident, the runbooks for words a person typed, and the past incidents like an
 * incident. Each one weighs the query's words by rarity, asks FTS5 for candidates with the informative ones,
 * and lets ranking.ts decide. Read-only; the candidates it asks for are bounded, so the cost
 * stays small however long the history (`npm run bench:similar`).
 */
import type { Db } from '../core/db.ts';
import { candidateQuery, INCIDENT_CANDIDATES, queryWords, RUNBOOK_CANDIDATES, weighWords, type WeightedWord } from './relevance.ts';
import { rankIncidents, rankRunbooks, rankRunbookSearch, type IncidentContext, type RankedIncident, type RankedRunbook } from './ranking.ts';
import { documentsWith, documentTotal, incidentCandidates, runbookCandidates, runbooksById, serviceRunbookIds, type StoredRunbook } from './store.ts';

/** How many candidates FTS5 hands over for scoring. */
const RUNBOOK_CANDIDATE_LIMIT = 25;
const INCIDENT_CANDIDATE_LIMIT = 30;

export interface IncidentQuery {
  /** Left out of the results (an incident never lists itself). */
  id: number;
  title: string;
  summary: string;
  serviceId: string | null;
}

export async function weighedQuery(db: Db, kind: 'incident' | 'runbook', text: string): Promise<{ words: WeightedWord[]; total: number }> {
  const words = queryWords(text);
  const total = await documentTotal(db, kind);
  return { words: weighWords(words, await documentsWith(db, kind, words.map((w) => w.stem)), total), total };
}

/** The 0-3 runbooks to link to an incident. */
export async function runbooksForIncident(db: Db, incident: IncidentQuery, context: IncidentContext): Promise<RankedRunbook<StoredRunbook>[]> {
  const { words, total } = await weighedQuery(db, 'runbook', `${incident.title}\n${incident.summary}`);
  const { match } = candidateQuery(words, total, RUNBOOK_CANDIDATES);
  const ids = new Set(match ? (await runbookCandidates(db, match, RUNBOOK_CANDIDATE_LIMIT)).map((c) => c.id) : []);
  if (context.serviceId !== null) for (const id of await serviceRunbookIds(db, context.serviceId, context.serviceTags)) ids.add(id);
  return rankRunbooks(words, await runbooksById(db, [...ids]), context);
}

export interface RunbookHit extends RankedRunbook<StoredRunbook> {
  snippet: string;
}

/** The runbooks for words a person typed, best first, each with the passage that matched. */
export async function searchRunbooks(db: Db, text: string, limit: number): Promise<RunbookHit[]> {
  const { words, total } = await weighedQuery(db, 'runbook', text);
  const { match } = candidateQuery(words, total, RUNBOOK_CANDIDATES);
  if (match === undefined) return [];
  const candidates = await runbookCandidates(db, match, RUNBOOK_CANDIDATE_LIMIT);
  const snippets = new Map(candidates.map((c) => [c.id, c.snippet]));
  return rankRunbookSearch(words, await runbooksById(db, candidates.map((c) => c.id)), limit).map((hit) => ({ ...hit, snippet: snippets.get(hit.runbook.id) ?? '' }));
}

/** The past incidents worded like this one. Drills are never suggested; private incidents only when asked for. */
export async function similarIncidents(db: Db, incident: IncidentQuery, options: { includePrivate: boolean; limit?: number }): Promise<RankedIncident[]> {
  const { words, total } = await weighedQuery(db, 'incident', `${incident.title}\n${incident.summary}`);
  const { match, fromId } = candidateQuery(words, total, INCIDENT_CANDIDATES);
  if (match === undefined) return [];
  const candidates = await incidentCandidates(db, match, { excludeId: incident.id, includePrivate: options.includePrivate, limit: INCIDENT_CANDIDATE_LIMIT, fromId: fromId ?? 0 });
  return rankIncidents(words, candidates, incident.serviceId, options.limit ?? 3);
}
