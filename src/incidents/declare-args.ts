/**
 * Reads `/incident declare [sev1-4] [service] [title…]`: an optional severity, then an optional service id
 * from klaxon.yml, then the title. Both optional words are recognised only in that order and only when they
 * match exactly (case-insensitive), so a title that starts with another word is kept whole.
 */
import { isSeverity, type Severity } from './severity.ts';

export interface DeclareArgs {
  severity?: Severity;
  serviceId?: string;
  title?: string;
}

export function parseDeclareArgs(text: string, serviceIds: readonly string[]): DeclareArgs {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const args: DeclareArgs = {};
  const first = words[0]?.toLowerCase();
  if (first !== undefined && isSeverity(first)) {
    args.severity = first;
    words.shift();
  }
  const service = words[0]?.toLowerCase();
  if (service !== undefined && serviceIds.includes(service)) {
    args.serviceId = service;
    words.shift();
  }
  const title = words.join(' ');
  if (title) args.title = title;
  return args;
}
