/** The App Home feature, installed: the Home tab, published on opening and refreshed when what it shows changes. */
import type { ModalView } from '@slack/types';
import type { Kit } from '../core/kit.ts';
import type { HomeContent, Shift } from './blocks.ts';
import { registerHomeJobs } from './jobs.ts';
import { registerHomeListeners } from './listeners.ts';
import { openedHome } from './publish.ts';

/** Home shows shifts (rotas), open tickets (problems) and a button opening the declare form (incidents). */
export function installHome(kit: Kit, needs: { shiftsOf(userId: string, from: number, to: number): Promise<Shift[]>; problemsOf(userId: string): Promise<HomeContent['problems']>; declareModal(): ModalView }): void {
  const { db, clock, scheduler, logger } = kit;
  const deps = { db, clock, slack: kit.slack, scheduler, logger, shiftsOf: needs.shiftsOf, problemsOf: needs.problemsOf };
  registerHomeJobs(scheduler, deps);
  if (!kit.answersSlack) return;
  registerHomeListeners(kit.listeners, { opened: (userId) => openedHome(deps, userId), declareModal: needs.declareModal, openModal: kit.openModal });
}
