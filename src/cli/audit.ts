/** `npx klaxon audit`: who did what, from the audit log, read-only. */
import { auditSince } from '../core/audit.ts';
import { DEFAULT_DB_FILE } from '../core/config.ts';
import { DAY } from '../core/duration.ts';
import { formatDateTimeInZone } from '../core/wall-clock.ts';
import { runAsyncCommand, UsageError, type CliResult } from './args.ts';
import { configFileOf, parseAt, readConfigFile, withDatabase, type Env } from './context.ts';

export const AUDIT_USAGE = `Usage: npx klaxon audit [--since 7d|TIME] [--actor U…] [--subject INC-n|PRB-n|OVR-n] [--json]

Prints the audit log from the database (KLAXON_DB, default ${DEFAULT_DB_FILE}), read-only, oldest first: each
declaration, status and severity change, role, resolution, reopening, closing, post-mortem save, rota
override and problem ticket change, with who did it and when (times in klaxon.yml's zone).

Options:
  --since    how far back: a length (7d, 24h, 90m) or a time such as 2026-11-01T00:00 (default 7d)
  --actor    only what this Slack user did
  --subject  only what was done to this incident, problem ticket or override
  --json     print the entries as a JSON array, oldest first: {"id", "at" (ISO 8601, UTC), "actorId",
             "action", "subject", "details"}

Exit status: 0 printed, 1 no database or an unreadable klaxon.yml, 2 usage error.`;

const LENGTH = /^(\d+)(d|h|m)$/;
const LENGTH_MS = { d: DAY, h: 3_600_000, m: 60_000 } as const;

export function auditLog(argv: readonly string[], env: Env, now: number): Promise<CliResult> {
  return runAsyncCommand(argv, { command: 'audit', flags: ['json'], options: ['since', 'actor', 'subject'] }, AUDIT_USAGE, async (args) => {
    const timeZone = readConfigFile(configFileOf(env)).config.timezone;
    const since = parseSince(args.options.get('since') ?? '7d', timeZone, now);
    const actor = args.options.get('actor');
    if (actor !== undefined && !/^[UW][A-Z0-9]{2,}$/.test(actor)) throw new UsageError(`--actor must be a Slack user ID such as U01ALICE, not ${JSON.stringify(actor)}`);
    return withDatabase(env, async (database) => {
      const subject = args.options.get('subject')?.toUpperCase();
      const rows = await auditSince(database.db, { since, limit: 10_000, ...(actor ? { actorId: actor } : {}), ...(subject ? { subject } : {}) });
      if (args.flags.has('json')) return { code: 0, out: JSON.stringify(rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })), null, 2) };
      if (!rows.length) return { code: 0, out: `Nothing in the audit log since ${formatDateTimeInZone(since, timeZone)}.` };
      return {
        code: 0,
        out: rows.map((r) => `${formatDateTimeInZone(r.at, timeZone)}  ${r.actorId.padEnd(11)}  ${r.action.padEnd(24)}  ${r.subject.padEnd(8)}  ${r.details ? JSON.stringify(r.details) : ''}`.trimEnd()).join('\n'),
      };
    });
  });
}

/** `--since`: a length back from now (7d, 24h, 90m) or a time as `--at` takes it. */
function parseSince(text: string, timeZone: string, now: number): number {
  const length = LENGTH.exec(text);
  if (length) return now - Number(length[1]) * LENGTH_MS[length[2] as keyof typeof LENGTH_MS];
  try {
    return parseAt(text, timeZone, now);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`--since ${JSON.stringify(text)} is not a length such as 7d, 24h or 90m, nor a time such as 2026-11-01T00:00 (local time in ${timeZone}) or 2026-11-01T00:00Z`);
  }
}
