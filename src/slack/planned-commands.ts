/**
 * `/incident` sub-commands that later releases add. Until a feature registers the real one, the router answers
 * "not available yet" and `help` lists them as coming. Remove an entry when its feature lands.
 */
import type { PlannedSubCommand } from '../core/subcommand.ts';

export const PLANNED_COMMANDS: PlannedSubCommand[] = [{ name: 'stats', usage: 'stats [7d|30d|90d] [service]', help: 'Incident figures: MTTA, MTTR, post-mortems, on-call load' }];
