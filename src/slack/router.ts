/**
 * The `/incident` router. Features declare their sub-commands; this resolves the one typed, the incident it
 * needs (from the channel, or an `INC-n` first argument elsewhere), runs it, and answers once. `help` and the
 * unknown-command answer are generated from the same list, so they cannot drift.
 */
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { Kit } from '../core/kit.ts';
import type { SlackListeners } from '../core/slack-listeners.ts';
import { errorMessage, isDatabaseUnavailable, refuseTooLong, UserError } from '../core/errors.ts';
import { addLogContext } from '../core/log-context.ts';
import { escape, escapeWithin, typedText } from '../core/mrkdwn.ts';
import { SlackCallError, type SlackGateway } from '../core/slack-gateway.ts';
import { slackTroubleText } from '../core/slack-trouble.ts';
import { incidentRef, incidentRefRefusal, parseIncidentRef } from '../core/incident-ref.ts';
import type { CommandContext, CommandResult, SubCommand } from '../core/subcommand.ts';

export const COMMAND = '/incident';

export interface RouterDeps extends Pick<Kit, 'logger' | 'subcommands'> {
  /** The request-path gateway (kit.slackNow): a person waits for the answer. */
  slack: SlackGateway;
  incidentIdByChannel(channelId: string): Promise<number | undefined>;
  incidentExists(id: number): Promise<boolean>;
  /**
   * Whether the person may act on the incident from this channel (a private incident: only its members), as the
   * database tells; or the question to ask Slack (a private incident used from elsewhere), which the router asks
   * after acknowledging.
   */
  mayUseIncident(id: number, userId: string, channelId: string): Promise<boolean | (() => Promise<boolean>)>;
}

export function splitCommand(text: string): { name: string; rest: string } {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  return match ? { name: match[1]!.toLowerCase(), rest: match[2]!.trim() } : { name: '', rest: '' };
}

export function findSubCommand(subcommands: SubCommand[], name: string): SubCommand | undefined {
  return subcommands.find((s) => s.name === name || s.aliases?.includes(name));
}

export function helpText(subcommands: SubCommand[]): string {
  const available = subcommands.map((s) => `• \`${COMMAND} ${s.usage}\`: ${s.help}${s.aliases?.length ? ` (also \`${s.aliases.join('`, `')}\`)` : ''}`);
  return [
    '*Klaxon: incident response in Slack*',
    ...available,
    `• \`${COMMAND} help\`: this list`,
    '',
    'Inside an incident channel the incident is implied; elsewhere give its number first, e.g. `INC-42`.',
  ].join('\n');
}

/** Resolves what was typed to a sub-command and context, or to a direct answer. */
export async function route(
  deps: Pick<RouterDeps, 'subcommands' | 'incidentIdByChannel' | 'incidentExists'>,
  input: Omit<CommandContext, 'text' | 'incidentId'> & { text: string },
): Promise<{ answer: string } | { subcommand: SubCommand; ctx: CommandContext }> {
  const { name, rest } = splitCommand(input.text);
  if (name === '' || name === 'help') return { answer: helpText(deps.subcommands) };
  const subcommand = findSubCommand(deps.subcommands, name);
  if (!subcommand) return { answer: `I don't know \`${COMMAND} ${escape(truncateWord(typedText(name)))}\`.\n\n${helpText(deps.subcommands)}` };
  const ctx: CommandContext = { ...input, text: rest };
  if (subcommand.needsIncident) {
    const { rest: afterRef } = splitCommand(rest);
    const firstArg = /^\S*/.exec(rest)![0]; // as typed: splitCommand lowercases names
    const fromArg = parseIncidentRef(firstArg);
    if (fromArg !== undefined) {
      if (!(await deps.incidentExists(fromArg))) throw new UserError(noSuchIncident(fromArg));
      return { subcommand, ctx: { ...ctx, incidentId: fromArg, text: afterRef } };
    }
    const malformed = incidentRefRefusal(firstArg);
    if (malformed) throw new UserError(malformed);
    const fromChannel = await deps.incidentIdByChannel(input.channelId);
    if (fromChannel === undefined) throw new UserError(`Use \`${COMMAND} ${subcommand.name}\` inside an incident channel, or give the incident first: \`${COMMAND} ${subcommand.name} INC-42 …\`.`);
    return { subcommand, ctx: { ...ctx, incidentId: fromChannel } };
  }
  return { subcommand, ctx };
}

/** The same answer for an incident that does not exist and one the person may not see. */
function noSuchIncident(id: number): string {
  return `${incidentRef(id)} is not an incident you can see: there is none, or it is private and you are not in its channel.`;
}

function truncateWord(word: string): string {
  return word.length > 40 ? `${word.slice(0, 39)}…` : word;
}

/** The fields of a slash command Klaxon relies on, as Slack sends them. */
const SlashCommandSchema = z.object({
  user_id: z.string().regex(/^[UW][A-Z0-9]+$/),
  channel_id: z.string().regex(/^[CGD][A-Z0-9]+$/),
  response_url: z.url(),
  trigger_id: z.string().min(1),
  text: z.string().default(''),
});

/** The longest command Klaxon reads, as typed: more than any sub-command's text needs. */
export const COMMAND_TEXT_MAX = 8000;
/** How much of the typed text an answer gives back, escaped: what fits in a Slack message (40,000) with the reason. */
const GIVEN_BACK_MAX = 38_000;

export function registerIncidentCommand(listeners: SlackListeners, deps: RouterDeps): void {
  listeners.command(COMMAND, async ({ command, ack, respond }) => {
    const parsed = SlashCommandSchema.safeParse(command);
    if (!parsed.success) {
      deps.logger.warn('malformed slash command ignored', { issue: parsed.error.issues[0]?.message });
      return await ack({ response_type: 'ephemeral', text: 'Klaxon could not read that command. Please try again.' });
    }
    const { user_id: userId, channel_id: channelId, response_url: responseUrl, trigger_id: triggerId, text } = parsed.data;
    const typed = typedText(text);
    const base = { userId, channelId, responseUrl, triggerId, text };
    // The answer goes with the acknowledgement, unless the acknowledgement had to go first (before a Slack call):
    // then it goes through the command's response_url.
    let acked = false;
    const acknowledge = async (): Promise<void> => {
      if (!acked) await ack();
      acked = true;
    };
    const answer = async (body: { text: string; blocks?: KnownBlock[] }): Promise<void> => {
      if (acked) return void (await respond({ response_type: 'ephemeral', ...body }));
      acked = true;
      await ack({ response_type: 'ephemeral', ...body });
    };
    let result: CommandResult;
    try {
      refuseTooLong('command', typed, COMMAND_TEXT_MAX);
      const routed = await route(deps, base);
      if ('answer' in routed) return await answer({ text: routed.answer });
      const incidentId = routed.ctx.incidentId;
      if (incidentId !== undefined) addLogContext({ incident: incidentRef(incidentId) });
      if (incidentId !== undefined) {
        let allowed = await deps.mayUseIncident(incidentId, userId, channelId);
        if (typeof allowed === 'function') {
          await acknowledge();
          allowed = await allowed();
        }
        // Said the same way as an incident that does not exist: a private incident's existence is not given away.
        if (!allowed) throw new UserError(noSuchIncident(incidentId));
      }
      if (routed.subcommand.asksSlack) await acknowledge();
      result = await routed.subcommand.run(routed.ctx);
    } catch (error) {
      if (!(error instanceof UserError)) {
        deps.logger.error('sub-command failed', { command: text, error });
      }
      return await answer({ text: refusal(error, typed) });
    }
    if ('modal' in result) {
      await acknowledge();
      try {
        await deps.slack.call('views.open', { trigger_id: triggerId, view: result.modal });
      } catch (error) {
        deps.logger.warn('could not open a modal', { error: errorMessage(error) });
        await respond({ response_type: 'ephemeral', text: `I could not open the form (${escape(errorMessage(error))}). Please run \`${COMMAND} ${escape(typedText(text))}\` again.` });
      }
      return;
    }
    await answer({ text: result.text, ...(result.blocks ? { blocks: result.blocks } : {}) });
  });
}

/**
 * The answer to a refused or failed command: what went wrong, that nothing changed, and what was typed (as typed,
 * escaped; cut where it would not fit in a Slack message, saying so).
 */
export function refusal(error: unknown, typed: string): string {
  const reason =
    error instanceof UserError
      ? error.message
      : error instanceof SlackCallError
        ? slackTroubleText(error)
        : isDatabaseUnavailable(error)
          ? 'Klaxon cannot reach its database right now. Try again in a minute; if it keeps failing, whoever runs Klaxon can see why in its log and at /healthz.'
          : 'Something went wrong on Klaxon’s side and was logged.';
  const back = escapeWithin(typed, GIVEN_BACK_MAX);
  const cut = back.cut ? `\nOnly the first ${back.shown} of the ${Array.from(typed).length} characters typed are shown: the rest does not fit in a Slack message.` : '';
  return `${reason}\nNothing was changed. You typed:\n\`\`\`${COMMAND} ${back.escaped}\`\`\`${cut}`;
}
