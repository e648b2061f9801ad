/** The JSON shapes Slack returns for channels, users, messages and files. */
import type { Channel, Message, StoredFile, User, Workspace } from './state.ts';

export function channelObject(ws: Workspace, channel: Channel, opts: { numMembers?: boolean } = {}): Record<string, unknown> {
  if (channel.is_im) {
    return {
      id: channel.id,
      created: channel.created,
      is_archived: channel.archived,
      is_im: true,
      is_org_shared: false,
      context_team_id: ws.team.id,
      updated: channel.created * 1000,
      user: channel.im_user,
      is_user_deleted: false,
      priority: 0,
    };
  }
  const object: Record<string, unknown> = {
    id: channel.id,
    name: channel.name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.is_private,
    created: channel.created,
    is_archived: channel.archived,
    is_general: channel.is_general,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: ws.team.id,
    updated: channel.created * 1000,
    parent_conversation: null,
    creator: channel.creator,
    is_member: channel.members.has(ws.botUserId),
    last_read: '0000000000.000000',
    topic: topicObject(channel.topic),
    purpose: topicObject(channel.purpose),
    previous_names: [...channel.previous_names],
  };
  if (opts.numMembers) object.num_members = channel.members.size;
  return object;
}

function topicObject(topic: Channel['topic']): Record<string, unknown> {
  return { value: topic.value, creator: topic.creator, last_set: topic.last_set };
}

export function messageObject(ws: Workspace, message: Message, opts: { metadata?: boolean } = {}): Record<string, unknown> {
  const object: Record<string, unknown> = {
    type: 'message',
    user: message.user,
    text: message.text,
    ts: message.ts,
    team: ws.team.id,
  };
  if (message.bot_id) {
    object.bot_id = message.bot_id;
    object.app_id = ws.appId;
  }
  if (message.blocks) object.blocks = message.blocks;
  if (message.attachments) object.attachments = message.attachments;
  if (message.thread_ts) object.thread_ts = message.thread_ts;
  if (message.edited) object.edited = { ...message.edited };
  if (message.metadata && opts.metadata !== false) object.metadata = message.metadata;
  if (message.files) {
    object.files = message.files.flatMap((id) => {
      const file = ws.storedFile(id);
      return file ? [fileObject(ws, file)] : [];
    });
    object.upload = true;
    object.display_as_bot = false;
  }
  return object;
}

/** Slack's type, pretty type and MIME type of a few file extensions; others are `binary`. */
const FILE_TYPES: Record<string, [filetype: string, pretty: string, mimetype: string]> = {
  md: ['markdown', 'Markdown (raw)', 'text/plain'],
  markdown: ['markdown', 'Markdown (raw)', 'text/plain'],
  txt: ['text', 'Plain Text', 'text/plain'],
  json: ['json', 'JSON', 'application/json'],
  csv: ['csv', 'CSV', 'text/csv'],
  yaml: ['yaml', 'YAML', 'text/yaml'],
  yml: ['yaml', 'YAML', 'text/yaml'],
  html: ['html', 'HTML', 'text/html'],
  pdf: ['pdf', 'PDF', 'application/pdf'],
  png: ['png', 'PNG', 'image/png'],
  jpg: ['jpg', 'JPEG', 'image/jpeg'],
  jpeg: ['jpg', 'JPEG', 'image/jpeg'],
  gif: ['gif', 'GIF', 'image/gif'],
};

function fileType(file: StoredFile): { filetype: string; pretty_type: string; mimetype: string } {
  const extension = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? '';
  const [filetype, pretty_type, mimetype] = FILE_TYPES[file.snippet_type ?? extension] ?? [file.snippet_type ?? 'binary', 'Binary', 'application/octet-stream'];
  return { filetype, pretty_type, mimetype };
}

/**
 * A file as files.info, files.completeUploadExternal and messages show it. The content is not in it: Slack gives
 * `url_private` for that (the fake does not serve it).
 */
export function fileObject(ws: Workspace, file: StoredFile): Record<string, unknown> {
  const slug = file.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '_');
  const live = file.deleted ? [] : file.shares.filter((s) => {
    const channel = ws.channel(s.channel);
    return channel !== undefined && ws.message(channel, s.ts) !== undefined;
  });
  const channels: string[] = [];
  const groups: string[] = [];
  const ims: string[] = [];
  const shares: Record<'public' | 'private', Record<string, unknown[]>> = { public: {}, private: {} };
  for (const share of live) {
    const channel = ws.channel(share.channel);
    if (!channel) continue;
    const list = channel.is_im ? ims : channel.is_private ? groups : channels;
    if (!list.includes(channel.id)) list.push(channel.id);
    const bucket = channel.is_private || channel.is_im ? shares.private : shares.public;
    (bucket[channel.id] ??= []).push({
      reply_users: [],
      reply_users_count: 0,
      reply_count: 0,
      ts: share.ts,
      ...(channel.is_im ? {} : { channel_name: channel.name }),
      team_id: ws.team.id,
      share_user_id: file.user,
    });
  }
  const object: Record<string, unknown> = {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    ...fileType(file),
    user: file.user,
    user_team: ws.team.id,
    editable: false,
    size: file.bytes?.length ?? 0,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: channels.length > 0,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `https://files.slack.com/files-pri/${ws.team.id}-${file.id}/${slug}`,
    url_private_download: `https://files.slack.com/files-pri/${ws.team.id}-${file.id}/download/${slug}`,
    permalink: `https://${ws.team.domain}.slack.com/files/${file.user}/${file.id}/${slug}`,
    permalink_public: `https://slack-files.com/${ws.team.id}-${file.id}-${file.created.toString(16)}`,
    comments_count: 0,
    is_starred: false,
    shares: Object.fromEntries(Object.entries(shares).filter(([, v]) => Object.keys(v).length > 0)),
    channels,
    groups,
    ims,
    has_rich_preview: false,
    file_access: 'visible',
  };
  if (file.alt_txt !== undefined) object.alt_txt = file.alt_txt;
  return object;
}

/** IANA zone → label and offset in seconds, as users.info reports them (offset taken at the current date). */
function zoneInfo(tz: string): { label: string; offset: number } {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(new Date());
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    const offset = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
    const label = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? tz;
    return { label, offset };
  } catch {
    return { label: 'Coordinated Universal Time', offset: 0 };
  }
}

export function userObject(ws: Workspace, user: User): Record<string, unknown> {
  const zone = zoneInfo(user.tz);
  return {
    id: user.id,
    team_id: ws.team.id,
    name: user.name,
    deleted: user.deleted,
    color: '9f69e7',
    real_name: user.real_name,
    tz: user.tz,
    tz_label: zone.label,
    tz_offset: zone.offset,
    profile: {
      real_name: user.real_name,
      real_name_normalized: user.real_name,
      display_name: user.display_name,
      display_name_normalized: user.display_name,
      team: ws.team.id,
      ...(user.is_bot ? { bot_id: ws.botId, api_app_id: ws.appId } : {}),
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.is_bot,
    is_app_user: false,
    updated: 1700000000,
  };
}
