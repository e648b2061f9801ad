/**
 * Open-loop load of signed `/incident <text>`
 * slash commands ({inc} in --text cycles through INC numbers 1..--incidents) (request i is due at t0 + i/rate; latency is measured from that due time, so queueing is not
 * hidden), over up to 32 keep-alive connections on loopback. `{i}` in --text becomes the request's number.
 * With --start-at (epoch ms) the recorded requests start exactly then, after --warmup seconds of unrecorded ones.
 * Writes the recorded samples to --out and prints one JSON line. Bounded: it stops after --warmup + --seconds.
 *
 *   tsx bench/loadgen.ts --url http://127.0.0.1:3000/slack/events --text help --rate 200 --seconds 60 \
 *     --warmup 2 [--start-at 1790000000000] --secret s --response-urls urls.json --out result.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { signedHeaders } from '../src/simulator/sign.ts';
import { slashCommandBody } from '../src/simulator/requests.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    text: { type: 'string', default: 'declare sev3 Bench incident {label} {i}' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    'start-at': { type: 'string' },
    secret: { type: 'string' },
    'response-urls': { type: 'string' },
    out: { type: 'string' },
    label: { type: 'string', default: 'run' },
    incidents: { type: 'string', default: '1' },
  },
});
const url = new URL(values.url!);
const rate = Number(values.rate);
const warmupMs = Number(values.warmup) * 1000;
const total = Math.round(rate * (Number(values.seconds) + Number(values.warmup)));
const warmupCount = Math.round(rate * Number(values.warmup));
const responseUrls = JSON.parse(readFileSync(values['response-urls']!, 'utf8')) as string[];
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const now = (): number => performance.timeOrigin + performance.now();

export interface Sample {
  i: number;
  dueAt: number;
  latencyMs: number;
  status: number;
  incident?: number;
  /** Why a request failed: the connection's error, or the status and the start of the body. */
  failure?: string;
}


function send(i: number, dueAt: number): Promise<Sample> {
  const text = values.text.replaceAll('{label}', String(values.label)).replaceAll('{i}', String(i)).replaceAll('{inc}', String((i % Number(values.incidents)) + 1));
  // trigger_ids are unique per invocation in Slack (a repeated one is a replay, and answered as such).
  const body = slashCommandBody({ text, userId: 'U01ALICE', channelId: 'C0GENERAL', responseUrl: responseUrls[i % responseUrls.length]!, triggerId: `bench.${values.label}.${i}` });
  const headers = signedHeaders(values.secret!, body, 'application/x-www-form-urlencoded');
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const latencyMs = now() - dueAt;
        const text = Buffer.concat(chunks).toString();
        const match = /INC-(\d+)/.exec(text);
        const status = res.statusCode ?? 0;
        resolve({ i, dueAt, latencyMs, status, ...(match ? { incident: Number(match[1]) } : {}), ...(status === 200 ? {} : { failure: `HTTP ${status}: ${text.slice(0, 200)}` }) });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ i, dueAt, latencyMs: Number.NaN, status: 0, failure: `${error.code ?? 'error'}: ${error.message}` }));
    req.end(body);
  });
}

const t0 = values['start-at'] ? Number(values['start-at']) - warmupMs : now() + 100;
if (t0 < now()) throw new Error(`--start-at is too close: the warm-up would have started ${(now() - t0).toFixed(0)} ms ago`);
const pending: Promise<Sample>[] = [];
for (let i = 0; i < total; i += 1) {
  const dueAt = t0 + (i * 1000) / rate;
  const wait = dueAt - now();
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait - 0.5));
  while (now() < dueAt) {
    // spin the last half millisecond so requests leave on time
  }
  pending.push(send(i, dueAt));
}
const samples = (await Promise.all(pending)).slice(warmupCount);
agent.destroy();
writeFileSync(values.out!, JSON.stringify(samples));
console.log(JSON.stringify({ label: values.label, sent: samples.length, errors: samples.filter((s) => s.status !== 200).length }));
