/**
 * Brings the runbook index in line with the files: new files are added, changed ones rewritten, removed ones
 * dropped, all in one transaction, so a search never sees half an update. Run on start, when the directory
 * changes, and by `/incident runbook reload`.
 */
import { createHash } from 'node:crypto';
import { transaction } from '../core/db.ts';
import type { Kit } from '../core/kit.ts';
import { checkRunbooks, type RunbookProblem } from './runbook.ts';
import { readRunbookFiles } from './runbook-files.ts';
import { allRunbooks, deleteRunbook, insertRunbook, updateRunbook } from './store.ts';

export interface IndexDeps extends Pick<Kit, 'db' | 'clock'> {
  dir: string;
  serviceIds: readonly string[];
}

export interface IndexReport {
  dir: string;
  /** The directory does not exist: there are no runbooks. */
  missing: boolean;
  indexed: number;
  added: string[];
  updated: string[];
  removed: string[];
  /** Files with problems; `skipped` when they could not be indexed at all. */
  problems: { path: string; skipped: boolean; problems: RunbookProblem[] }[];
}

export async function indexRunbooks(deps: IndexDeps): Promise<IndexReport> {
  const { files, missing } = readRunbookFiles(deps.dir);
  const checked = checkRunbooks(files, new Set(deps.serviceIds));
  const hashes = new Map(files.map((f) => [f.path, createHash('sha256').update(f.text).digest('hex')]));
  const report: IndexReport = { dir: deps.dir, missing, indexed: 0, added: [], updated: [], removed: [], problems: [] };
  for (const c of checked) if (c.problems.length) report.problems.push({ path: c.path, skipped: c.runbook === undefined, problems: c.problems });

  const at = deps.clock.now();
  await transaction(deps.db, async () => {
    const existing = new Map((await allRunbooks(deps.db)).map((r) => [r.slug, r]));
    for (const { path, runbook } of checked) {
      if (runbook === undefined) continue;
      report.indexed += 1;
      const hash = hashes.get(path)!;
      const before = existing.get(runbook.slug);
      existing.delete(runbook.slug);
      if (before === undefined) {
        await insertRunbook(deps.db, runbook, hash, at);
        report.added.push(runbook.slug);
      } else if (before.contentHash !== hash || before.path !== path) {
        await updateRunbook(deps.db, before.id, runbook, hash, at);
        report.updated.push(runbook.slug);
      }
    }
    for (const gone of existing.values()) {
      await deleteRunbook(deps.db, gone.id);
      report.removed.push(gone.slug);
    }
  });
  return report;
}
