/**
 * The timeline written out: Markdown for people (times in the given zone) and JSON for scripts (UTC
 * milliseconds and ISO times). Pure.
 */
import { formatDuration } from '../core/duration.ts';
import { markdownText } from '../core/markdown-text.ts';
import { formatClockInZone, formatDateTimeInZone, formatDayInZone } from '../core/wall-clock.ts';
import { impactWindow, incidentRef, SEVERITY_INFO, STATUS_LABEL, type Incident } from '../incidents/model.ts';
import { entryLabel, entryPlain, type Entry } from './entries.ts';

export function timelineMarkdown(incident: Incident, entries: Entry[], timeZone: string, now: number): string {
  const window = impactWindow(incident, now);
  const lines = [
    `# ${incidentRef(incident.id)}: ${markdownText(incident.title)}`,
    '',
    `- Severity: ${SEVERITY_INFO[incident.severity].label}`,
    `- Status: ${STATUS_LABEL[incident.status]}${incident.closedAt !== null ? ' (closed)' : ''}`,
    `- Declared: ${formatDateTimeInZone(incident.declaredAt, timeZone)} by @${incident.declaredBy}`,
    `- Lead: @${incident.leadId}`,
    ...(incident.resolvedAt !== null ? [`- Resolved: ${formatDateTimeInZone(incident.resolvedAt, timeZone)}${incident.resolution ? `: ${markdownText(incident.resolution)}` : ''}`] : []),
    `- Impact: ${formatDateTimeInZone(window.from, timeZone)} to ${window.ongoing ? 'now (ongoing)' : formatDateTimeInZone(window.to, timeZone)}, ${formatDuration(window.to - window.from)}`,
    ...(incident.isDrill ? ['- **Drill**: practice only, left out of metrics'] : []),
    '',
    '## Timeline',
    '',
    `Times in ${timeZone}.`,
  ];
  let day = '';
  for (const entry of entries) {
    const entryDay = formatDayInZone(entry.at, timeZone);
    if (entryDay !== day) lines.push('', `### ${entryDay}`, '', '| Time | Who | What | Details |', '| --- | --- | --- | --- |');
    day = entryDay;
    const details = `${markdownText(entryPlain(entry))}${entry.permalink ? ` ([message](${entry.permalink.replace(/[()\s]/g, encodeURIComponent)}))` : ''}`;
    lines.push(`| ${formatClockInZone(entry.at, timeZone)} | ${entry.actorId ? `@${entry.actorId}` : 'Klaxon'} | ${entryLabel(entry.kind)} | ${details} |`);
  }
  if (!entries.length) lines.push('', 'Nothing recorded.');
  return `${lines.join('\n')}\n`;
}

export function timelineJson(incident: Incident, entries: Entry[]): string {
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  return `${JSON.stringify(
    {
      incident: {
        ref: incidentRef(incident.id),
        id: incident.id,
        title: incident.title,
        severity: incident.severity,
        status: incident.status,
        serviceId: incident.serviceId,
        isPrivate: incident.isPrivate,
        isDrill: incident.isDrill,
        leadId: incident.leadId,
        declaredBy: incident.declaredBy,
        declaredAt: iso(incident.declaredAt),
        acknowledgedAt: iso(incident.acknowledgedAt),
        resolvedAt: iso(incident.resolvedAt),
        closedAt: iso(incident.closedAt),
        impactStartedAt: iso(incident.impactStartedAt),
        impactEndedAt: iso(incident.impactEndedAt),
        resolution: incident.resolution,
      },
      timeline: entries.map((e) => ({ at: iso(e.at), kind: e.kind, actorId: e.actorId, text: entryPlain(e), data: e.data, permalink: e.permalink })),
    },
    null,
    2,
  )}\n`;
}
