/**
 * Every delivery from Slack is handled inside a log context naming it, so each line about it carries the same
 * request id: the event_id of an event, the trigger_id of a command or interaction (Slack sends no request id
 * header; these are unique per request and appear in Slack's own payload logs).
 */
import type { ReceiverEvent } from '@slack/bolt';
import { withLogContext } from '../core/log-context.ts';

type Process = (event: ReceiverEvent) => Promise<void>;

export function slackRequestId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  for (const name of ['event_id', 'trigger_id']) if (typeof fields[name] === 'string' && fields[name]) return fields[name];
  return undefined;
}

export function inRequestContext(process: Process): Process {
  return (event) => {
    const request = slackRequestId(event.body);
    return request ? withLogContext({ request }, () => process(event)) : process(event);
  };
}
