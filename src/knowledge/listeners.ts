/**
 * The knowledge feature's Slack surface: `/incident runbook <words>`, `/incident runbook reload`,
 * `/incident similar`, and the button that links a runbook from a search answer to the incident.
 */
import type { KnownBlock } from '@slack/types';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { UserError } from '../core/errors.ts';
import { typedText } from '../core/mrkdwn.ts';
import type { SubCommand } from '../core/subcommand.ts';
import { ids } from './ids.ts';
import { LinkRunbookValueSchema } from './schemas.ts';

export interface KnowledgeListenerDeps {
  searchRunbooks(query: string, incidentId: number | undefined): Promise<{ text: string; blocks: KnownBlock[] }>;
  listRunbooks(): Promise<{ text: string; blocks: KnownBlock[] }>;
  /** Re-indexes RUNBOOKS_DIR and says what changed. */
  reloadRunbooks(): Promise<string>;
  similar(incidentId: number, userId: string): Promise<{ text: string; blocks: KnownBlock[] }>;
  linkRunbook(incidentId: number, slug: string, userId: string): Promise<string>;
  incidentIdByChannel(channelId: string): Promise<number | undefined>;
}

export function knowledgeSubcommands(deps: KnowledgeListenerDeps): SubCommand[] {
  return [
    {
      name: 'runbook',
      aliases: ['runbooks'],
      usage: 'runbook [words…] | runbook reload',
      help: 'Search the runbooks (with no words: list them; reload: re-read RUNBOOKS_DIR)',
      async run(ctx) {
        const query = typedText(ctx.text).trim();
        if (query === '') return deps.listRunbooks();
        if (query.toLowerCase() === 'reload') return { text: await deps.reloadRunbooks() };
        return deps.searchRunbooks(query, ctx.incidentId ?? (await deps.incidentIdByChannel(ctx.channelId)));
      },
    },
    {
      name: 'similar',
      asksSlack: true,
      usage: 'similar',
      help: 'Past incidents worded like this one, and how they ended',
      needsIncident: true,
      run: (ctx) => deps.similar(ctx.incidentId!, ctx.userId),
    },
  ];
}

export function registerKnowledgeListeners(listeners: SlackListeners, deps: KnowledgeListenerDeps): void {
  listeners.action(ids.linkRunbookButton, async ({ ack, body, action, respond }) => {
    await ack();
    const value = LinkRunbookValueSchema.safeParse('value' in action ? action.value : undefined);
    if (!value.success) throw new UserError('This button does not name a runbook Klaxon knows.');
    await respond({ response_type: 'ephemeral', replace_original: false, text: await deps.linkRunbook(value.data.incidentId, value.data.slug, body.user.id) });
  });
}
