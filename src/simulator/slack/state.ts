/**
 * The in-memory workspace: team, users, channels (public, private, IMs), their messages and pins, open views,
 * published Home tabs, issued trigger ids and uploaded files. Methods change it; tests read it through the accessors.
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
  /** Ids of the files the message shares (files.completeUploadExternal), in the order they were given. */
  files?: string[];
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
  /** How the app sent it: a Web API call, a response_url, or the body of its answer to the request itself. */
  via: 'chat.postEphemeral' | 'response_url' | 'response_body';
  /** Its place in the order of everything the workspace saw (Workspace.nextSeq). */
  seq?: number;
}

export interface StoredView {
  id: string;
  team_id: string;
  view: Record<string, unknown>;
  hash: string;
  external_id: string;
  root_view_id: string;
  previous_view_id: string | null;
  /** Who sees the modal: the person whose interaction gave the trigger_id it was opened with. */
  user?: string;
}

/**
 * A file of the external upload flow: announced by files.getUploadURLExternal, its bytes posted to the upload URL,
 * then completed (and perhaps shared) by files.completeUploadExternal. Deleted files are kept, marked `deleted`.
 */
export interface StoredFile {
  id: string;
  /** The filename given to files.getUploadURLExternal. */
  name: string;
  /** The title given at completion; the filename until then. */
  title: string;
  /** Who asked for the upload URL: only they can complete the upload, and only they can delete the file. */
  user: string;
  /** Seconds since epoch: when the upload URL was issued. */
  created: number;
  /** The byte count announced to files.getUploadURLExternal (the bytes posted may differ; `bytes` has those). */
  length: number;
  snippet_type?: string;
  alt_txt?: string;
  /** The bytes posted to the upload URL; undefined until then. */
  bytes?: Buffer;
  completed: boolean;
  deleted: boolean;
  /** Where completion shared the file: the channel and the ts of the message that carries it. */
  shares: { channel: string; ts: string }[];
}

/** A completed file as tests see it (Workspace.file, Workspace.filesIn). */
export interface FileView {
  id: string;
  name: string;
  title: string;
  /** The uploaded bytes as UTF-8 text. */
  content: string;
  /** Bytes actually uploaded (which may differ from the length announced). */
  size: number;
  /** Channels the file was shared in, in share order (kept after deletion). */
  channels: string[];
  user: string;
  /** Seconds since epoch. */
  created: number;
  deleted: boolean;
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
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean; user?: string }>();
  /** Each person's open modals, bottom first (views.open starts a stack, views.push adds to it). */
  private readonly modalStacks = new Map<string, string[]>();
  private readonly ephemeralList: Ephemeral[] = [];
  private readonly filesById = new Map<string, StoredFile>();
  private readonly ts = new TsClock();
  private sequence = 0;
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

  /** The order things happened in (calls, answers, people's actions): ties of the clock's milliseconds broken. */
  nextSeq(): number {
    return (this.sequence += 1);
  }

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
    this.ephemeralList.push({ ...ephemeral, seq: this.nextSeq() });
  }

  /** The ephemeral message shown to `user` at `ts` (what a response_url's replace_original replaces). */
  ephemeral(channelId: string, ts: string, user: string): Ephemeral | undefined {
    return this.ephemeralList.find((e) => e.channel === channelId && e.ts === ts && e.user === user);
  }

  deleteEphemeral(ephemeral: Ephemeral): void {
    this.ephemeralList.splice(this.ephemeralList.indexOf(ephemeral), 1);
  }

  ephemerals(channelId?: string): Ephemeral[] {
    return this.ephemeralList.filter((e) => channelId === undefined || e.channel === channelId);
  }

  // ---- triggers and views ------------------------------------------------------------------------------------

  /** A trigger_id; with the person who interacted, the modal it opens is theirs (modalsOf). */
  issueTrigger(now: number, user?: string): string {
    const id = `${Math.floor(now / 1000)}.${Math.floor(Math.random() * 1e12)}.${randomHex(16)}`;
    this.triggers.set(id, { issuedAt: now, used: false, ...(user ? { user } : {}) });
    return id;
  }

  triggerUser(id: string): string | undefined {
    return this.triggers.get(id)?.user;
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

  /** Shows a modal to its person: views.open replaces what they had open, views.push stacks on top. */
  showModal(view: StoredView, how: 'open' | 'push'): void {
    if (!view.user) return;
    const stack = how === 'push' ? (this.modalStacks.get(view.user) ?? []) : [];
    this.modalStacks.set(view.user, [...stack, view.id]);
  }

  /** The modals a person has open, bottom first: the last one is what they see. */
  modalsOf(userId: string): StoredView[] {
    return (this.modalStacks.get(userId) ?? []).map((id) => this.viewsById.get(id)).filter((v): v is StoredView => v !== undefined);
  }

  /** Closes a person's modal (and those above it), or all of them (`response_action: clear`). */
  closeModal(userId: string, viewId?: string): void {
    const stack = this.modalStacks.get(userId) ?? [];
    const at = viewId === undefined ? 0 : stack.indexOf(viewId);
    if (at >= 0) this.modalStacks.set(userId, stack.slice(0, at));
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

  // ---- files -------------------------------------------------------------------------------------------------

  /** Starts an upload as files.getUploadURLExternal does: a file id, no bytes yet, not completed. */
  createUpload(seed: { name: string; length: number; user: string; snippet_type?: string; alt_txt?: string }): StoredFile {
    const file: StoredFile = {
      id: slackId('F'),
      name: seed.name,
      title: seed.name,
      user: seed.user,
      created: Math.floor(this.now() / 1000),
      length: seed.length,
      ...(seed.snippet_type !== undefined ? { snippet_type: seed.snippet_type } : {}),
      ...(seed.alt_txt !== undefined ? { alt_txt: seed.alt_txt } : {}),
      completed: false,
      deleted: false,
      shares: [],
    };
    this.filesById.set(file.id, file);
    return file;
  }

  /**
   * Uploads a file as a person (not the bot) does in Slack: a completed file shared in the channel by a message
   * from them whose text is `opts.text` (default ''). Throws when the channel does not exist.
   */
  uploadFileAsUser(channelId: string, userId: string, opts: { name: string; content: string; title?: string; text?: string }): FileView {
    const channel = this.channelsById.get(channelId);
    if (!channel) throw new Error(`fake-slack: uploadFileAsUser: no channel ${channelId}`);
    const bytes = Buffer.from(opts.content, 'utf8');
    const file = this.createUpload({ name: opts.name, length: bytes.length, user: userId });
    file.bytes = bytes;
    file.title = opts.title ?? opts.name;
    file.completed = true;
    const message = this.post(channel, { user: userId, text: opts.text ?? '', files: [file.id] });
    file.shares.push({ channel: channel.id, ts: message.ts });
    return fileView(file);
  }

  /** The stored record of a file, pending uploads and deleted files included (for the methods). */
  storedFile(id: string): StoredFile | undefined {
    return this.filesById.get(id);
  }

  /** A completed file (deleted ones included, marked `deleted`); undefined for unknown ids and pending uploads. */
  file(id: string): FileView | undefined {
    const file = this.filesById.get(id);
    return file?.completed ? fileView(file) : undefined;
  }

  /** The live (completed, not deleted) files shared in a channel, oldest share first. */
  filesIn(channelId: string): FileView[] {
    const shared: { file: StoredFile; ts: string }[] = [];
    for (const file of this.filesById.values()) {
      if (!file.completed || file.deleted) continue;
      const share = file.shares.find((s) => s.channel === channelId);
      if (share) shared.push({ file, ts: share.ts });
    }
    return shared.sort((a, b) => compareTs(a.ts, b.ts)).map((s) => fileView(s.file));
  }

  /**
   * Deletes a file as files.delete does: marks it deleted and takes it out of the messages that shared it; a
   * message left with no text, no blocks, no attachments and no files is deleted. False when there was nothing to
   * delete.
   */
  deleteFile(id: string): boolean {
    const file = this.filesById.get(id);
    if (!file || file.deleted) return false;
    file.deleted = true;
    for (const share of file.shares) {
      const channel = this.channelsById.get(share.channel);
      const message = channel ? this.message(channel, share.ts) : undefined;
      if (!channel || !message?.files) continue;
      message.files = message.files.filter((f) => f !== id);
      if (message.files.length > 0) continue;
      delete message.files;
      const empty = message.text === '' && !message.blocks?.length && !message.attachments?.length;
      if (empty) this.deleteMessage(channel, share.ts);
    }
    return true;
  }
}

function fileView(file: StoredFile): FileView {
  return {
    id: file.id,
    name: file.name,
    title: file.title,
    content: file.bytes?.toString('utf8') ?? '',
    size: file.bytes?.length ?? 0,
    channels: [...new Set(file.shares.map((s) => s.channel))],
    user: file.user,
    created: file.created,
    deleted: file.deleted,
  };
}

/** Orders message timestamps (`"<seconds>.<micros>"`) without going through floating point. */
function compareTs(a: string, b: string): number {
  const [as = '0', am = '0'] = a.split('.');
  const [bs = '0', bm = '0'] = b.split('.');
  const diff = BigInt(as) - BigInt(bs) || BigInt(am.padEnd(6, '0')) - BigInt(bm.padEnd(6, '0'));
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}
