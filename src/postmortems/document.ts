/**
 * The post-mortem document: Markdown in a fixed, blameless template, generated from the incident, its
 * timeline and the saved form. People are written by name, times in the organisation's zone. Pure.
 */
import { formatDuration } from '../core/duration.ts';
import { markdownText } from '../core/markdown-text.ts';
import { formatDateTimeInZone, formatClockInZone, formatDayInZone } from '../core/wall-clock.ts';
import { impactWindow, incidentRef, SEVERITY_INFO, STATUS_LABEL, type Incident } from '../incidents/model.ts';
import { entryLabel, entryPlain, type Entry } from '../timeline/model.ts';
import { actionsOf, contributingFactors, rootCauseOf, whyChain, type PostmortemForm } from './form.ts';

export interface PostmortemDocument {
  incident: Incident;
  serviceName: string | null;
  /** Everyone who took part: roles, people paged, people who wrote in the timeline. */
  responders: string[];
  form: PostmortemForm;
  timeline: Entry[];
  runbooks: { title: string; url: string }[];
  similar: { ref: string; title: string; rootCause: string | null }[];
  problem: { ref: string } | null;
  timeZone: string;
  /** A person's name for a Slack user id. */
  nameOf: (userId: string) => string;
  savedBy: string;
  savedAt: number;
}

/** Several paragraphs, kept as paragraphs. */
function paragraphs(text: string): string {
  const kept = text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.split(/\r?\n/).map(markdownText).join('  \n'))
    .filter(Boolean);
  return kept.length ? kept.join('\n\n') : '_Not written._';
}

/** `@U01ALICE` in Klaxon's own timeline lines becomes the person's name. */
function names(text: string, nameOf: (userId: string) => string): string {
  return text.replace(/@([UW][A-Z0-9]{2,})\b/g, (_m, id: string) => `@${nameOf(id)}`);
}

export function postmortemMarkdown(doc: PostmortemDocument): string {
  const { incident, form, timeZone, nameOf } = doc;
  const when = (at: number | null) => (at === null ? '—' : formatDateTimeInZone(at, timeZone));
  const person = (id: string) => `@${markdownText(nameOf(id))}`;
  const window = impactWindow(incident, incident.resolvedAt ?? doc.savedAt);
  const lines: string[] = [
    `# Post-mortem: ${incidentRef(incident.id)} ${markdownText(incident.title)}`,
    '',
    `_Blameless: this describes what the system and our process allowed, not who is to blame. Saved by ${person(doc.savedBy)}, ${when(doc.savedAt)}._`,
    ...(incident.isDrill ? ['', '**This was a drill**: practice only, left out of metrics.'] : []),
    '',
    '| | |',
    '| --- | --- |',
    `| Incident | ${incidentRef(incident.id)} |`,
    `| Severity | ${SEVERITY_INFO[incident.severity].label} |`,
    `| Service | ${markdownText(doc.serviceName ?? 'none')} |`,
    `| Status | ${STATUS_LABEL[incident.status]} |`,
    `| Lead | ${person(incident.leadId)} |`,
    `| Responders | ${doc.responders.map(person).join(', ') || '—'} |`,
    `| Declared | ${when(incident.declaredAt)} |`,
    `| Acknowledged | ${when(incident.acknowledgedAt)} |`,
    `| Resolved | ${when(incident.resolvedAt)} |`,
    `| Time to acknowledge | ${incident.acknowledgedAt === null ? '—' : formatDuration(incident.acknowledgedAt - incident.declaredAt)} |`,
    `| Time to resolve | ${incident.resolvedAt === null ? '—' : formatDuration(incident.resolvedAt - incident.declaredAt)} |`,
    `| Impact | ${when(window.from)} to ${window.ongoing ? 'ongoing' : when(window.to)} (${formatDuration(window.to - window.from)}) |`,
    '',
    '## Summary',
    '',
    paragraphs(form.summary),
    '',
    '## Customer impact',
    '',
    paragraphs(form.impact),
    '',
    '## Detection',
    '',
    paragraphs(form.detection),
    '',
    '## Trigger',
    '',
    paragraphs(form.trigger),
    '',
    '## Five whys',
    '',
  ];
  const chain = whyChain(form);
  chain.forEach((why, i) => lines.push(`${i + 1}. ${i === 0 ? '**Problem:** ' : '**Why?** '}${markdownText(why)}`));
  if (!chain.length) lines.push('_Not written._');
  lines.push('', `**Root cause:** ${markdownText(rootCauseOf(form)) || '_not written_'}`);
  const factors = contributingFactors(form);
  if (factors.length) lines.push('', '### Contributing factors', '', ...factors.map((f) => `- ${markdownText(f)}`));
  lines.push('', '## What went well', '', paragraphs(form.wentWell), '', '## What went badly', '', paragraphs(form.wentBadly), '', '## Where we got lucky', '', paragraphs(form.lucky));
  lines.push('', '## Action items', '');
  const actions = actionsOf(form);
  if (actions.length) {
    lines.push('| # | Action | Owner | Due |', '| --- | --- | --- | --- |');
    actions.forEach((a, i) => lines.push(`| ${i + 1} | ${markdownText(a.what)} | ${a.ownerId ? person(a.ownerId) : '—'} | ${a.due ?? '—'} |`));
  } else {
    lines.push('_None yet._');
  }
  if (doc.problem) lines.push('', `Tracked as problem ticket **${doc.problem.ref}**.`);
  lines.push('', '## Timeline', '', `Times in ${timeZone}.`);
  let day = '';
  for (const entry of doc.timeline) {
    const entryDay = formatDayInZone(entry.at, timeZone);
    if (entryDay !== day) lines.push('', `### ${entryDay}`, '', '| Time | Who | What | Details |', '| --- | --- | --- | --- |');
    day = entryDay;
    const link = entry.permalink && /^https:\/\//.test(entry.permalink) ? ` ([message](${entry.permalink.replace(/[()\s]/g, encodeURIComponent)}))` : '';
    const details = `${markdownText(names(entryPlain(entry), nameOf))}${link}`;
    lines.push(`| ${formatClockInZone(entry.at, timeZone)} | ${entry.actorId ? person(entry.actorId) : 'Klaxon'} | ${entryLabel(entry.kind)} | ${details} |`);
  }
  lines.push('', '## Runbooks used', '');
  lines.push(...(doc.runbooks.length ? doc.runbooks.map((r) => `- [${markdownText(r.title)}](${encodeURI(r.url)})`) : ['_None._']));
  lines.push('', '## Similar past incidents', '');
  lines.push(...(doc.similar.length ? doc.similar.map((s) => `- ${s.ref}: ${markdownText(s.title)}${s.rootCause ? ` (root cause: ${markdownText(s.rootCause)})` : ''}`) : ['_None found._']));
  return `${lines.join('\n')}\n`;
}
