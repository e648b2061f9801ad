/**
 * One signed request, one effect. A request from Slack is identified by its signature (an HMAC over its
 * timestamp and body), so the same signature seen again is the same request replayed, whether resent by hand or
 * by an attacker, while its timestamp is still accepted. Signatures are recorded in `slack_requests` (one
 * INSERT … ON CONFLICT DO NOTHING per request), so this holds across restarts and across instances sharing the
 * database; a job forgets them once their timestamp is out of the window, every hour.
 */
import { lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { slackRequests } from '../../db/schema.ts';
import { preparedStatements, type Db } from './db.ts';
import { HOUR, MINUTE } from './duration.ts';
import type { Scheduler } from './scheduler/index.ts';

/** How far from now a request's timestamp may be, either way, for its signature to be accepted. */
export const SIGNATURE_WINDOW_MS = 5 * MINUTE;

const FORGET_KIND = 'slack.forget-requests';

const statements = preparedStatements((db) => ({
  record: db
    .insert(slackRequests)
    .values({ signature: sql.placeholder('signature'), signedAt: sql.placeholder('signedAt') })
    .onConflictDoNothing()
    .prepare(),
  forget: db.delete(slackRequests).where(lt(slackRequests.signedAt, sql.placeholder('before'))).prepare(),
}));

/** Whether this is the first time Klaxon sees a request with this signature (recording it if so). */
export async function firstSighting(db: Db, signature: string, signedAt: number): Promise<boolean> {
  return (await statements(db).record.run({ signature, signedAt })).changes > 0;
}

/** Registers the hourly job that forgets signatures a replay could no longer use. */
export function registerForgettingRequests(scheduler: Scheduler, db: Db): void {
  scheduler.register(FORGET_KIND, {
    schema: z.object({}),
    run: async (_payload, { at }) => {
      await statements(db).forget.run({ before: at - SIGNATURE_WINDOW_MS });
      await scheduleForgettingRequests(scheduler, db, at);
    },
  });
}

/** Schedules the next forgetting at the next full hour (one job per hour, whoever schedules it). */
export async function scheduleForgettingRequests(scheduler: Scheduler, db: Db, at: number): Promise<void> {
  const dueAt = (Math.floor(at / HOUR) + 1) * HOUR;
  await scheduler.schedule(db, { kind: FORGET_KIND, key: `forget-requests:${dueAt}`, dueAt, payload: {} });
}
