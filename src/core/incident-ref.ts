/**
 * Incident numbers as people see and type them (`INC-42`). Core holds them because the `/incident` router finds
 * the incident a sub-command acts on from such a word; the incidents feature re-exports them in its model.
 */
import { escape, truncate, typedText } from './mrkdwn.ts';

/** How people see and type incident numbers: INC-42. */
export function incidentRef(id: number): string {
  return `INC-${id}`;
}

/** `INC-42`, `inc-42` or `#42`: up to nine digits, far more incidents than any workspace declares. */
const INCIDENT_REF = /^(?:inc-|#)0*([1-9]\d{0,8})$/i;
/** A word meant as an incident reference, valid or not: `INC` and a dash or digit, or `#` and a digit. */
const MEANT_AS_REF = /^(?:inc[-\u2010-\u2015\u2212\d]|#\d)/i;

/** Reads `INC-42`, `inc-42` or `#42`; anything else is not an incident reference. */
export function parseIncidentRef(text: string): number | undefined {
  const match = INCIDENT_REF.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * Why a word (as Slack sends it in command text) that is meant as an incident reference is not one, such as
 * `INC-1e3`, `INC-` or `INC-2147483648`; undefined for a valid reference and for a word not meant as one.
 * Commands refuse such a word rather than fall back to the channel's incident, which it would then act on.
 */
export function incidentRefRefusal(word: string): string | undefined {
  const text = word.trim();
  if (parseIncidentRef(text) !== undefined || !MEANT_AS_REF.test(text)) return undefined;
  return `${escape(truncate(typedText(text), 40))} is not an incident: incidents are numbered like INC-42.`;
}
