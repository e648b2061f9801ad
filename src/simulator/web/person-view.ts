/**
 * The workspace as one person sees it, for the simulator's page: the channels they are in and their DM with the
 * app, each with its messages and the ephemeral ones shown only to them, and the modal they have open. Text is
 * given raw (mrkdwn, blocks): the page renders it, always as text.
 */
import type { SlackPeople } from '../people.ts';
import type { Channel, Ephemeral, FakeSlack, Message, User } from '../slack/index.ts';
import { inputFields, type InputField } from '../view-state.ts';
import type { AppSurface } from './app-surface.ts';

type Json = Record<string, unknown>;

export interface Person {
  id: string;
  name: string;
  realName: string;
  tz: string;
}

export interface ShownMessage {
  ts: string;
  authorId: string;
  author: string;
  /** Posted by the app (Slack shows an APP badge). */
  bot: boolean;
  text: string;
  blocks?: unknown[];
  edited: boolean;
  pinned: boolean;
  /** Shown to this person alone (an ephemeral message). */
  onlyYou: boolean;
  /** A reply in the thread of the message with this ts. */
  threadTs?: string;
  files?: { id: string; title: string; name: string }[];
}

export interface ShownChannel {
  id: string;
  /** `#incidents`, or `Klaxon` for the DM with the app. */
  displayName: string;
  kind: 'public' | 'private' | 'im';
  archived: boolean;
  topic: string;
  bookmarks: { title: string; link: string }[];
  messages: ShownMessage[];
}

export interface ShownModal {
  id: string;
  hash: string;
  title: string;
  submit: string | null;
  close: string;
  blocks: unknown[];
  fields: InputField[];
  /** How many modals are open under and including this one (views.push stacks them). */
  depth: number;
}

export interface PersonView {
  team: string;
  /** The simulator's clock (ms): "… ago" dates are relative to it. */
  now: number;
  /** Changes whenever something this view shows may have changed: the page re-renders only then. */
  version: string;
  you: Person;
  people: Person[];
  /** Names for mentions and channel links in mrkdwn: every user, and the channels this person may name. */
  names: { users: Record<string, string>; channels: Record<string, string> };
  channels: ShownChannel[];
  modal: ShownModal | null;
  commands: { command: string; usageHint: string; description: string }[];
  messageShortcuts: { callbackId: string; name: string }[];
  /** The app's DM takes no messages from people, only slash commands. */
  messagesTabReadOnly: boolean;
}

const asObject = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);
const plain = (value: unknown): string => String(asObject(value)?.text ?? '');

export const personOf = (user: User): Person => ({ id: user.id, name: user.name, realName: user.real_name, tz: user.tz });

/** Message timestamps (`"<seconds>.<micros>"`) in order, without floating point. */
export function compareTs(a: string, b: string): number {
  const [as = '0', am = '0'] = a.split('.');
  const [bs = '0', bm = '0'] = b.split('.');
  const diff = BigInt(as) - BigInt(bs) || BigInt(am.padEnd(6, '0')) - BigInt(bm.padEnd(6, '0'));
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** The seeded people a visitor can be: everyone but bots and deactivated accounts. */
export function seededPeople(slack: FakeSlack): User[] {
  return slack.state.users().filter((u) => !u.is_bot && !u.deleted);
}

/** The channels a person sees in their sidebar: those they are in, then their DM with the app if it exists. */
export function visibleChannels(slack: FakeSlack, userId: string): Channel[] {
  const joined = slack.state.channels().filter((c) => !c.is_im && c.members.has(userId));
  return slack.state.hasImWith(userId) ? [...joined, slack.state.imWith(userId)] : joined;
}

export function visibleChannel(slack: FakeSlack, userId: string, channelId: string): Channel | undefined {
  return visibleChannels(slack, userId).find((c) => c.id === channelId);
}

/** The ephemeral message with this ts that `userId` sees in the channel. */
export function ephemeralFor(slack: FakeSlack, userId: string, channelId: string, ts: string): Ephemeral | undefined {
  return slack.state.ephemerals(channelId).find((e) => e.user === userId && e.ts === ts);
}

/** A cheap fingerprint of everything that changes the workspace, and of the person's open modal. */
export function viewVersion(slack: FakeSlack, people: SlackPeople, userId: string): string {
  const modal = people.openModal(userId);
  const counts = [slack.calls().length, slack.responses().length, slack.state.ephemerals().length, people.actions.length, slack.uploads().length];
  return `${counts.join('.')}:${modal ? `${modal.id}@${modal.hash}` : '-'}`;
}

function displayName(slack: FakeSlack, channel: Channel): string {
  return channel.is_im ? (slack.state.user(slack.botUserId)?.real_name ?? 'App') : `#${channel.name}`;
}

function shownMessage(slack: FakeSlack, channel: Channel, message: Message): ShownMessage {
  const author = slack.state.user(message.user);
  const bot = message.bot_id !== undefined || author?.is_bot === true;
  const files = (message.files ?? []).flatMap((id) => {
    const file = slack.state.file(id);
    return file && !file.deleted ? [{ id: file.id, title: file.title, name: file.name }] : [];
  });
  return {
    ts: message.ts,
    authorId: message.user,
    author: bot ? (author?.real_name ?? 'App') : (author?.name ?? message.user),
    bot,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    edited: message.edited !== undefined,
    pinned: channel.pins.includes(message.ts),
    onlyYou: false,
    ...(message.thread_ts && message.thread_ts !== message.ts ? { threadTs: message.thread_ts } : {}),
    ...(files.length ? { files } : {}),
  };
}

function shownEphemeral(slack: FakeSlack, ephemeral: Ephemeral): ShownMessage {
  return {
    ts: ephemeral.ts,
    authorId: slack.botUserId,
    author: slack.state.user(slack.botUserId)?.real_name ?? 'App',
    bot: true,
    text: ephemeral.text,
    ...(ephemeral.blocks ? { blocks: ephemeral.blocks } : {}),
    edited: false,
    pinned: false,
    onlyYou: true,
  };
}

function shownChannel(slack: FakeSlack, userId: string, channel: Channel): ShownChannel {
  const messages = channel.messages.map((m) => shownMessage(slack, channel, m));
  const ephemerals = slack.state
    .ephemerals(channel.id)
    .filter((e) => e.user === userId)
    .map((e) => shownEphemeral(slack, e));
  return {
    id: channel.id,
    displayName: displayName(slack, channel),
    kind: channel.is_im ? 'im' : channel.is_private ? 'private' : 'public',
    archived: channel.archived,
    topic: channel.topic.value,
    bookmarks: channel.bookmarks.map((b) => ({ title: b.title, link: b.link })),
    messages: [...messages, ...ephemerals].sort((a, b) => compareTs(a.ts, b.ts)),
  };
}

function shownModal(people: SlackPeople, slack: FakeSlack, userId: string): ShownModal | null {
  const stored = people.openModal(userId);
  if (!stored) return null;
  const { view } = stored;
  return {
    id: stored.id,
    hash: stored.hash,
    title: plain(view.title),
    submit: view.submit === undefined ? null : plain(view.submit),
    close: view.close === undefined ? 'Cancel' : plain(view.close),
    blocks: Array.isArray(view.blocks) ? view.blocks : [],
    fields: inputFields(view),
    depth: slack.state.modalsOf(userId).length,
  };
}

export function personView(deps: { slack: FakeSlack; people: SlackPeople; surface: AppSurface }, user: User): PersonView {
  const { slack, people, surface } = deps;
  const channels = visibleChannels(slack, user.id);
  const nameable = slack.state.channels().filter((c) => !c.is_im && (!c.is_private || c.members.has(user.id)));
  return {
    team: slack.state.team.name,
    now: slack.state.now(),
    version: viewVersion(slack, people, user.id),
    you: personOf(user),
    people: seededPeople(slack).map(personOf),
    names: {
      users: Object.fromEntries(slack.state.users().map((u) => [u.id, u.is_bot ? u.real_name : u.name])),
      channels: Object.fromEntries(nameable.map((c) => [c.id, c.name])),
    },
    channels: channels.map((c) => shownChannel(slack, user.id, c)),
    modal: shownModal(people, slack, user.id),
    commands: surface.commands.map(({ command, usageHint, description }) => ({ command, usageHint, description })),
    messageShortcuts: surface.messageShortcuts,
    messagesTabReadOnly: surface.messagesTabReadOnly,
  };
}
