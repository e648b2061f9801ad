/**
 * What each person saw in the simulated Slack, in order: what people typed and clicked, what the app posted,
 * edited, showed only to one person or opened as a form, each line saying where it appeared and who could see
 * it. Built from the simulator's record of the app's Web API calls and answers, and the people's actions.
 */
import type { Action } from './people.ts';
import { messageToText, mrkdwnToText, type Names } from './render-text.ts';
import type { FakeSlack, RecordedCall } from './slack/index.ts';

export interface TranscriptLine {
  at: number;
  /** Its place in the order things happened (Workspace.nextSeq). */
  seq: number;
  /** `#channel`, `DM with bob`, or `form`. */
  where: string;
  /** Who said or did it: a person's name, or the app's. */
  who: string;
  /** Who alone sees it, when not everyone in the place does. */
  onlyFor?: string;
  text: string;
}

/** A line the narrator adds ("Five minutes pass…"). */
export interface Narration {
  at: number;
  seq: number;
  text: string;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function namesOf(slack: FakeSlack): Names {
  return {
    user: (id) => slack.state.user(id)?.name,
    channel: (id) => slack.state.channel(id)?.name,
  };
}

function placeOf(slack: FakeSlack, channelId: string): string {
  const channel = slack.state.channel(channelId);
  if (!channel) return channelId;
  if (channel.is_im) return `DM with ${slack.state.user(channel.im_user ?? '')?.name ?? channel.im_user}`;
  return `#${channel.name}`;
}

/** What each message of the app said last, by `channel ts`: an edit shows only the lines it added. */
type Posted = Map<string, string[]>;

function editedText(posted: Posted, key: string, text: string): string {
  const before = new Set(posted.get(key) ?? []);
  const lines = text.split('\n');
  posted.set(key, lines);
  const added = lines.filter((line) => line.trim() && !before.has(line));
  return added.length > 0 ? `(edited) ${added.join('\n')}` : '(edited)';
}

/** The lines one Web API call of the app adds, if people could see what it did. */
function linesOfCall(slack: FakeSlack, call: RecordedCall, app: string, names: Names, posted: Posted): TranscriptLine[] {
  const { args, at, seq } = call;
  const response = asObject(call.response) ?? {};
  const channelId = str(response.channel) || str(args.channel) || str(args.channel_id);
  const where = channelId ? placeOf(slack, channelId) : '';
  const content = (): string => messageToText({ text: str(args.text), blocks: blocksOf(args.blocks) }, names);
  switch (call.method) {
    case 'conversations.create':
      return [{ at, seq, where: `#${str(asObject(response.channel)?.name)}`, who: app, text: `created the channel${args.is_private === true || args.is_private === 'true' ? ' (private)' : ''}` }];
    case 'conversations.invite':
      return [{ at, seq, where, who: app, text: `added ${str(args.users).split(',').map((id) => `@${names.user(id) ?? id}`).join(', ')}` }];
    case 'conversations.setTopic':
      return [{ at, seq, where, who: app, text: `set the topic: ${mrkdwnToText(str(args.topic), names)}` }];
    case 'chat.postMessage': {
      const text = content();
      posted.set(`${channelId} ${str(response.ts)}`, text.split('\n'));
      return [{ at, seq, where, who: app, text }];
    }
    case 'chat.update':
      return [{ at, seq, where, who: app, text: editedText(posted, `${channelId} ${str(args.ts)}`, content()) }];
    case 'chat.postEphemeral':
      return [{ at, seq, where, who: app, onlyFor: names.user(str(args.user)) ?? str(args.user), text: content() }];
    case 'pins.add':
      return [{ at, seq, where, who: app, text: 'pinned its message' }];
    case 'files.completeUploadExternal': {
      const files = (() => {
        try {
          return (JSON.parse(str(args.files)) as { title?: string }[]).map((f) => f.title ?? 'a file');
        } catch {
          return ['a file'];
        }
      })();
      return [{ at, seq, where, who: app, text: `shared ${files.map((t) => `“${t}”`).join(', ')}${str(args.initial_comment) ? `: ${mrkdwnToText(str(args.initial_comment), names)}` : ''}` }];
    }
    case 'conversations.archive':
      return [{ at, seq, where, who: app, text: 'archived the channel' }];
    case 'views.open':
    case 'views.push': {
      const view = asObject(response.view) ?? {};
      const stored = slack.state.view(str(view.id));
      const user = stored?.user ? (names.user(stored.user) ?? stored.user) : 'someone';
      return [{ at, seq, where: 'form', who: app, onlyFor: user, text: `opened “${str(asObject(view.title)?.text)}”` }];
    }
    default:
      return [];
  }
}

function blocksOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string' || !value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every line, in the order things happened. */
export function transcriptLines(slack: FakeSlack, actions: readonly Action[], narration: readonly Narration[] = []): TranscriptLine[] {
  const names = namesOf(slack);
  const app = 'Klaxon';
  const lines: TranscriptLine[] = [];
  const add = (line: TranscriptLine): void => void lines.push(line);
  for (const n of narration) add({ at: n.at, seq: n.seq, where: '', who: '', text: n.text });
  for (const action of actions) add({ at: action.at, seq: action.seq, where: action.channelId ? placeOf(slack, action.channelId) : 'form', who: names.user(action.userId) ?? action.userId, text: mrkdwnToText(action.what, names) });
  const posted: Posted = new Map();
  for (const call of slack.calls()) if (call.ok) for (const line of linesOfCall(slack, call, app, names, posted)) add(line);
  for (const ephemeral of slack.state.ephemerals()) {
    if (ephemeral.via === 'chat.postEphemeral') continue;
    add({ at: Math.floor(Number(ephemeral.ts) * 1000), seq: ephemeral.seq ?? 0, where: placeOf(slack, ephemeral.channel), who: app, onlyFor: names.user(ephemeral.user) ?? ephemeral.user, text: messageToText(ephemeral, names) });
  }
  return lines.sort((a, b) => a.seq - b.seq);
}

/** Long channel names are cut to keep the columns readable. */
const WHERE_WIDTH = 24;

/** The transcript as text: time (in `timeZone`), place, who, and what, with multi-line messages indented. */
export function formatTranscript(lines: readonly TranscriptLine[], timeZone: string): string {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
  const width = Math.min(WHERE_WIDTH, Math.max(...lines.map((l) => l.where.length), 4));
  const place = (where: string): string => (where.length > width ? `${where.slice(0, width - 1)}…` : where.padEnd(width));
  return lines
    .map((line) => {
      const time = clock.format(line.at);
      if (!line.who) return `\n${time}  ── ${line.text} ──\n`;
      const [first = '', ...rest] = line.text.split('\n');
      const speaker = line.onlyFor ? `${line.who} (only ${line.onlyFor} sees this)` : line.who;
      const head = `${time}  ${place(line.where)}  ${speaker}: ${first}`;
      const indent = ' '.repeat(7 + width + 2);
      return [head, ...rest.filter((r) => r.trim()).map((r) => `${indent}${r}`)].join('\n');
    })
    .join('\n');
}
