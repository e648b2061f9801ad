/**
 * The listener table on Bolt: features register what they answer by kind of payload and id (core/slack-listeners.ts);
 * Bolt gets one listener per kind, which looks the handler up here by id.
 *
 * Why not one Bolt listener per handler: for every request, Bolt runs the matching middleware of every listener
 * registered, each run copying the listener arguments and making promises, so every request would pay for all
 * of Klaxon's listeners (bench/README.md, History).
 */
import type { App, BlockAction, ViewSubmitAction } from '@slack/bolt';
import type { ActionHandler, CommandHandler, EventHandler, ShortcutHandler, SlackListeners, ViewHandler } from '../core/slack-listeners.ts';

/** The commands, shortcuts and events registered, for the check against manifest.yml. */
export interface Registered {
  commands: Set<string>;
  shortcuts: Set<string>;
  events: Set<string>;
}

export class ListenerTable implements SlackListeners {
  private readonly commands = new Map<string, CommandHandler>();
  private readonly actions = new Map<string, ActionHandler>();
  private readonly views = new Map<string, ViewHandler>();
  private readonly shortcuts = new Map<string, ShortcutHandler>();
  private readonly events = new Map<string, EventHandler<string>>();

  /** Gives Bolt its one listener per kind of payload; registering may happen before or after. */
  attach(app: App): void {
    app.command(/.*/, async (args) => await this.commands.get(args.command.command)?.(args));
    app.action<BlockAction>({ type: 'block_actions' }, async (args) => await this.actions.get(args.action.action_id)?.(args));
    app.view<ViewSubmitAction>({ type: 'view_submission' }, async (args) => await this.views.get(args.view.callback_id)?.(args));
    app.shortcut({}, async (args) => await this.shortcuts.get(args.shortcut.callback_id)?.(args));
    app.event(/.*/, async (args) => await this.events.get(args.event.type)?.(args));
  }

  get registered(): Registered {
    return { commands: new Set(this.commands.keys()), shortcuts: new Set(this.shortcuts.keys()), events: new Set(this.events.keys()) };
  }

  command(name: string, handler: CommandHandler): void {
    add(this.commands, 'command', name, handler);
  }

  action(actionId: string, handler: ActionHandler): void {
    add(this.actions, 'action', actionId, handler);
  }

  view(callbackId: string, handler: ViewHandler): void {
    add(this.views, 'view', callbackId, handler);
  }

  shortcut(callbackId: string, handler: ShortcutHandler): void {
    add(this.shortcuts, 'shortcut', callbackId, handler);
  }

  event<T extends string>(type: T, handler: EventHandler<T>): void {
    add(this.events, 'event', type, handler as unknown as EventHandler<string>);
  }
}

/** One handler per id: a second one would never run, so registering it is a mistake caught at start. */
function add<H>(table: Map<string, H>, kind: string, id: string, handler: H): void {
  if (table.has(id)) throw new Error(`Two Slack listeners for the ${kind} ${id}.`);
  table.set(id, handler);
}
