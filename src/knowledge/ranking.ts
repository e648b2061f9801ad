/**
 * Which runbooks and which past incidents are worth showing for an incident, in which order, and where
 * "relevant" stops. Pure: the candidates come from FTS5 (knowledge/search.ts), the scores from relevance.ts.
 */
import { relevance, type Field, type WeightedWord } from './relevance.ts';

/** A runbook that shares at least this share of the query's weight is relevant on its words alone. */
export const RUNBOOK_THRESHOLD = 0.3;
/** A past incident that shares at least this much is similar… */
export const SIMILAR_THRESHOLD = 0.35;
/** …or this much when it was on the same service. */
export const SIMILAR_SAME_SERVICE_THRESHOLD = 0.2;
/** A runbook search (`/incident runbook …`) lists anything that covers at least this much of the query. */
export const SEARCH_THRESHOLD = 0.1;

export interface RunbookFields {
  title: string;
  alerts: readonly string[];
  tags: readonly string[];
  summary: string;
  headings: readonly string[];
  body: string;
}

/** Where a word is found in a runbook, and how much that counts. */
export function runbookFields(r: RunbookFields): Field[] {
  return [
    { text: r.title, weight: 1 },
    { text: r.alerts.join('\n'), weight: 1 },
    { text: r.tags.join('\n'), weight: 0.9 },
    { text: r.summary, weight: 0.7 },
    { text: r.headings.join('\n'), weight: 0.6 },
    { text: r.body, weight: 0.35 },
  ];
}

export interface IncidentFields {
  title: string;
  summary: string;
  service: string;
  notes: string;
  rootCause: string;
  whys: string;
}

/** Where a word is found in a past incident, and how much that counts. */
export function incidentFields(d: IncidentFields): Field[] {
  return [
    { text: d.title, weight: 1 },
    { text: d.rootCause, weight: 0.9 },
    { text: d.summary, weight: 0.7 },
    { text: d.whys, weight: 0.7 },
    { text: d.service, weight: 0.5 },
    { text: d.notes, weight: 0.4 },
  ];
}

export interface RunbookCandidate extends RunbookFields {
  slug: string;
  services: readonly string[];
}

export interface RankedRunbook<R> {
  runbook: R;
  score: number;
  matched: string[];
  /** Written for the incident's service (by `services` or a shared tag). */
  forService: boolean;
}

export interface IncidentContext {
  serviceId: string | null;
  /** The service's `runbook_tags` from klaxon.yml. */
  serviceTags: readonly string[];
}

/**
 * The runbooks to link to an incident, best first: those written for its service that share some of its
 * words, then any runbook whose words cover the threshold, then the service's other runbooks. Nothing when
 * none of these exist: a threshold, not "always three".
 */
export function rankRunbooks<R extends RunbookCandidate>(words: readonly WeightedWord[], candidates: readonly R[], context: IncidentContext, limit = 3): RankedRunbook<R>[] {
  const tags = new Set(context.serviceTags.map((t) => t.toLowerCase()));
  const ranked = candidates.map((runbook) => {
    const forService = context.serviceId !== null && (runbook.services.includes(context.serviceId) || runbook.tags.some((t) => tags.has(t.toLowerCase())));
    return { runbook, forService, ...relevance(words, runbookFields(runbook)) };
  });
  const tier = (r: RankedRunbook<R>): number | undefined => (r.forService && r.score > 0 ? 0 : r.score >= RUNBOOK_THRESHOLD ? 1 : r.forService ? 2 : undefined);
  return ranked
    .filter((r) => tier(r) !== undefined)
    .sort((a, b) => tier(a)! - tier(b)! || b.score - a.score || a.runbook.title.localeCompare(b.runbook.title))
    .slice(0, limit);
}

/** Runbooks for a search typed by a person: by how much of the query they cover. */
export function rankRunbookSearch<R extends RunbookCandidate>(words: readonly WeightedWord[], candidates: readonly R[], limit: number): RankedRunbook<R>[] {
  return candidates
    .map((runbook) => ({ runbook, forService: false, ...relevance(words, runbookFields(runbook)) }))
    .filter((r) => r.score >= SEARCH_THRESHOLD)
    .sort((a, b) => b.score - a.score || a.runbook.title.localeCompare(b.runbook.title))
    .slice(0, limit);
}

export interface IncidentCandidate extends IncidentFields {
  id: number;
}

export interface RankedIncident {
  id: number;
  score: number;
  matched: string[];
  sameService: boolean;
}

/** The past incidents worded like this one, most alike first; the same service breaks near-ties and lowers the bar. */
export function rankIncidents(words: readonly WeightedWord[], candidates: readonly IncidentCandidate[], serviceId: string | null, limit = 3): RankedIncident[] {
  return candidates
    .map((c) => ({ id: c.id, sameService: serviceId !== null && c.service === serviceId, ...relevance(words, incidentFields(c)) }))
    .filter((r) => r.score >= (r.sameService ? SIMILAR_SAME_SERVICE_THRESHOLD : SIMILAR_THRESHOLD))
    .sort((a, b) => b.score + (b.sameService ? 0.1 : 0) - (a.score + (a.sameService ? 0.1 : 0)) || b.id - a.id)
    .slice(0, limit);
}
