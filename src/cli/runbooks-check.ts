/**
 * `npx klaxon runbooks check [dir]`: validates every runbook as the bot reads it (front matter, services known
 * to klaxon.yml, dates, slugs used twice) and reports the stale ones. Built for the team's CI: exit 1 on an
 * error, and with `--strict` on warnings and stale runbooks too.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_CONFIG_FILE } from '../core/config.ts';
import { checkRunbooks, daysSinceReview, isStale, readRunbookFiles, STALE_AFTER_DAYS, type CheckedRunbook } from '../knowledge/index.ts';
import { CliFailure, runCommand, type CliResult } from './args.ts';
import { columns, isSystemError, parseAt, plural, readConfigFile, type Env } from './context.ts';

export const RUNBOOKS_CHECK_USAGE = `Usage: npx klaxon runbooks check [dir] [--at TIME] [--strict] [--json]

Validates every Markdown runbook in dir (else RUNBOOKS_DIR, else ./runbooks) as the bot reads it:
  front matter  a title; services that klaxon.yml (KLAXON_CONFIG, default ./klaxon.yml) defines; tags, alerts
                and owner; last_reviewed as a date such as 2026-10-01; no unknown fields
  file names    lower case letters, digits and dashes (the name is the page address), each used once
and reports the runbooks last reviewed more than ${STALE_AFTER_DAYS} days ago (or never).

Options:
  --at TIME  count the days since each review up to another time: 2026-03-30T09:30Z or a local time
             2026-03-30T09:30 read in klaxon.yml's top-level timezone (default: now)
  --strict   exit 1 on warnings and stale runbooks too (for CI)
  --json     print the report as JSON: {"dir", "ok", "servicesChecked", "runbooks": [...], "counts"}

Exit status: 0 no errors, 1 errors (or, with --strict, warnings or stale runbooks), no such directory or an
unreadable file, 2 usage error.`;

interface FileReport extends CheckedRunbook {
  stale: boolean;
  daysSinceReview: number | null;
}

export function runbooksCheck(argv: readonly string[], env: Env, now: number): CliResult {
  return runCommand(argv, { command: 'runbooks check', flags: ['json', 'strict'], options: ['at'], positionals: ['dir?'] }, RUNBOOKS_CHECK_USAGE, (args) => {
    const dir = args.positionals[0] ?? (env.RUNBOOKS_DIR || './runbooks');
    if (!existsSync(dir)) throw new CliFailure(1, `${dir}: no such directory (set RUNBOOKS_DIR or pass the directory)`);
    const configFile = env.KLAXON_CONFIG || DEFAULT_CONFIG_FILE;
    const { config, missing } = readConfigFile(configFile);
    const at = parseAt(args.options.get('at'), config.timezone, now);
    const services = new Set(config.services.map((s) => s.id));
    const files = readRunbooks(dir);
    const checked: FileReport[] = checkRunbooks(files, services).map((c) => {
      const days = c.runbook ? daysSinceReview(c.runbook, at) : Number.NaN;
      // Without klaxon.yml every service would be unknown: that check is left out and said so.
      const problems = missing ? c.problems.filter((p) => !(p.field === 'services' && p.message.startsWith('unknown service'))) : c.problems;
      return { ...c, problems, stale: c.runbook !== undefined && isStale(c.runbook, at), daysSinceReview: Number.isFinite(days) ? days : null };
    });
    const errors = checked.filter((c) => c.problems.some((p) => p.level === 'error'));
    const warnings = checked.filter((c) => c.problems.some((p) => p.level === 'warning'));
    const stale = checked.filter((c) => c.stale);
    const failed = errors.length > 0 || (args.flags.has('strict') && (warnings.length > 0 || stale.length > 0));
    const code = failed ? 1 : 0;
    const servicesNote = missing ? `services not checked: ${configFile} not found` : `services checked against ${configFile}`;

    if (args.flags.has('json')) {
      const json = {
        dir,
        ok: !failed,
        servicesChecked: !missing,
        runbooks: checked.map((c) => ({
          path: c.path,
          slug: c.runbook?.slug ?? null,
          title: c.runbook?.title ?? null,
          lastReviewed: c.runbook?.lastReviewed ?? null,
          daysSinceReview: c.daysSinceReview,
          stale: c.stale,
          problems: c.problems,
        })),
        counts: { runbooks: checked.length, errors: errors.length, warnings: warnings.length, stale: stale.length },
      };
      return { code, out: JSON.stringify(json, null, 2), stdout: true };
    }

    if (checked.length === 0) return { code: 0, out: `${dir}: no runbooks (Markdown files with front matter) found`, stdout: true };
    const rows = checked.flatMap((c) => fileRows(c));
    const lines = [
      `${dir}: ${plural(checked.length, 'runbook')}, ${plural(errors.length, 'with errors', 'with errors')}, ${plural(stale.length, 'stale', 'stale')} (${servicesNote})`,
      '',
      ...columns(rows).map((line) => `  ${line}`),
      '',
      failed ? `Failing: ${[errors.length ? plural(errors.length, 'runbook with errors', 'runbooks with errors') : '', args.flags.has('strict') && warnings.length ? plural(warnings.length, 'with warnings', 'with warnings') : '', args.flags.has('strict') && stale.length ? `${stale.length} stale` : ''].filter(Boolean).join(', ')}.` : stale.length || warnings.length ? 'No errors. Warnings and stale runbooks do not fail the check; --strict makes them.' : 'No errors.',
    ];
    return { code, out: lines.join('\n'), stdout: true };
  });
}

function readRunbooks(dir: string): ReturnType<typeof readRunbookFiles>['files'] {
  try {
    return readRunbookFiles(dir).files;
  } catch (error) {
    if (isSystemError(error)) throw new CliFailure(1, `${dir}: cannot read the runbooks (${error.message})`);
    throw error;
  }
}

function fileRows(c: FileReport): string[][] {
  const reviewed = c.runbook === undefined ? '' : c.runbook.lastReviewed === null ? 'never reviewed' : `reviewed ${c.runbook.lastReviewed} (${c.daysSinceReview} days ago)`;
  const verdict = c.problems.some((p) => p.level === 'error') ? 'ERROR' : c.stale ? 'STALE' : c.problems.length ? 'warning' : 'ok';
  const first = [c.path, verdict, reviewed];
  const problems = c.problems.map((p) => ['', p.level === 'error' ? 'error' : 'warning', `${p.field}: ${p.message}`]);
  const staleRow = c.stale && c.runbook?.lastReviewed ? [['', 'stale', `last reviewed more than ${STALE_AFTER_DAYS} days ago: check the steps still match the systems`]] : [];
  return [first, ...problems, ...staleRow];
}
