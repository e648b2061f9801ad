/**
 * Update reminders: when the lead has posted no status update for the severity's interval, the channel hears
 * it, addressed to the lead. The job does not trust its own due time: it recomputes the next reminder from
 * the incident as it is now (an update since, a new severity, a resolution) and, if that is later, schedules
 * itself for then instead.
 */
import { transaction } from '../core/db.ts';
import { DeferError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { lookAgainIn, type Patience } from '../core/look-again.ts';
import { reminderBlocks, reminderText } from './change-blocks.ts';
import { scheduleReminder } from './changes.ts';
import { incidentRef } from '../core/incident-ref.ts';
import { nextReminderAt, quietFor, type ReminderIntervals } from './lifecycle.ts';
import { getIncident, setLastReminded } from './store.ts';

export interface ReminderDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler' | 'slack' | 'outbox'> {
  reminderIntervals: ReminderIntervals;
}

/**
 * How a due reminder waits for a channel Slack is slow to create (a rate-limit storm can last hours): looking 1 s
 * apart at first, doubling to a minute apart, so it is posted within a minute of the channel and a long wait
 * costs about one look a minute rather than one a second.
 */
const CHANNEL_PATIENCE: Patience = { firstMs: 1_000, maxMs: 60_000 };

export async function remindLead(deps: ReminderDeps, incidentId: number): Promise<void> {
  const { db } = deps;
  const at = deps.clock.now();
  const incident = await getIncident(db, incidentId);
  if (!incident || incident.closedAt !== null) return;
  const dueAt = nextReminderAt(incident, deps.reminderIntervals);
  if (dueAt === undefined) return;
  if (dueAt > at) {
    await transaction(db, () => scheduleReminder(deps, incident));
    return;
  }
  if (!incident.channelId) {
    // Setting up the channel failed for good: there is nowhere to remind anyone (the declarer was told).
    if (incident.provisioning === 'failed') return;
    throw new DeferError('the incident has no channel yet', lookAgainIn(at - dueAt, CHANNEL_PATIENCE)!);
  }
  const key = `remind:${incidentRef(incident.id)}:${dueAt}`;
  const quiet = quietFor(incident, at);
  const channel = incident.channelId;
  await deps.outbox.send(key, 'chat.postMessage', { channel, text: reminderText(incident, quiet), blocks: reminderBlocks(incident, quiet) });
  await transaction(db, async () => {
    await setLastReminded(db, incident.id, at);
    await scheduleReminder(deps, (await getIncident(db, incident.id))!);
  });
}
