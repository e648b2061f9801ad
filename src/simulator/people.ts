/**
 * People using the simulated Slack: what their Slack client sends the app when they type a slash command, click a
 * button, pick from a menu or submit a modal, signed as Slack signs it, and what they then see: an answer in the
 * HTTP response becomes an ephemeral message, and a modal's `response_action` updates, pushes or closes it.
 */
import type { Ephemeral, FakeSlack, Message, StoredView } from './slack/index.ts';
import { blockActionPayload, eventCallbackBody, interactivityBody, messageShortcutPayload, slashCommandBody, viewSubmissionPayload } from './requests.ts';
import { signedHeaders } from './sign.ts';
import { stateValues, type ViewAnswers } from './view-state.ts';

type Json = Record<string, unknown>;

export interface AppEndpoint {
  /** Where Slack delivers requests: `http://…/slack/events`. */
  eventsUrl: string;
  signingSecret: string;
}

/** What the person saw come back: the app's answer (an ephemeral message) or the form's field errors. */
export interface Outcome {
  status: number;
  /** The response_url the request carried, for answers that come later. */
  responseUrl?: string;
  answer?: { text: string; blocks?: unknown[] };
  errors?: Record<string, string>;
}

/** A choice made on an element: the option's value, a user id, a date (`YYYY-MM-DD`); none for a button. */
export interface Choice {
  value?: string;
}

/** Something a person did, for the transcript. */
export interface Action {
  at: number;
  /** Its place among everything the workspace saw (Workspace.nextSeq). */
  seq: number;
  userId: string;
  channelId?: string;
  /** As the person would describe it: `/incident declare sev1 …`, `clicked "Acknowledge"`, `submitted "Declare an incident"`. */
  what: string;
}

const asObject = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const plain = (value: unknown): string => String(asObject(value)?.text ?? '');

/** An interactive element in blocks, with the block it is in. */
export interface FoundElement {
  blockId: string;
  element: Json;
}

/** The element with `actionId` (and `value`, when several buttons share the id), in actions, sections or inputs. */
export function findElement(blocks: unknown[], actionId: string, value?: string): FoundElement | undefined {
  for (const raw of blocks) {
    const block = asObject(raw);
    if (!block) continue;
    const candidates = [...asArray(block.elements), block.accessory, block.element].map(asObject).filter((e): e is Json => e !== undefined);
    const element = candidates.find((e) => e.action_id === actionId && (value === undefined || e.type !== 'button' || e.value === value));
    if (element) return { blockId: String(block.block_id ?? ''), element };
  }
  return undefined;
}

/** The button a person would click by what it says (`Acknowledge`), in actions blocks or section accessories. */
export function findButton(blocks: unknown[], label: string): FoundElement | undefined {
  for (const raw of blocks) {
    const block = asObject(raw);
    if (!block) continue;
    const element = [...asArray(block.elements), block.accessory].map(asObject).find((e) => e?.type === 'button' && plain(e.text) === label);
    if (element) return { blockId: String(block.block_id ?? ''), element };
  }
  return undefined;
}

/** The `actions` entry Slack sends for a click or a choice on `element`. */
function actionEntry(found: FoundElement, choice: Choice, at: number): Json {
  const { element, blockId } = found;
  const base = { type: element.type, action_id: element.action_id, block_id: blockId, action_ts: (at / 1000).toFixed(6) };
  const chosen = choice.value;
  switch (element.type) {
    case 'button':
      return { ...base, text: element.text, ...(element.value !== undefined ? { value: element.value } : {}) };
    case 'static_select':
    case 'overflow':
    case 'radio_buttons': {
      const option = asArray(element.options).map(asObject).find((o) => o?.value === chosen);
      return { ...base, selected_option: option ?? null };
    }
    case 'users_select':
      return { ...base, selected_user: chosen ?? null };
    case 'datepicker':
      return { ...base, selected_date: chosen ?? null };
    default:
      return { ...base, value: chosen ?? null };
  }
}

export class SlackPeople {
  /** What each person did, in order. */
  readonly actions: Action[] = [];

  constructor(
    private readonly slack: FakeSlack,
    private readonly app: AppEndpoint,
  ) {}

  private now(): number {
    return this.slack.state.now();
  }

  private async post(body: string, contentType: string): Promise<{ status: number; body: Json | undefined }> {
    const response = await fetch(this.app.eventsUrl, { method: 'POST', body, headers: signedHeaders(this.app.signingSecret, body, contentType) });
    const text = await response.text();
    let parsed: Json | undefined;
    try {
      parsed = text ? asObject(JSON.parse(text)) : undefined;
    } catch {
      // A plain-text answer is shown as it is.
      parsed = { text };
    }
    return { status: response.status, body: parsed };
  }

  private record(userId: string, what: string, channelId?: string): void {
    this.actions.push({ at: this.now(), seq: this.slack.state.nextSeq(), userId, what, ...(channelId ? { channelId } : {}) });
  }

  /** The app's answer in a response body becomes an ephemeral message to the person, as in Slack. */
  private showAnswer(userId: string, channelId: string, body: Json | undefined): Outcome['answer'] {
    if (!body || typeof body.text !== 'string' || body.response_action !== undefined) return undefined;
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    this.slack.state.addEphemeral({ channel: channelId, user: userId, ts: this.slack.state.nextTs(), text: body.text, ...(blocks ? { blocks } : {}), via: 'response_body' });
    return { text: body.text, ...(blocks ? { blocks } : {}) };
  }

  /** Types a slash command in a channel (by default `/incident`). */
  async command(userId: string, channelId: string, text: string, command = '/incident'): Promise<Outcome> {
    const channel = this.slack.state.channel(channelId);
    const user = this.slack.state.user(userId);
    this.record(userId, `${command} ${text}`.trim(), channelId);
    const responseUrl = this.slack.createResponseUrl({ channel: channelId, user: userId });
    const body = slashCommandBody({
      text,
      userId,
      channelId,
      channelName: channel?.is_im ? 'directmessage' : (channel?.name ?? channelId),
      userName: user?.name ?? userId.toLowerCase(),
      responseUrl,
      triggerId: this.slack.issueTriggerId(userId),
      command,
    });
    const answer = await this.post(body, 'application/x-www-form-urlencoded');
    const shown = this.showAnswer(userId, channelId, answer.body);
    return { status: answer.status, responseUrl, ...(shown ? { answer: shown } : {}) };
  }

  /** Clicks the button that says `label` in a message of a channel or DM. */
  clickButton(userId: string, channelId: string, message: Message, label: string): Promise<Outcome> {
    const found = findButton(message.blocks ?? [], label);
    if (!found) throw new Error(`no button "${label}" in message ${message.ts} of ${channelId}`);
    return this.interactWithMessage(userId, channelId, message, found, {});
  }

  /** Clicks a button, or chooses from a menu, by its action_id, in a message of a channel or DM. */
  clickInMessage(userId: string, channelId: string, message: Message, actionId: string, choice: Choice = {}): Promise<Outcome> {
    const found = findElement(message.blocks ?? [], actionId, choice.value);
    if (!found) throw new Error(`no element ${actionId} in message ${message.ts} of ${channelId}`);
    return this.interactWithMessage(userId, channelId, message, found, choice);
  }

  private interactWithMessage(userId: string, channelId: string, message: Message, found: FoundElement, choice: Choice): Promise<Outcome> {
    const shown = { type: 'message', ts: message.ts, user: message.user, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) };
    return this.sendBlockAction(userId, channelId, message.ts, found, choice, { message: shown });
  }

  /** A `block_actions` request for a click or choice on a message (stored, or ephemeral: `message` left out). */
  private async sendBlockAction(userId: string, channelId: string, messageTs: string, found: FoundElement, choice: Choice, on: { message: Json } | { ephemeral: true }): Promise<Outcome> {
    this.record(userId, describeAction(found, choice), channelId);
    const responseUrl = this.slack.createResponseUrl({ channel: channelId, messageTs, user: userId });
    const payload = blockActionPayload({
      userId,
      channelId,
      messageTs,
      responseUrl,
      triggerId: this.slack.issueTriggerId(userId),
      actionId: String(found.element.action_id ?? ''),
      blockId: found.blockId,
      value: String(found.element.value ?? ''),
    });
    payload.actions = [actionEntry(found, choice, this.now())];
    payload.channel = { id: channelId, name: this.channelName(channelId) };
    if ('message' in on) payload.message = on.message;
    else {
      // Slack marks the container ephemeral and sends no message: none is stored for the app to read.
      payload.container = { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: true };
      delete payload.message;
    }
    const answer = await this.post(interactivityBody(payload), 'application/x-www-form-urlencoded');
    return { status: answer.status, responseUrl };
  }

  /** The modal a person sees now (the top of their stack), if one is open. */
  openModal(userId: string): StoredView | undefined {
    return this.slack.state.modalsOf(userId).at(-1);
  }

  /**
   * Submits the person's open modal with these answers (inputs not answered keep what the app put in them).
   * Field errors come back in `errors` and the modal stays open; otherwise it closes, is updated or pushed.
   */
  async submit(userId: string, answers: ViewAnswers, viewId?: string): Promise<Outcome> {
    const view = viewId ? this.slack.state.view(viewId) : this.openModal(userId);
    if (!view) throw new Error(`${userId} has no modal open`);
    this.record(userId, `submitted "${plain(view.view.title)}"`);
    const payload = viewSubmissionPayload({
      userId,
      triggerId: this.slack.issueTriggerId(userId),
      view: {
        id: view.id,
        callback_id: String(view.view.callback_id ?? ''),
        private_metadata: String(view.view.private_metadata ?? ''),
        blocks: asArray(view.view.blocks),
        title: view.view.title,
        hash: view.hash,
      },
      values: stateValues(view.view, answers),
    });
    const answer = await this.post(interactivityBody(payload), 'application/x-www-form-urlencoded');
    const action = answer.body?.response_action;
    if (answer.status !== 200) return { status: answer.status };
    if (action === 'errors') return { status: answer.status, errors: Object.fromEntries(Object.entries(asObject(answer.body?.errors) ?? {}).map(([k, v]) => [k, String(v)])) };
    if (action === 'update' && asObject(answer.body?.view)) view.view = asObject(answer.body?.view)!;
    else if (action === 'clear') this.slack.state.closeModal(userId);
    else if (action !== 'push') this.slack.state.closeModal(userId, view.id);
    return { status: answer.status };
  }

  /** Closes the person's open modal without submitting it (Slack tells the app only when asked to: not modelled). */
  cancel(userId: string): void {
    const view = this.openModal(userId);
    if (view) {
      this.record(userId, `closed "${plain(view.view.title)}"`);
      this.slack.state.closeModal(userId, view.id);
    }
  }

  /** Clicks a button, or chooses from a menu, in an ephemeral message shown to the person. */
  clickInEphemeral(userId: string, ephemeral: Ephemeral, actionId: string, choice: Choice = {}): Promise<Outcome> {
    if (ephemeral.user !== userId) throw new Error(`the ephemeral message ${ephemeral.ts} is not shown to ${userId}`);
    const found = findElement(ephemeral.blocks ?? [], actionId, choice.value);
    if (!found) throw new Error(`no element ${actionId} in ephemeral message ${ephemeral.ts} of ${ephemeral.channel}`);
    return this.sendBlockAction(userId, ephemeral.channel, ephemeral.ts, found, choice, { ephemeral: true });
  }

  /** Chooses a message shortcut (`timeline.add_entry`) from a message's menu; `name` is what the menu says. */
  async shortcut(userId: string, channelId: string, message: Message, callbackId: string, name = callbackId): Promise<Outcome> {
    this.record(userId, `chose "${name}" on a message`, channelId);
    const responseUrl = this.slack.createResponseUrl({ channel: channelId, user: userId });
    const payload = messageShortcutPayload({ userId, channelId, messageTs: message.ts, responseUrl, triggerId: this.slack.issueTriggerId(userId), callbackId });
    payload.channel = { id: channelId, name: this.channelName(channelId) };
    payload.message = { type: 'message', ts: message.ts, text: message.text, ...(message.user ? { user: message.user } : {}), ...(message.bot_id ? { bot_id: message.bot_id } : {}), ...(message.blocks ? { blocks: message.blocks } : {}) };
    const answer = await this.post(interactivityBody(payload), 'application/x-www-form-urlencoded');
    return { status: answer.status, responseUrl };
  }

  /**
   * Posts a message as the person (`text` as Slack stores it: mentions as `<@U…>`, `&<>` escaped). The app hears
   * of it as Slack would tell it: an Events API `message` event, only in a channel the bot is in and of a kind the
   * app subscribes to (`message.channels`, `message.groups`; Klaxon's manifest has no `message.im`).
   */
  async say(userId: string, channelId: string, text: string): Promise<{ message: Message; delivered: boolean; status?: number }> {
    const channel = this.slack.state.channel(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    this.record(userId, text, channelId);
    const message = this.slack.state.postAsUser(channelId, userId, text);
    if (channel.is_im || !channel.members.has(this.slack.botUserId)) return { message, delivered: false };
    const event = { type: 'message', channel: channelId, user: userId, text, ts: message.ts, event_ts: message.ts, team: this.slack.teamId, channel_type: channel.is_private ? 'group' : 'channel' };
    const answer = await this.post(eventCallbackBody(event).body, 'application/json');
    return { message, delivered: true, status: answer.status };
  }

  private channelName(channelId: string): string {
    const channel = this.slack.state.channel(channelId);
    return !channel || channel.is_im ? 'directmessage' : channel.name;
  }
}

function describeAction(found: FoundElement, choice: Choice): string {
  const { element } = found;
  if (element.type === 'button') return `clicked "${plain(element.text)}"`;
  const option = asArray(element.options).map(asObject).find((o) => o?.value === choice.value);
  return `chose "${option ? plain(option.text) : (choice.value ?? '')}"`;
}
