/** An alert group's page was acknowledged: the group says so, and its message is edited. Call inside that transaction. */
import type { Kit } from '../core/kit.ts';
import { acknowledgeAlertGroup } from './store.ts';
import { scheduleAlertMessage } from './surfaces.ts';

export async function alertGroupAcknowledged(deps: Pick<Kit, 'db' | 'scheduler'>, groupId: number, userId: string, at: number): Promise<void> {
  if (await acknowledgeAlertGroup(deps.db, groupId, userId, at)) await scheduleAlertMessage(deps, groupId, at);
}
