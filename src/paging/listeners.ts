/**
 * The paging feature's Slack surface: `/incident ack`, `/incident page` and the Acknowledge button on a page DM.
 * Each handler parses, calls one use case and answers once.
 */
import type { SlackListeners } from '../core/slack-listeners.ts';
import { UserError } from '../core/errors.ts';
import { escape, mention, typedText } from '../core/mrkdwn.ts';
import type { SubCommand } from '../core/subcommand.ts';
import { incidentRefRefusal, parseIncidentRef } from '../incidents/index.ts';
import { ackReply, type AckOutcome } from './acknowledge.ts';
import { ids } from './ids.ts';
import { parsePageArgs } from './page-args.ts';
import { PageIdSchema } from './schemas.ts';

export interface PagingListenerDeps {
  serviceIds: string[];
  acknowledgePage(pageId: number, userId: string): Promise<AckOutcome>;
  acknowledgeMine(userId: string, incidentId: number | undefined): Promise<AckOutcome[]>;
  /** Pages people and services into the incident; refuses (UserError) before changing anything. */
  page(incidentId: number, request: { userIds: string[]; serviceIds: string[] }, by: string): Promise<void>;
  incidentIdByChannel(channelId: string): Promise<number | undefined>;
}

export function pagingSubcommands(deps: PagingListenerDeps): SubCommand[] {
  return [
    {
      name: 'ack',
      aliases: ['acknowledge'],
      usage: 'ack [INC-n]',
      help: 'Acknowledge the page addressed to you (stops the escalation)',
      async run(ctx) {
        const first = ctx.text.split(/\s+/)[0] ?? '';
        const malformed = incidentRefRefusal(first);
        if (malformed) throw new UserError(malformed);
        const incidentId = parseIncidentRef(first) ?? (await deps.incidentIdByChannel(ctx.channelId));
        const outcomes = await deps.acknowledgeMine(ctx.userId, incidentId);
        return { text: outcomes.map((o) => ackReply(o, ctx.userId)).join('\n') };
      },
    },
    {
      name: 'page',
      asksSlack: true,
      usage: 'page <@person or service> …',
      help: 'Page people, or a service’s escalation policy, into this incident',
      needsIncident: true,
      async run(ctx) {
        const args = parsePageArgs(ctx.text, deps.serviceIds);
        if (args.unknown.length) {
          throw new UserError(`I can page people (\`@name\`) or services (${deps.serviceIds.map((s) => `\`${s}\``).join(', ') || 'klaxon.yml lists none'}), not \`${escape(typedText(args.unknown.join(' ')))}\`.`);
        }
        if (!args.userIds.length && !args.serviceIds.length) throw new UserError('Say who to page: `/incident page @person` or `/incident page <service>`.');
        await deps.page(ctx.incidentId!, args, ctx.userId);
        const who = [...args.userIds.map(mention), ...args.serviceIds.map((s) => `the \`${s}\` escalation policy`)].join(', ');
        return { text: `:pager: Paging ${who}. The channel will show who acknowledges.` };
      },
    },
  ];
}

export function registerPagingListeners(listeners: SlackListeners, deps: PagingListenerDeps): void {
  listeners.action(ids.ackButton, async ({ ack, body, action, respond }) => {
    await ack();
    const pageId = PageIdSchema.safeParse('value' in action ? action.value : undefined);
    if (!pageId.success) throw new UserError('This button is not a page Klaxon knows.');
    const outcome = await deps.acknowledgePage(pageId.data, body.user.id);
    await respond({ response_type: 'ephemeral', replace_original: false, text: ackReply(outcome, body.user.id) });
  });
}
