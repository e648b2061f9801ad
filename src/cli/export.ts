/**
 * `npx klaxon export INC-n [--format md|html|json] [--json] [--tz ZONE] [--out FILE]`: writes an incident's
 * record (its post-mortem, or its header and the whole timeline) out of the database, read-only. Markdown for
 * people, JSON for scripts: `--json` is `--format json`, as every command spells it.
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_DB_FILE } from '../core/config.ts';
import { errorMessage } from '../core/errors.ts';
import { isTimeZone } from '../core/wall-clock.ts';
import { getIncident, incidentRef, parseIncidentRef } from '../incidents/index.ts';
import { getPostmortem, markdownPageHtml, storedForm } from '../postmortems/index.ts';
import { problemRef, problemsOfIncident } from '../problems/index.ts';
import { timelineJson, timelineMarkdown, visibleEntries } from '../timeline/index.ts';
import { CliFailure, runAsyncCommand, UsageError, type CliResult } from './args.ts';
import { configFileOf, readConfigFile, withDatabase, type Env } from './context.ts';

export const EXPORT_USAGE = `Usage: npx klaxon export INC-n [--format md|html|json] [--json] [--tz ZONE] [--out FILE]

Writes an incident's record from the database (KLAXON_DB, default ${DEFAULT_DB_FILE}), read-only: its
post-mortem when one is complete (the document as last generated, timeline included), otherwise its
severity, status, lead, times and impact and the whole timeline (state changes, pages, notes, captured
messages, status updates).

Options:
  --format md|html|json  Markdown (default), a standalone HTML page, or JSON (the incident, its timeline,
                         its post-mortem form and problem tickets; times in UTC, ISO 8601)
  --json                 the same as --format json; with another --format it is a usage error
  --tz ZONE              the time zone Markdown times are written in (default: klaxon.yml's timezone, else UTC)
  --out FILE             write to FILE instead of printing, and print one line saying so

Exit status: 0 written, 1 no such incident, no database or FILE cannot be written, 2 usage error.`;

const FORMATS = ['md', 'html', 'json'] as const;

export function exportIncident(argv: readonly string[], env: Env, now: number): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'export', flags: ['json'], options: ['format', 'tz', 'out'], positionals: ['incident'] }, EXPORT_USAGE, async (args) => {
    const ref = args.positionals[0]!;
    const id = parseIncidentRef(ref);
    if (id === undefined) throw new UsageError(`${JSON.stringify(ref)} is not an incident such as INC-42`);
    const format = args.options.get('format') ?? (args.flags.has('json') ? 'json' : 'md');
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be md, html or json, not ${JSON.stringify(format)}`);
    if (args.flags.has('json') && format !== 'json') throw new UsageError(`--json is --format json, which contradicts --format ${format}`);
    const timeZone = args.options.get('tz') ?? readConfigFile(configFileOf(env)).config.timezone;
    if (!isTimeZone(timeZone)) throw new UsageError(`unknown time zone ${JSON.stringify(timeZone)}`);
    return withDatabase(env, async (database, file) => {
      const incident = await getIncident(database.db, id);
      if (!incident) throw new CliFailure(1, `export: there is no ${incidentRef(id)} in ${file}`);
      const entries = await visibleEntries(database.db, id);
      const postmortem = await getPostmortem(database.db, id);
      const markdown = postmortem?.document ?? timelineMarkdown(incident, entries, timeZone, now);
      const title = `${postmortem?.document ? 'Post-mortem' : 'Timeline of'} ${incidentRef(id)}: ${incident.title}`;
      const text = format === 'json' ? exportJson(timelineJson(incident, entries), postmortem, await problemsOfIncident(database.db, id)) : format === 'html' ? markdownPageHtml(title, markdown, { standalone: true }) : markdown;
      const out = args.options.get('out');
      if (out === undefined) return { code: 0, out: text.trimEnd() };
      try {
        writeFileSync(out, text);
      } catch (error) {
        throw new CliFailure(1, `${out}: cannot write the export (${errorMessage(error)})`);
      }
      return { code: 0, out: `${incidentRef(id)}: written to ${out} (${format}, ${entries.length} timeline entries)` };
    });
  });
}

/** The timeline's JSON with the post-mortem form and the problem tickets added. */
function exportJson(timeline: string, postmortem: Awaited<ReturnType<typeof getPostmortem>>, problems: Awaited<ReturnType<typeof problemsOfIncident>>): string {
  const record = JSON.parse(timeline) as Record<string, unknown> & { incident: { title: string } };
  record.postmortem = postmortem
    ? { state: postmortem.state, form: storedForm(postmortem.form, record.incident.title), updatedBy: postmortem.updatedBy, updatedAt: new Date(postmortem.updatedAt).toISOString(), document: postmortem.document }
    : null;
  record.problems = problems.map((p) => ({ ref: problemRef(p.id), title: p.title, owner: p.ownerId, priority: p.priority, dueDate: p.dueDate, status: p.status, resolution: p.resolution }));
  return `${JSON.stringify(record, null, 2)}\n`;
}
