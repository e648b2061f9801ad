/**
 * Who-is-on-call lookups: the direct computation of oncall/rota.ts against the precomputed handoff table
 * of oncall/handoff-table.ts, on one realistic schedule (10 participants on a daily Europe/London rota, 50
 * Slack overrides, some overlapping) over the next 12 weeks.
 *
 * Both answer the same 300,000 random instants inside the table's window; every answer is compared (the
 * disagreement count must be 0). Also reports how long building the table takes.
 *
 *   npm run bench:rota -- [--lookups 300000] [--weeks 12] [--rounds 5] [--seed 42]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDateTimeInZone } from '../src/core/wall-clock.ts';
import { buildHandoffTable } from '../src/rotas/handoff-table.ts';
import type { HandoffTable } from '../src/rotas/handoff-table.ts';
import { whoIsOnCall } from '../src/rotas/rota.ts';
import type { OnCall, Override, Schedule } from '../src/rotas/rota.ts';
import { seededRandom } from './seeded-random.ts';

const { values } = parseArgs({ options: { lookups: { type: 'string', default: '300000' }, weeks: { type: 'string', default: '12' }, rounds: { type: 'string', default: '5' }, seed: { type: 'string', default: '42' } } });
const LOOKUPS = Number(values.lookups);
const WEEKS = Number(values.weeks);
const ROUNDS = Number(values.rounds);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const rand = seededRandom(Number(values.seed));

const from = Math.floor(Date.now() / HOUR) * HOUR;
const to = from + WEEKS * 7 * DAY;
const participants = Array.from({ length: 10 }, (_, i) => `U0PERSON${i}`);
const overrides: Override[] = Array.from({ length: 50 }, (_, i): Override => {
  const start = from + Math.floor(rand() * (to - from) / (15 * 60_000)) * 15 * 60_000;
  const length = Math.ceil(rand() * 72) * HOUR;
  const userId = rand() < 0.8 ? participants[Math.floor(rand() * participants.length)]! : 'U0COVER';
  return { userId, from: start, to: start + length, source: 'slack', id: i + 1, createdBy: 'U0LEAD' };
}).sort((a, b) => a.from - b.from);
const schedule: Schedule = {
  id: 'bench',
  timeZone: 'Europe/London',
  rotation: { kind: 'daily', handoff: '09:00', start: new Date(from - 30 * DAY).toISOString().slice(0, 10), participants },
  overrides,
};
const instants = Float64Array.from({ length: LOOKUPS }, () => from + Math.floor(rand() * (to - from)));

function timeBuild(): { ms: number; table: HandoffTable } {
  const t0 = performance.now();
  const table = buildHandoffTable(schedule, from, to);
  return { ms: performance.now() - t0, table };
}

/** Looks every instant up and keeps the answers; returns lookups per second. */
function timeLookups(lookup: (at: number) => OnCall | undefined, answers: (OnCall | undefined)[]): number {
  const t0 = performance.now();
  for (let i = 0; i < instants.length; i++) answers[i] = lookup(instants[i]!);
  return instants.length / ((performance.now() - t0) / 1000);
}

const same = (a: OnCall | undefined, b: OnCall | undefined): boolean => a?.userId === b?.userId && a?.start === b?.start && a?.end === b?.end && a?.override === b?.override;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Warm up both paths (JIT, Intl formatter caches) before measuring.
const warm = timeBuild().table;
for (let i = 0; i < 20_000; i++) {
  whoIsOnCall(schedule, instants[i % instants.length]!);
  warm.whoIsOnCall(instants[i % instants.length]!);
}

const builds = Array.from({ length: 20 }, () => timeBuild().ms);
const table = buildHandoffTable(schedule, from, to);
const direct: (OnCall | undefined)[] = new Array(instants.length);
const tabled: (OnCall | undefined)[] = new Array(instants.length);
const directRates: number[] = [];
const tableRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  directRates.push(timeLookups((at) => whoIsOnCall(schedule, at), direct));
  tableRates.push(timeLookups((at) => table.whoIsOnCall(at), tabled));
}
let disagreements = 0;
for (let i = 0; i < instants.length; i++) if (!same(direct[i], tabled[i])) disagreements += 1;

const report = {
  date: new Date().toISOString(),
  node: process.version,
  window: { from: formatDateTimeInZone(from, schedule.timeZone), to: formatDateTimeInZone(to, schedule.timeZone) },
  participants: participants.length,
  overrides: overrides.length,
  lookups: LOOKUPS,
  rounds: ROUNDS,
  buildMs: { median: median(builds), min: Math.min(...builds) },
  directPerSecond: { median: median(directRates), best: Math.max(...directRates) },
  tablePerSecond: { median: median(tableRates), best: Math.max(...tableRates) },
  disagreements,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync(join('bench/results', `rota-${report.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(report, null, 2)}\n`);

const rate = (n: number): string => `${Math.round(n).toLocaleString('en-GB')}/s`;
console.log(`schedule: ${participants.length} participants, ${overrides.length} overrides, ${report.window.from} → ${report.window.to}`);
console.log(`table build: ${report.buildMs.median.toFixed(2)} ms median (min ${report.buildMs.min.toFixed(2)} ms) over 20 builds`);
console.log(`\n| path | lookups/s (median of ${ROUNDS}) | best |`);
console.log('| --- | --- | --- |');
console.log(`| direct whoIsOnCall | ${rate(report.directPerSecond.median)} | ${rate(report.directPerSecond.best)} |`);
console.log(`| handoff table | ${rate(report.tablePerSecond.median)} | ${rate(report.tablePerSecond.best)} |`);
console.log(`\nspeed-up: ${(report.tablePerSecond.median / report.directPerSecond.median).toFixed(0)}×; disagreements: ${disagreements} of ${LOOKUPS.toLocaleString('en-GB')}`);
if (disagreements !== 0) process.exitCode = 1;
