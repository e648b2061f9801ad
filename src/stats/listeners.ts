/** `/incident stats [7d|30d|90d] [service]`: reads the arguments and answers with the report (the chart follows by DM). */
import type { KnownBlock } from '@slack/types';
import { UserError } from '../core/errors.ts';
import { escape, typedText } from '../core/mrkdwn.ts';
import type { SubCommand } from '../core/subcommand.ts';
import { readStatsArgs, type StatsRequest } from './args.ts';

export interface StatsListenerDeps {
  serviceIds: readonly string[];
  stats(askerId: string, request: StatsRequest, responseUrl: string): Promise<{ text: string; blocks: KnownBlock[] }>;
}

export function statsSubcommands(deps: StatsListenerDeps): SubCommand[] {
  return [
    {
      name: 'stats',
      asksSlack: true,
      usage: 'stats [7d|30d|90d] [service]',
      help: 'Incident figures: MTTA, MTTR, post-mortems, problem tickets, on-call load (30d by default); the chart comes by DM',
      run(ctx) {
        const request = readStatsArgs(typedText(ctx.text), deps.serviceIds);
        if ('problem' in request) throw new UserError(`${escape(request.problem)}\nUsage: \`/incident stats [7d|30d|90d] [service]\``);
        return deps.stats(ctx.userId, request, ctx.responseUrl);
      },
    },
  ];
}
