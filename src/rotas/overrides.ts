/**
 * Overrides made from Slack: someone covers a stretch of a schedule. Stored in the database, shown with the
 * file's own, removable; the schedules are rebuilt whenever one changes.
 */
import type { Db } from '../core/db.ts';
import type { Override } from './rota.ts';
import { overridesEndingAfter, overridesVersion } from './store.ts';

export { overridesVersion };

/** How far back overrides are still loaded (so "who was on call" for recent times stays right). */
const LOOKBACK_MS = 14 * 24 * 3_600_000;

/** The overrides made in Slack that are still in force (or ended recently). */
export async function slackOverrides(db: Db, now: number): Promise<(Override & { scheduleId: string })[]> {
  return (await overridesEndingAfter(db, now - LOOKBACK_MS)).map((row) => ({
    scheduleId: row.scheduleId,
    userId: row.userId,
    from: row.fromAt,
    to: row.toAt,
    source: 'slack',
    id: row.id,
    createdBy: row.createdBy,
  }));
}
