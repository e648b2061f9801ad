/**
 * What a person does to an alert group from Slack: resolve it by hand (its pages are withdrawn and every message
 * says who resolved it), or page the next level of its escalation now. Each answers in one line what happened.
 */
import { alertRef } from '../core/alert-ref.ts';
import { transaction } from '../core/db.ts';
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { date, mention } from '../core/mrkdwn.ts';
import { alertSubject, describePosition, escalateNow, escalationsOf, withdrawPages, type EscalateDeps } from '../paging/index.ts';
import { getAlertGroup, resolveAlertGroup } from './store.ts';
import { scheduleAlertMessage } from './surfaces.ts';

export interface AlertActionDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler'> {
  paging: EscalateDeps;
}

export async function resolveByHand(deps: AlertActionDeps, groupId: number, userId: string): Promise<string> {
  const at = deps.clock.now();
  return transaction(deps.db, async () => {
    const group = await getAlertGroup(deps.db, groupId);
    if (!group) throw new UserError('Klaxon does not know this alert.');
    const ref = alertRef(groupId);
    if (!(await resolveAlertGroup(deps.db, groupId, userId, at))) {
      const by = group.resolvedBy ? `by ${mention(group.resolvedBy)}` : 'at its source';
      return `${ref} was already resolved ${by} ${date(group.resolvedAt ?? at)}. Nothing was changed.`;
    }
    const withdrawn = await withdrawPages(deps.paging, alertSubject(groupId), at);
    await scheduleAlertMessage(deps, groupId, at);
    return `:white_check_mark: You resolved ${ref}.${withdrawn ? ' Its unanswered pages were withdrawn.' : ''} If it fires again, it pages again.`;
  });
}

export async function escalateAlertNow(deps: AlertActionDeps, groupId: number, userId: string): Promise<string> {
  const running = (await escalationsOf(deps.db, alertSubject(groupId))).filter((e) => e.status === 'active').at(-1);
  if (!running) throw new UserError(`${alertRef(groupId)} is not paging anyone now, so there is nothing to escalate.`);
  const position = await escalateNow(deps.paging, running.id, userId);
  return `:arrow_double_up: ${alertRef(groupId)} escalated: ${describePosition(position)} is paged now.`;
}
