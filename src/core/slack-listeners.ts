/**
 * The port features register on to answer Slack: by kind of payload and its id (a command's name, a button's
 * action_id, a modal's or a shortcut's callback_id, an event's type). slack/listeners.ts implements it on Bolt.
 */
import type {
  BlockAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

export type CommandHandler = Middleware<SlackCommandMiddlewareArgs>;
/** Klaxon's buttons and menus are all in Block Kit messages, modals or App Home. */
export type ActionHandler = Middleware<SlackActionMiddlewareArgs<BlockAction>>;
export type ViewHandler = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;
export type ShortcutHandler = Middleware<SlackShortcutMiddlewareArgs<SlackShortcut>>;
export type EventHandler<T extends string> = Middleware<SlackEventMiddlewareArgs<T>>;

export interface SlackListeners {
  command(name: string, handler: CommandHandler): void;
  action(actionId: string, handler: ActionHandler): void;
  /** A modal's submission (`view_submission`). */
  view(callbackId: string, handler: ViewHandler): void;
  /** A global or message shortcut. */
  shortcut(callbackId: string, handler: ShortcutHandler): void;
  event<T extends string>(type: T, handler: EventHandler<T>): void;
}
