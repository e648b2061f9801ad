/** The App Home's Slack surface: publishing on `app_home_opened`, and its Declare button. */
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { Kit } from '../core/kit.ts';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { ids } from './ids.ts';

export interface HomeListenerDeps extends Pick<Kit, 'openModal'> {
  opened(userId: string): Promise<void>;
  /** The declare modal (its answer goes to the declarer by DM: a Home tab has no response_url). */
  declareModal(): ModalView;
}

const HomeOpenedSchema = z.object({ user: z.string().regex(/^[UW][A-Z0-9]+$/), tab: z.string().optional() });

export function registerHomeListeners(listeners: SlackListeners, deps: HomeListenerDeps): void {
  listeners.event('app_home_opened', async ({ event }) => {
    const parsed = HomeOpenedSchema.safeParse(event);
    // The Messages tab opens the same event; only the Home tab needs publishing.
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    await deps.opened(parsed.data.user);
  });
  listeners.action(ids.declareButton, async ({ ack, body }) => {
    await ack();
    await deps.openModal(body.trigger_id, deps.declareModal());
  });
}
