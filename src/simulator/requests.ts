/**
 * Request bodies shaped exactly as Slack sends them: slash commands form-encoded, interactivity as a
 * form-encoded `payload` JSON field. Used by the simulator's people, the end-to-end tests and the benchmarks.
 */
export const TEAM_ID = 'T0FAKE';
export const APP_ID = 'A0FAKEAPP';

export interface SlashCommandFields {
  text: string;
  userId: string;
  channelId: string;
  responseUrl: string;
  triggerId: string;
  channelName?: string;
  userName?: string;
  /** `/incident` unless given. */
  command?: string;
}

export function slashCommandFields(f: SlashCommandFields): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM_ID,
    team_domain: 'klaxon-test',
    channel_id: f.channelId,
    channel_name: f.channelName ?? 'general',
    user_id: f.userId,
    user_name: f.userName ?? f.userId.toLowerCase(),
    command: f.command ?? '/incident',
    text: f.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: f.triggerId,
  };
}

export function slashCommandBody(f: SlashCommandFields): string {
  return new URLSearchParams(slashCommandFields(f)).toString();
}

export interface ViewSubmission {
  userId: string;
  triggerId: string;
  view: { id: string; callback_id: string; private_metadata?: string; blocks?: unknown[]; title?: unknown; hash?: string };
  values: Record<string, Record<string, unknown>>;
}

export function viewSubmissionPayload(s: ViewSubmission): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: TEAM_ID, domain: 'klaxon-test' },
    user: { id: s.userId, username: s.userId.toLowerCase(), name: s.userId.toLowerCase(), team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    trigger_id: s.triggerId,
    view: {
      type: 'modal',
      team_id: TEAM_ID,
      app_id: APP_ID,
      bot_id: 'B0KLAXON',
      root_view_id: s.view.id,
      previous_view_id: null,
      external_id: '',
      hash: s.view.hash ?? '1700000000.abcdef',
      private_metadata: '',
      blocks: [],
      ...s.view,
      state: { values: s.values },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface MessageInteraction {
  userId: string;
  channelId: string;
  messageTs: string;
  responseUrl: string;
  triggerId: string;
}

/** A click on a button in a message. */
export function blockActionPayload(i: MessageInteraction & { actionId: string; blockId: string; value: string }): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: i.userId, username: i.userId.toLowerCase(), name: i.userId.toLowerCase(), team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    trigger_id: i.triggerId,
    team: { id: TEAM_ID, domain: 'klaxon-test' },
    channel: { id: i.channelId, name: 'incident' },
    container: { type: 'message', message_ts: i.messageTs, channel_id: i.channelId, is_ephemeral: false },
    message: { type: 'message', ts: i.messageTs, user: 'U0KLAXON', text: '' },
    response_url: i.responseUrl,
    actions: [{ type: 'button', action_id: i.actionId, block_id: i.blockId, value: i.value, text: { type: 'plain_text', text: 'button' }, action_ts: `${Date.now() / 1000}` }],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A message shortcut chosen from a message's menu. */
export function messageShortcutPayload(i: MessageInteraction & { callbackId: string }): Record<string, unknown> {
  return {
    type: 'message_action',
    callback_id: i.callbackId,
    user: { id: i.userId, name: i.userId.toLowerCase(), username: i.userId.toLowerCase(), team_id: TEAM_ID },
    team: { id: TEAM_ID, domain: 'klaxon-test' },
    channel: { id: i.channelId, name: 'incident' },
    message: { type: 'message', ts: i.messageTs, user: 'U01ALICE', text: 'Rolled back the deploy' },
    message_ts: i.messageTs,
    response_url: i.responseUrl,
    trigger_id: i.triggerId,
    action_ts: `${Date.now() / 1000}`,
    token: 'deprecated-verification-token',
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function interactivityBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Modal input values for the declare form, as Slack reports them in view.state.values. */
export function declareFormValues(v: { title?: string; severity?: string; service?: string; summary?: string; private?: boolean; drill?: boolean }): Record<string, Record<string, unknown>> {
  const select = (value?: string) => ({ type: 'static_select', selected_option: value ? { text: { type: 'plain_text', text: value }, value } : null });
  return {
    title: { value: { type: 'plain_text_input', value: v.title ?? null } },
    severity: { value: select(v.severity) },
    service: { value: select(v.service) },
    summary: { value: { type: 'plain_text_input', value: v.summary ?? null } },
    options: {
      value: {
        type: 'checkboxes',
        selected_options: [
          ...(v.private ? [{ text: { type: 'plain_text', text: 'Private incident' }, value: 'private' }] : []),
          ...(v.drill ? [{ text: { type: 'plain_text', text: 'This is a drill' }, value: 'drill' }] : []),
        ],
      },
    },
  };
}

let eventCounter = 0;

/** An Events API delivery (`event_callback`) as Slack sends it: JSON with a unique event_id. */
export function eventCallbackBody(event: Record<string, unknown>, eventId = `Ev${Date.now().toString(36).toUpperCase()}${(eventCounter += 1)}`): { body: string; eventId: string } {
  const envelope = {
    token: 'deprecated-verification-token',
    team_id: TEAM_ID,
    api_app_id: APP_ID,
    event: { event_ts: `${(Date.now() / 1000).toFixed(6)}`, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: 'U0KLAXON', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
  return { body: JSON.stringify(envelope), eventId };
}
