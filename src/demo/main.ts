/**
 * `npm run demo`: Klaxon without a Slack workspace. Starts the simulated Slack and a real Klaxon, plays a whole
 * incident from declaration to problem ticket, prints what each person saw, leaves the post-mortem readable
 * at a local address and as files under ./demo-output/, then keeps serving the simulator's page so a person can
 * go on as the seeded users. `--once` stops after the scripted incident. `--db` (or KLAXON_DB) names another
 * database, a SQLite file or a Postgres URL, which must be new or empty.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../core/errors.ts';
import { getIncident, parseIncidentRef } from '../incidents/index.ts';
import { postmortemPageHtml } from '../postmortems/index.ts';
import { formatTranscript, transcriptLines } from '../simulator/transcript.ts';
import { playIncident } from './scenario.ts';
import { startDemoWorld } from './world.ts';

const USAGE = `Usage: npm run demo -- [--once] [--output DIR] [--db FILE|POSTGRES-URL] [--port N] [--sim-port N]

  --once        exit after the scripted incident
  --output DIR  where the transcript, the post-mortem, the database and the log go (default ./demo-output)
  --db TARGET   keep the demo's data in this SQLite file or postgres:// database instead (default: KLAXON_DB
                when set, else DIR/klaxon.db, made afresh on every run); it must be new or empty: one
                that holds anything is refused and left untouched, and the demo leaves its rows in it
  --port N      Klaxon's HTTP port (default 3000; 0 picks a free one)
  --sim-port N  the simulator's port, serving /sim (default 3100; 0 picks a free one)`;

interface Options {
  once: boolean;
  outputDir: string;
  port: number;
  simPort: number;
  database?: { target: string; otherwise: string };
}

function options(): Options {
  const { values } = parseArgs({ options: { once: { type: 'boolean' }, output: { type: 'string' }, db: { type: 'string' }, port: { type: 'string' }, 'sim-port': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = (name: string, value: string | undefined, fallback: number): number => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number from 0 to 65535 (got "${value}")`);
    return n;
  };
  const outputDir = resolve(values.output ?? 'demo-output');
  const fresh = join(values.output ?? 'demo-output', 'klaxon.db');
  if (values.db === '') throw new Error('--db needs a SQLite file or a postgres:// URL');
  const target = values.db ?? (process.env.KLAXON_DB || undefined);
  const otherwise = values.db !== undefined ? `pass --db a new file or an empty Postgres database, or leave --db out for a fresh ${fresh}` : `point KLAXON_DB at a new file or an empty Postgres database, or unset it for a fresh ${fresh}`;
  return {
    once: values.once === true,
    outputDir,
    port: port('port', values.port, 3000),
    simPort: port('sim-port', values['sim-port'], 3100),
    ...(target === undefined ? {} : { database: { target, otherwise } }),
  };
}

async function main(): Promise<void> {
  const opts = options();
  const started = Date.now();
  const world = await startDemoWorld(opts);
  console.log(`Klaxon demo: a simulated Slack workspace with ${world.slack.state.users().filter((u) => !u.is_bot).length} people, klaxon.example.yml and the example runbooks.\n`);
  const played = await playIncident(world);
  const transcript = formatTranscript(transcriptLines(world.slack, world.people.actions, played.narration), world.timeZone);
  const postmortemUrl = `${world.klaxonUrl}/postmortems/${played.ref}`;
  const written = await writeOutputs(world, played, transcript, opts.outputDir);

  console.log(transcript);
  console.log(`
── The scripted incident took ${((Date.now() - started) / 1000).toFixed(1)} s (times above are in ${world.timeZone}). ──

Post-mortem:       ${postmortemUrl}
Files:             ${written.map((f) => join(opts.outputDir, f)).join('\n                   ')}
Database:          ${world.databaseName}
Problem ticket:    ${played.problemRef}, owned by ${world.slack.state.user(played.problemOwner)?.name}`);
  if (opts.once) {
    await world.close();
    return;
  }
  console.log(`
The simulator keeps running: open ${world.simUrl}, pick a person and type /incident … (Ctrl-C stops it).`);
  const stop = (): void => void world.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The transcript and the post-mortem as Slack received it; returns the file names written. */
async function writeOutputs(world: Awaited<ReturnType<typeof startDemoWorld>>, played: Awaited<ReturnType<typeof playIncident>>, transcript: string, dir: string): Promise<string[]> {
  writeFileSync(join(dir, 'transcript.txt'), `${transcript}\n`);
  const document = world.slack.state.filesIn(played.channelId).filter((f) => !f.deleted).at(-1);
  if (!document) return ['transcript.txt', 'klaxon.log'];
  writeFileSync(join(dir, `${played.ref}-postmortem.md`), document.content);
  // The page as a file that stands alone when opened from disk: its stylesheet inside it.
  const title = (await getIncident(world.klaxon.database.db, parseIncidentRef(played.ref)!))?.title ?? played.ref;
  writeFileSync(join(dir, `${played.ref}-postmortem.html`), postmortemPageHtml(played.ref, title, document.content, { standalone: true }));
  return ['transcript.txt', `${played.ref}-postmortem.md`, `${played.ref}-postmortem.html`, 'klaxon.log'];
}

main().catch((error: unknown) => {
  const inUse = (error as { code?: string }).code === 'EADDRINUSE';
  console.error(`klaxon demo: ${inUse ? `${errorMessage(error)}: another program uses the port; pass --port and --sim-port (0 picks free ones)` : errorMessage(error)}`);
  process.exit(1);
});
