/**
 * `POST /api/<method>`: authentication, token types, scopes, argument decoding and the injected faults, in the
 * order Slack applies them; then the method itself. Every call is recorded, faulted ones included.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, parseBody, readBody, sendJson, sendText, sleep } from './http-util.ts';
import { fail, invalidArguments, missingScope, type MethodDef, type Services } from './methods/common.ts';
import { METHODS } from './methods/index.ts';
import type { Workspace } from './state.ts';
import type { Args, Failure, RecordedCall, SlackResponse, TokenInfo } from './types.ts';

/** Arguments that WebClient sends JSON-encoded, and Slack's error when one is not valid JSON. */
const JSON_ARGS: Record<string, () => SlackResponse> = {
  blocks: () => fail('invalid_blocks_format'),
  attachments: () => fail('invalid_attachments'),
  metadata: () => fail('invalid_metadata_format'),
  view: () => invalidArguments(['failed to parse json [json-pointer:/view]']),
};

interface Outcome {
  status: number;
  body: SlackResponse | string;
  headers?: Record<string, string>;
  fault?: Failure;
}

export class WebApi {
  readonly calls: RecordedCall[] = [];
  private readonly faults = new Map<string, Failure[]>();
  latencyMs = 0;

  constructor(
    private readonly ws: Workspace,
    private readonly tokens: ReadonlyMap<string, TokenInfo>,
    private readonly services: Services,
  ) {}

  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.faults.set(method, queue);
  }

  async handle(req: IncomingMessage, res: ServerResponse, method: string, query: URLSearchParams): Promise<void> {
    const at = this.services.now();
    const parsed = parseBody(req.headers['content-type'], await readBody(req), query);
    const args: Args = parsed.ok ? parsed.args : {};
    // Slack reads the token from the Authorization header, or from the `token` argument of a form body.
    const token = bearerToken(req) ?? (parsed.ok && !parsed.isJson && typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const jsonProblem = decodeJsonArgs(args);

    // The call takes effect and is recorded when it arrives; latency and `{ delayMs }` only hold the answer back,
    // like a Slack that did the work but answers slowly.
    const outcome = this.outcome(method, token, args, parsed.ok ? undefined : fail(parsed.error), jsonProblem);
    this.record({ method, args, token, at, outcome });
    await sleep(this.latencyMs + (outcome.fault && 'delayMs' in outcome.fault ? outcome.fault.delayMs : 0));
    if (typeof outcome.body === 'string') sendText(res, outcome.status, outcome.body, outcome.headers);
    else sendJson(res, outcome.status, outcome.body, outcome.headers);
  }

  /** The first fault queued for `method` that this call meets, taken off the queue. */
  private takeFault(method: string, args: Args): Failure | undefined {
    const queue = this.faults.get(method) ?? [];
    const index = queue.findIndex((fault) => fault.channel === undefined || fault.channel === args.channel);
    return index < 0 ? undefined : queue.splice(index, 1)[0];
  }

  private outcome(
    method: string,
    tokenValue: string | undefined,
    args: Args,
    bodyProblem: SlackResponse | undefined,
    jsonProblem: SlackResponse | undefined,
  ): Outcome {
    const fault = this.takeFault(method, args);
    if (fault && !('delayMs' in fault)) return faultOutcome(fault);
    const answer = (body: SlackResponse, headers?: Record<string, string>): Outcome => ({ status: 200, body, ...(headers ? { headers } : {}), ...(fault ? { fault } : {}) });

    if (bodyProblem) return answer(bodyProblem);
    const def = METHODS.get(method);
    if (!def) return answer(fail('unknown_method'));
    if (!tokenValue) return answer(fail('not_authed'));
    const token = this.tokens.get(tokenValue);
    if (!token) return answer(fail('invalid_auth'));
    const allowed = def.tokenTypes ?? ['bot', 'user'];
    if (!allowed.includes(token.type)) return answer(fail('not_allowed_token_type'));

    const accepted = typeof def.scopes === 'function' ? def.scopes(args, this.ws) : def.scopes;
    const headers = { 'x-oauth-scopes': token.scopes.join(','), 'x-accepted-oauth-scopes': accepted.join(',') };
    if (accepted.length > 0 && !accepted.some((s) => token.scopes.includes(s))) {
      return answer(missingScope(token, accepted[0] ?? ''), headers);
    }
    if (jsonProblem) return answer(jsonProblem, headers);
    const missing = missingRequired(def, args);
    if (missing.length > 0) return answer(invalidArguments(missing.map((f) => `missing required field: ${f}`)), headers);
    try {
      return answer(def.handle({ args, ws: this.ws, token, services: this.services }), headers);
    } catch (error) {
      console.error(`fake-slack: ${method} threw`, error);
      return answer(fail('fatal_error'), headers);
    }
  }

  private record(entry: { method: string; args: Args; token: string | undefined; at: number; outcome: Outcome }): void {
    const { outcome } = entry;
    const body = outcome.body;
    const call: RecordedCall = {
      method: entry.method,
      args: entry.args,
      token: entry.token,
      at: entry.at,
      seq: this.ws.nextSeq(),
      ok: typeof body !== 'string' && body.ok === true,
      status: outcome.status,
      response: body,
    };
    if (typeof body === 'string') call.error = `http_${outcome.status}`;
    else if (!body.ok && typeof body.error === 'string') call.error = body.error;
    if (outcome.fault) call.fault = outcome.fault;
    this.calls.push(call);
  }
}

function faultOutcome(fault: Exclude<Failure, { delayMs: number }>): Outcome {
  if ('error' in fault) return { status: 200, body: fail(fault.error), fault };
  if (fault.status === 429) {
    return { status: 429, body: fail('ratelimited'), headers: { 'retry-after': String(fault.retryAfter) }, fault };
  }
  return { status: 500, body: 'Internal Server Error: the fake was asked to fail this call', fault };
}

/** Decodes the JSON-valued arguments in place; the first one that is not JSON decides the error. */
function decodeJsonArgs(args: Args): SlackResponse | undefined {
  let problem: SlackResponse | undefined;
  for (const [key, error] of Object.entries(JSON_ARGS)) {
    const value = args[key];
    if (typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      problem ??= error();
    }
  }
  return problem;
}

function missingRequired(def: MethodDef, args: Args): string[] {
  return (def.required ?? []).filter((field) => args[field] === undefined || args[field] === null);
}
