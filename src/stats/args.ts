/** Reads `/incident stats [7d|30d|90d] [service]` (either order) and `--period`/`--service` of the CLI. Pure. */
import { DEFAULT_PERIOD, isPeriod, PERIODS, type Period } from './report.ts';

export interface StatsRequest {
  period: Period;
  /** One service's figures only; null for all. */
  serviceId: string | null;
}

/** Why a period was refused, in plain text. */
export function badPeriod(given: string): string {
  return `"${given}" is not a period: say ${PERIODS.slice(0, -1).join(', ')} or ${PERIODS.at(-1)} (${DEFAULT_PERIOD} when left out).`;
}

/** Why a service was refused, naming the ones klaxon.yml has, in plain text. */
export function unknownService(given: string, serviceIds: readonly string[]): string {
  return `There is no service "${given}" in klaxon.yml. ${serviceIds.length ? `Known services: ${serviceIds.join(', ')}.` : 'It lists no services.'}`;
}

/** A word that was meant as a length of time (12d, 2w, 30), not a service id. */
const LOOKS_LIKE_PERIOD = /^\d+[a-z]*$/;

const shown = (word: string): string => (word.length > 40 ? `${word.slice(0, 39)}…` : word);

/** The request typed after `/incident stats`, or the reason it cannot be read (plain text). */
export function readStatsArgs(text: string, serviceIds: readonly string[]): StatsRequest | { problem: string } {
  let period: Period | undefined;
  let serviceId: string | undefined;
  for (const word of text.trim().toLowerCase().split(/\s+/).filter(Boolean)) {
    if (isPeriod(word) || LOOKS_LIKE_PERIOD.test(word)) {
      if (!isPeriod(word)) return { problem: badPeriod(shown(word)) };
      if (period !== undefined) return { problem: 'Give one period: 7d, 30d or 90d.' };
      period = word;
    } else {
      if (!serviceIds.includes(word)) return { problem: unknownService(shown(word), serviceIds) };
      if (serviceId !== undefined) return { problem: 'Give at most one service.' };
      serviceId = word;
    }
  }
  return { period: period ?? DEFAULT_PERIOD, serviceId: serviceId ?? null };
}
