/**
 * Around every delivery from Slack, below Bolt's middleware (which sees copies of `ack` and cannot watch it):
 *
 * - one effect per gesture: a button clicked twice (the same control on the same message) or a modal submitted
 *   twice (the same view, the same values) within `windowMs` reaches the listeners once, and the repeat gets
 *   the first one's answer (nothing for a click, the same field errors for a submission);
 * - a payload no listener acknowledged (a button or form Klaxon does not know) is acknowledged at once with a
 *   log line, instead of leaving Slack waiting out its three seconds.
 */
import type { ReceiverEvent } from '@slack/bolt';

type Process = (event: ReceiverEvent) => Promise<void>;

export interface DeliveryOptions {
  windowMs: number;
  now: () => number;
  onUnhandled: (what: string) => void;
}

export function deliverOnce(process: Process, opts: DeliveryOptions): Process {
  const seen = new Map<string, { at: number; answer: Promise<unknown> }>();
  return async (event) => {
    const key = gestureKey(event.body);
    const at = opts.now();
    for (const [k, v] of seen) if (at - v.at > opts.windowMs) seen.delete(k);
    const earlier = key === undefined ? undefined : seen.get(key);
    if (earlier) {
      await event.ack(await earlier.answer);
      return;
    }
    let acked = false;
    let answered: (response: unknown) => void = () => {};
    if (key !== undefined) seen.set(key, { at, answer: new Promise((resolve) => (answered = resolve)) });
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

type Body = {
  type?: string;
  callback_id?: string;
  user?: { id?: string };
  view?: { id?: string; callback_id?: string; state?: unknown };
  actions?: { action_id?: string; block_id?: string; value?: string; selected_option?: unknown; selected_user?: string; selected_date?: string }[];
  container?: { message_ts?: string; view_id?: string };
};

/** What identifies a repeated gesture; undefined for everything else. */
function gestureKey(body: unknown): string | undefined {
  const b = body as Body;
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
