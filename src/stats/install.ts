/** The stats feature, installed: `/incident stats` and its chart. */
import type { Kit } from '../core/kit.ts';
import type { StatsRequest } from './args.ts';
import { statsSubcommands } from './listeners.ts';
import { statsAnswer } from './stats-answer.ts';

export function installStats(kit: Kit): void {
  if (!kit.answersSlack) return;
  const { db, clock, logger, config } = kit;
  kit.subcommands.push(
    ...statsSubcommands({
      serviceIds: config.klaxon.services.map((s) => s.id),
      // The chart is uploaded after the answer, by the gateway jobs use; the time zones are read while the person waits.
      stats: (userId: string, request: StatsRequest, responseUrl: string) => statsAnswer({ db, clock, slack: kit.slack, logger, profiles: kit.profilesNow, file: config.klaxon }, userId, request, responseUrl),
    }),
  );
}
