/**
 * The in-memory workspace: team, users, channels (public, private, IMs), their messages and pins, open views,
 * published Home tabs and issued trigger ids. Methods change it; tests read it through the accessors.
 */
import { slackId, randomHex, TsClock } from './ids.ts';
import type { ChannelSeed, UserSeed } from './types.ts';

export interface Team {
  id: string;
  name: string;
  domain: string;
}

export interface User {
  id: string;
  name: string;
  real_name: string;
  display_name: string;
  tz: string;
  is_bot: boolean;
  deleted: boolean;
}

export interface TopicValue {
  value: string;
  creator: string;
  last_set: number;
}

export interface Message {
  ts: string;
  user: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  edited?: { user: string; ts: string };
}

export interface Channel {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  /** For an IM: the other user. */
  im_user?: string;
  is_general: boolean;
  creator: string;
  /** Seconds since epoch. */
  created: number;
  archived: boolean;
  topic: TopicValue;
  purpose: TopicValue;
  members: Set<string>;
  messages: Message[];
  /** ts of pinned messages, in pin order. */
  pins: string[];
  /** Bookmarks in the channel header, in the order they were added. */
  bookmarks: Bookmark[];
  previous_names: string[];
}

export interface Bookmark {
  id: string;
  channel_id: string;
  title: string;
  link: string;
  emoji: string | null;
  type: 'link';
  /** Seconds since epoch. */
  date_created: number;
  /** Seconds since epoch; 0 until the bookmark is edited (the fake has no bookmarks.edit). */
  date_updated: number;
  /** Sorts (as a string) in the channel's bookmark order. */
  rank: string;
  last_updated_by_user_id: string;
  last_updated_by_team_id: string;
}

export interface Ephemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  via: 'chat.postEphemeral' | 'response_url';
}

export interface StoredView {
  id: string;
  team_id: string;
  view: Record<string, unknown>;
  hash: string;
  external_id: string;
  root_view_id: string;
  previous_view_id: string | null;
}

export type TriggerCheck = 'ok' | 'invalid' | 'expired' | 'exchanged';

const DEFAULT_USERS: UserSeed[] = [
  { id: 'U01ALICE', name: 'alice', real_name: 'Alice Archer', tz: 'Europe/London' },
  { id: 'U01BOB', name: 'bob', real_name: 'Bob Baker', tz: 'America/New_York' },
  { id: 'U01CAROL', name: 'carol', real_name: 'Carol Chen', tz: 'Europe/London' },
  { id: 'U01DAVE', name: 'dave', real_name: 'Dave Diaz', tz: 'America/New_York' },
];

export const CHANNEL_NAME_MAX = 80;

export class Workspace {
  readonly team: Team;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  private readonly usersById = new Map<string, User>();
  private readonly channelsById = new Map<string, Channel>();
  private readonly imByUser = new Map<string, string>();
  private readonly viewsById = new Map<string, StoredView>();
  /** The published Home tab of each user (views.publish), apart from the modals in viewsById. */
  private readonly homeViewsByUser = new Map<string, StoredView>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private readonly ephemeralList: Ephemeral[] = [];
  private readonly ts = new TsClock();
  /** The fake's clock (ms): message timestamps and creation times follow it. */
  readonly now: () => number;

  constructor(opts: {
    team: Team;
    botUserId: string;
    botId: string;
    appId: string;
    users?: UserSeed[];
    channels?: ChannelSeed[];
    now?: () => number;
  }) {
    this.now = opts.now ?? Date.now;
    this.team = opts.team;
    this.botUserId = opts.botUserId;
    this.botId = opts.botId;
    this.appId = opts.appId;
    this.addUser({ id: opts.botUserId, name: 'klaxon', real_name: 'Klaxon', is_bot: true, tz: 'UTC' });
    for (const user of opts.users ?? DEFAULT_USERS) this.addUser(user);
    const channels = opts.channels ?? [{ id: 'C0GENERAL', name: 'general', members: [...this.usersById.keys()].filter((id) => id !== opts.botUserId) }];
    for (const channel of channels) this.addChannel(channel);
  }

  // ---- users -------------------------------------------------------------------------------------------------

  addUser(seed: UserSeed): User {
    const user: User = {
      id: seed.id,
      name: seed.name,
      real_name: seed.real_name ?? seed.name,
      display_name: seed.display_name ?? seed.name,
      tz: seed.tz ?? 'Europe/London',
      is_bot: seed.is_bot ?? false,
      deleted: seed.deleted ?? false,
    };
    this.usersById.set(user.id, user);
    return user;
  }

  user(id: string): User | undefined {
    return this.usersById.get(id);
  }

  users(): User[] {
    return [...this.usersById.values()];
  }

  // ---- channels ----------------------------------------------------------------------------------------------

  addChannel(seed: ChannelSeed): Channel {
    const now = Math.floor(this.now() / 1000);
    const creator = seed.creator ?? seed.members?.[0] ?? this.botUserId;
    const channel: Channel = {
      id: seed.id,
      name: seed.name,
      is_private: seed.is_private ?? false,
      is_im: false,
      is_general: seed.name === 'general',
      creator,
      created: now,
      archived: seed.is_archived ?? false,
      topic: { value: seed.topic ?? '', creator: seed.topic ? creator : '', last_set: seed.topic ? now : 0 },
      purpose: { value: seed.purpose ?? '', creator: seed.purpose ? creator : '', last_set: seed.purpose ? now : 0 },
      members: new Set(seed.members ?? []),
      messages: [],
      pins: [],
      bookmarks: [],
      previous_names: [],
    };
    this.channelsById.set(channel.id, channel);
    return channel;
  }

  /** Creates a channel as conversations.create does: the creator is its first member. */
  createChannel(name: string, is_private: boolean, creator: string): Channel {
    return this.addChannel({ id: slackId('C'), name, is_private: is_private, creator, members: [creator] });
  }

  channel(id: string): Channel | undefined {
    return this.channelsById.get(id);
  }

  /** The channel's bookmarks, in the order they were added. */
  bookmarksOf(channelId: string): Bookmark[] {
    return this.channelsById.get(channelId)?.bookmarks ?? [];
  }

  channelByName(name: string): Channel | undefined {
    const wanted = name.replace(/^#/, '');
    for (const channel of this.channelsById.values()) if (!channel.is_im && channel.name === wanted) return channel;
    return undefined;
  }

  channels(): Channel[] {
    return [...this.channelsById.values()];
  }

  hasImWith(userId: string): boolean {
    return this.imByUser.has(userId);
  }

  /** The messages in the IM with a user, oldest first; none when it was never opened. */
  dmsWith(userId: string): Message[] {
    const id = this.imByUser.get(userId);
    return id ? this.messages(id) : [];
  }

  /** The IM between the bot and a user, opened on first use. */
  imWith(userId: string): Channel {
    const existing = this.imByUser.get(userId);
    if (existing) return this.channelsById.get(existing) as Channel;
    const channel = this.addChannel({ id: slackId('D'), name: userId, members: [userId, this.botUserId], creator: this.botUserId });
    channel.is_im = true;
    channel.im_user = userId;
    this.imByUser.set(userId, channel.id);
    return channel;
  }

  isMember(channel: Channel, userId: string): boolean {
    return channel.members.has(userId);
  }

  // ---- messages ----------------------------------------------------------------------------------------------

  nextTs(): string {
    return this.ts.next(this.now());
  }

  post(channel: Channel, message: Omit<Message, 'ts'>): Message {
    const stored: Message = { ...message, ts: this.nextTs() };
    channel.messages.push(stored);
    return stored;
  }

  message(channel: Channel, ts: string): Message | undefined {
    return channel.messages.find((m) => m.ts === ts);
  }

  messages(channelId: string): Message[] {
    return this.channelsById.get(channelId)?.messages ?? [];
  }

  /**
   * Posts a message as a person (not the bot), as if they typed it in Slack; with `thread_ts`, as a reply in that
   * thread. Throws when the channel does not exist.
   */
  postAsUser(channelId: string, userId: string, text: string, opts: { thread_ts?: string } = {}): Message {
    const channel = this.channelsById.get(channelId);
    if (!channel) throw new Error(`fake-slack: postAsUser: no channel ${channelId}`);
    return this.post(channel, { user: userId, text, ...(opts.thread_ts ? { thread_ts: opts.thread_ts } : {}) });
  }

  /** Edits a message's text as a person does in Slack, marking it `edited`. Throws when there is no such message. */
  editMessage(channelId: string, ts: string, text: string, editorUserId: string): Message {
    const channel = this.channelsById.get(channelId);
    if (!channel) throw new Error(`fake-slack: editMessage: no channel ${channelId}`);
    const message = this.message(channel, ts);
    if (!message) throw new Error(`fake-slack: editMessage: no message ${ts} in ${channelId}`);
    message.text = text;
    message.edited = { user: editorUserId, ts: this.nextTs() };
    return message;
  }

  deleteMessage(channel: Channel, ts: string): boolean {
    const index = channel.messages.findIndex((m) => m.ts === ts);
    if (index < 0) return false;
    channel.messages.splice(index, 1);
    channel.pins = channel.pins.filter((p) => p !== ts);
    return true;
  }

  addEphemeral(ephemeral: Ephemeral): void {
    this.ephemeralList.push(ephemeral);
  }

  ephemerals(channelId?: string): Ephemeral[] {
    return this.ephemeralList.filter((e) => channelId === undefined || e.channel === channelId);
  }

  // ---- triggers and views ------------------------------------------------------------------------------------

  issueTrigger(now: number): string {
    const id = `${Math.floor(now / 1000)}.${Math.floor(Math.random() * 1e12)}.${randomHex(16)}`;
    this.triggers.set(id, { issuedAt: now, used: false });
    return id;
  }

  /** Exchanges a trigger id: valid once, within ttlMs of its issue. */
  useTrigger(id: string, now: number, ttlMs: number): TriggerCheck {
    const trigger = this.triggers.get(id);
    if (!trigger) return 'invalid';
    if (trigger.used) return 'exchanged';
    if (now - trigger.issuedAt > ttlMs) return 'expired';
    trigger.used = true;
    return 'ok';
  }

  saveView(view: StoredView): void {
    this.viewsById.set(view.id, view);
  }

  view(id: string): StoredView | undefined {
    return this.viewsById.get(id);
  }

  viewByExternalId(externalId: string): StoredView | undefined {
    if (!externalId) return undefined;
    for (const view of this.viewsById.values()) if (view.external_id === externalId) return view;
    return undefined;
  }

  views(): StoredView[] {
    return [...this.viewsById.values()];
  }

  /**
   * Publishes a user's Home tab (the view is assumed valid). The first publish gives the view an id; later ones
   * keep that id and replace the view, with a new hash each time.
   */
  publishHome(userId: string, view: Record<string, unknown>): StoredView {
    const hash = `${Math.floor(this.now() / 1000)}.${randomHex(4)}`;
    const externalId = typeof view.external_id === 'string' ? view.external_id : '';
    const existing = this.homeViewsByUser.get(userId);
    if (existing) {
      existing.view = view;
      existing.hash = hash;
      existing.external_id = externalId;
      return existing;
    }
    const id = slackId('V');
    const stored: StoredView = { id, team_id: this.team.id, view, hash, external_id: externalId, root_view_id: id, previous_view_id: null };
    this.homeViewsByUser.set(userId, stored);
    return stored;
  }

  /** The Home tab last published for a user; undefined before the first publish. */
  homeView(userId: string): StoredView | undefined {
    return this.homeViewsByUser.get(userId);
  }
}
