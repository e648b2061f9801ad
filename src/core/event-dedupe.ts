/**
 * Slack delivers an event again when it did not see Klaxon's answer in time (X-Slack-Retry-Num): the event_id
 * is the same. The first delivery is recorded in `slack_events`; later ones are recognised and dropped.
 * Records older than a day are removed (Slack retries for minutes, not days).
 */
import { lt, sql } from 'drizzle-orm';
import { slackEvents } from '../../db/schema.ts';
import type { Clock } from './clock.ts';
import { DAY, HOUR } from './duration.ts';
import { preparedStatements, type Db } from './db.ts';
import type { Counter } from './counter.ts';

const statements = preparedStatements((db) => ({
  record: db
    .insert(slackEvents)
    .values({ eventId: sql.placeholder('eventId'), receivedAt: sql.placeholder('at') })
    .onConflictDoNothing()
    .prepare(),
  purge: db.delete(slackEvents).where(lt(slackEvents.receivedAt, sql.placeholder('before'))).prepare(),
}));

export class EventDedupe {
  private purgedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly metrics?: { eventDedupeHits: Counter },
  ) {}

  /** Whether this is the first time Klaxon sees this event (recording it if so). */
  async firstDelivery(eventId: string): Promise<boolean> {
    const at = this.clock.now();
    if (at - this.purgedAt > HOUR) {
      await statements(this.db).purge.run({ before: at - DAY });
      this.purgedAt = at;
    }
    const first = (await statements(this.db).record.run({ eventId, at })).changes > 0;
    if (!first) this.metrics?.eventDedupeHits.inc({});
    return first;
  }
}
