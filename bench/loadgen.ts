/**
 * Open-loop load: request i is due at t0 + i/rate and its latency is measured from that due time, so queueing
 * is not hidden. Sends signed /incident declare commands over keep-alive connections on loopback, then prints
 * one JSON line of results. Bounded: it stops after --warmup + --seconds.
 *
 *   tsx bench/loadgen.ts --url http://127.0.0.1:3000/slack/events --rate 200 --seconds 20 --warmup 2 \
 *     --secret s --response-urls urls.json --out result.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { signedHeaders } from '../test/support/sign.ts';
import { slashCommandBody } from '../test/support/slack-requests.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    secret: { type: 'string' },
    'response-urls': { type: 'string' },
    out: { type: 'string' },
    label: { type: 'string', default: 'run' },
  },
});
const url = new URL(values.url!);
const rate = Number(values.rate);
const total = Math.round(rate * (Number(values.seconds) + Number(values.warmup)));
const warmupCount = Math.round(rate * Number(values.warmup));
const responseUrls = JSON.parse(readFileSync(values['response-urls']!, 'utf8')) as string[];
const agent = new Agent({ keepAlive: true, maxSockets: 32 });

export interface Sample {
  i: number;
  dueAt: number;
  latencyMs: number;
  status: number;
  incident?: number;
}

function send(i: number, dueAt: number): Promise<Sample> {
  const body = slashCommandBody({ text: `declare sev3 Bench incident ${values.label} ${i}`, userId: 'U01ALICE', channelId: 'C0GENERAL', responseUrl: responseUrls[i % responseUrls.length]!, triggerId: `bench.${i}` });
  const headers = signedHeaders(values.secret!, body, 'application/x-www-form-urlencoded');
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const latencyMs = performance.timeOrigin + performance.now() - dueAt;
        const match = /INC-(\d+)/.exec(Buffer.concat(chunks).toString());
        resolve({ i, dueAt, latencyMs, status: res.statusCode ?? 0, ...(match ? { incident: Number(match[1]) } : {}) });
      });
    });
    req.on('error', () => resolve({ i, dueAt, latencyMs: Number.NaN, status: 0 }));
    req.end(body);
  });
}

const t0 = performance.timeOrigin + performance.now() + 100;
const pending: Promise<Sample>[] = [];
for (let i = 0; i < total; i += 1) {
  const dueAt = t0 + (i * 1000) / rate;
  const wait = dueAt - (performance.timeOrigin + performance.now());
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait - 0.5));
  while (performance.timeOrigin + performance.now() < dueAt) {
    // spin the last half millisecond so requests leave on time
  }
  pending.push(send(i, dueAt));
}
const samples = (await Promise.all(pending)).slice(warmupCount);
agent.destroy();
writeFileSync(values.out!, JSON.stringify(samples));
console.log(JSON.stringify({ label: values.label, sent: samples.length, errors: samples.filter((s) => s.status !== 200).length }));
