/**
 * Around every delivery from Slack, below Bolt's middleware (which sees copies of `ack` and cannot watch it):
 *
 * - one effect per gesture: a button clicked twice (the same control on the same message) or a modal submitted
 *   twice (the same view, the same values) within `windowMs` reaches the listeners once, and the repeat gets
 *   the first one's answer (nothing for a click, the same field errors for a submission);
 * - a slash command delivered again with the same trigger_id (a replay of a signed request within Slack's
 *   five-minute window) gets the first answer instead of running twice;
 * - any other request the receiver marked as replayed (its signature was seen before, by this process or
 *   another, request-guard.ts) is acknowledged with an empty answer and not run again;
 * - a payload no listener acknowledged (a button or form Klaxon does not know) is acknowledged at once with a
 *   log line, instead of leaving Slack waiting out its three seconds.
 */
import type { ReceiverEvent } from '@slack/bolt';
import { SIGNATURE_WINDOW_MS } from '../core/signed-requests.ts';

type Process = (event: ReceiverEvent) => Promise<void>;

export interface DeliveryOptions {
  /** How long an identical click or submission counts as the same gesture. */
  windowMs: number;
  now: () => number;
  onUnhandled: (what: string) => void;
  /** Told of each repeat answered without running again: `command`, `view`, `action` or `other`. */
  onRepeat?: (kind: string) => void;
}

export function deliverOnce(process: Process, opts: DeliveryOptions): Process {
  // One memory per window: entries are added in time order, so the expired ones are always at the front.
  const gestures = new Memory(opts.windowMs);
  // A command's trigger_id is remembered as long as its signature would be accepted.
  const commands = new Memory(SIGNATURE_WINDOW_MS);
  return async (event) => {
    const key = gestureKey(event.body);
    const at = opts.now();
    gestures.forget(at);
    commands.forget(at);
    const seen = key?.startsWith('command:') ? commands : gestures;
    const earlier = key === undefined ? undefined : seen.get(key);
    if (earlier) {
      opts.onRepeat?.(key!.slice(0, key!.indexOf(':')));
      await event.ack(await earlier.answer);
      return;
    }
    if (event.customProperties?.replayed === true) {
      opts.onRepeat?.(key?.slice(0, key.indexOf(':')) ?? 'other');
      await event.ack();
      return;
    }
    let acked = false;
    let answered: (response: unknown) => void = () => {};
    if (key !== undefined) seen.set(key, at, new Promise((resolve) => (answered = resolve)));
    const ack = event.ack;
    const watched: ReceiverEvent = {
      ...event,
      ack: async (response) => {
        acked = true;
        answered(response);
        await ack(response);
      },
    };
    try {
      await process(watched);
    } finally {
      answered(undefined);
    }
    if (!acked) {
      opts.onUnhandled(describe(event.body));
      await ack();
    }
  };
}

/** Answers remembered for `ttlMs`, forgotten oldest first. */
class Memory {
  private readonly entries = new Map<string, { until: number; answer: Promise<unknown> }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string): { answer: Promise<unknown> } | undefined {
    return this.entries.get(key);
  }

  set(key: string, at: number, answer: Promise<unknown>): void {
    this.entries.set(key, { until: at + this.ttlMs, answer });
  }

  forget(at: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.until >= at) return;
      this.entries.delete(key);
    }
  }
}

type Body = {
  type?: string;
  command?: string;
  trigger_id?: string;
  callback_id?: string;
  user?: { id?: string };
  view?: { id?: string; callback_id?: string; state?: unknown };
  actions?: { action_id?: string; block_id?: string; value?: string; selected_option?: unknown; selected_user?: string; selected_date?: string }[];
  container?: { message_ts?: string; view_id?: string };
};

/** What identifies a repeated gesture; undefined for everything else. */
function gestureKey(body: unknown): string | undefined {
  const b = body as Body;
  if (typeof b.command === 'string' && b.trigger_id) return `command:${b.trigger_id}`;
  if (b.type === 'view_submission' && b.view?.id) return `view:${b.user?.id}:${b.view.id}:${JSON.stringify(b.view.state ?? null)}`;
  const action = b.actions?.[0];
  if (b.type === 'block_actions' && action) {
    const chosen = action.value ?? action.selected_user ?? action.selected_date ?? JSON.stringify(action.selected_option ?? null);
    return `action:${b.user?.id}:${b.container?.message_ts ?? b.container?.view_id ?? ''}:${action.block_id}:${action.action_id}:${chosen}`;
  }
  return undefined;
}

function describe(body: unknown): string {
  const b = body as Body;
  return `${b.type ?? 'unknown'} ${b.actions?.[0]?.action_id ?? b.view?.callback_id ?? b.callback_id ?? ''}`.trim();
}
