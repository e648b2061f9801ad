/** `/incident alerts`: the open alerts from monitoring, for the person who asked. */
import type { KnownBlock } from '@slack/types';
import { UserError } from '../core/errors.ts';
import { escape, truncate, typedText } from '../core/mrkdwn.ts';
import type { SubCommand } from '../core/subcommand.ts';

export interface OpenAlertsListenerDeps {
  openAlerts(): Promise<{ text: string; blocks: KnownBlock[] }>;
}

export function openAlertsSubcommands(deps: OpenAlertsListenerDeps): SubCommand[] {
  return [
    {
      name: 'alerts',
      usage: 'alerts',
      help: 'The open alerts from monitoring: firing or acknowledged, newest first',
      async run(ctx) {
        if (ctx.text !== '') throw new UserError(`\`/incident alerts\` takes nothing after it, not \`${escape(truncate(typedText(ctx.text), 100))}\`: it lists every open alert.`);
        return deps.openAlerts();
      },
    },
  ];
}
