/** The JSON shapes Slack returns for channels, users and messages. */
import type { Channel, Message, User, Workspace } from './state.ts';

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
