/** What a feature declares for each `/incident` sub-command; the router and `help` are built from these. */
import type { KnownBlock, ModalView } from '@slack/types';

export interface CommandContext {
  userId: string;
  channelId: string;
  /** Everything after the sub-command's name (and after the INC-n argument, when one was given). */
  text: string;
  responseUrl: string;
  triggerId: string;
  /** The incident, for sub-commands with `needsIncident`: from the channel or an `INC-n` first argument. */
  incidentId?: number;
}

export type CommandResult =
  /** An answer only the person who typed the command sees. */
  | { text: string; blocks?: KnownBlock[] }
  /** A modal to open with the command's trigger_id. */
  | { modal: ModalView };

export interface SubCommand {
  name: string;
  aliases?: string[];
  /** Arguments, as shown in help: `declare [sev1-4] [service] [title…]`. */
  usage: string;
  help: string;
  needsIncident?: boolean;
  /**
   * The answer needs Slack (someone's time zone, whether a person exists, channel membership): the router
   * acknowledges at once, before any Slack call, and sends the answer through the command's response_url.
   */
  asksSlack?: boolean;
  run(ctx: CommandContext): CommandResult | Promise<CommandResult>;
}

