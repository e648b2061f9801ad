/** The App Home's Slack surface: publishing on `app_home_opened`, and its Declare button. */
import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { ids } from './ids.ts';

export interface HomeListenerDeps {
  opened(userId: string): Promise<void>;
  /** The declare modal (its answer goes to the declarer by DM: a Home tab has no response_url). */
  declareModal(): ModalView;
  openModal(triggerId: string, view: ModalView): Promise<void>;
}

const HomeOpenedSchema = z.object({ user: z.string().regex(/^[UW][A-Z0-9]+$/), tab: z.string().optional() });

export function registerHomeListeners(app: App, deps: HomeListenerDeps): void {
  app.event('app_home_opened', async ({ event }) => {
    const parsed = HomeOpenedSchema.safeParse(event);
    // The Messages tab opens the same event; only the Home tab needs publishing.
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    await deps.opened(parsed.data.user);
  });
  app.action({ action_id: ids.declareButton, type: 'block_actions' }, async ({ ack, body }) => {
    await ack();
    await deps.openModal(body.trigger_id, deps.declareModal());
  });
}
