/**
 * `npx klaxon export` on a real, migrated database: an incident declared, changed and annotated through the use
 * cases is written out as Markdown (times in the asked zone, people's words kept) and JSON, and each failure is
 * one line with its exit code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { Scheduler } from '../../src/core/scheduler/index.ts';
import { declareIncident, DEFAULT_REMINDER_INTERVALS, incidentChanges } from '../../src/incidents/index.ts';
import { addNote, addTimelineEvent } from '../../src/timeline/index.ts';
import { newForm, savePostmortem } from '../../src/postmortems/index.ts';
import { PAGE_CSS } from '../../src/web/page.ts';
import { FakeClock } from '../support/clock.ts';
import { testDatabase } from '../support/db.ts';

const DECLARED = Date.parse('2026-11-23T14:05:00Z');
let database: ReturnType<typeof testDatabase>;

beforeEach(async () => {
  database = testDatabase();
  const clock = new FakeClock(DECLARED);
  const scheduler = new Scheduler({ db: database.db, clock, logger: silentLogger });
  const deps = { db: database.db, clock, scheduler, services: [{ id: 'payments', name: 'Payments API', runbook_tags: [] }], reminderIntervals: DEFAULT_REMINDER_INTERVALS, admins: [], addTimelineEvent };
  await declareIncident(deps, { title: 'Checkout | returns 502', severity: 'sev2', serviceId: 'payments', summary: '', isPrivate: false }, 'U01ALICE', {});
  await clock.advance(10 * 60_000);
  await addNote(deps, 1, 'Error rate 40% <script>', 'U01BOB');
  await clock.advance(5 * 60_000);
  const changes = incidentChanges({ ...deps, requirePerson: () => Promise.resolve() });
  await changes.changeStatus(1, 'identified', 'U01ALICE', 'bad deploy');
  await clock.advance(20 * 60_000);
  await changes.resolve(1, 'Rolled back 4.2', 'U01ALICE');
});
afterEach(() => database.remove());

const cli = (...argv: string[]) => runCli(argv, { KLAXON_DB: database.file, KLAXON_CONFIG: '/nonexistent/klaxon.yml' }, DECLARED + 3_600_000);

describe('export', () => {
  it('writes the incident and its timeline as Markdown, in the asked time zone', async () => {
    const result = await cli('export', 'INC-1', '--tz', 'America/New_York');
    expect(result.code).toBe(0);
    expect(result.out).toContain('# INC-1: Checkout \\| returns 502');
    expect(result.out).toContain('- Resolved: Mon 23 Nov 2026 09:40 EST: Rolled back 4.2');
    expect(result.out).toContain('- Impact: Mon 23 Nov 2026 09:05 EST to Mon 23 Nov 2026 09:40 EST, 35m');
    const rows = result.out.split('\n').filter((line) => line.startsWith('| 09:'));
    expect(rows).toEqual([
      '| 09:05 | @U01ALICE | Declared | Checkout \\| returns 502 |',
      '| 09:15 | @U01BOB | Note | Error rate 40% &lt;script> |',
      '| 09:20 | @U01ALICE | Status | Investigating → Identified: bad deploy |',
      '| 09:40 | @U01ALICE | Resolved | Rolled back 4.2 |',
    ]);
  });

  it('writes JSON with UTC times to a file', async () => {
    const out = join(database.file, '..', 'inc-1.json');
    const result = await cli('export', 'inc-1', '--format', 'json', '--out', out);
    expect(result).toEqual({ code: 0, out: `INC-1: written to ${out} (json, 4 timeline entries)` });
    const json = JSON.parse(readFileSync(out, 'utf8')) as { incident: { ref: string; resolvedAt: string }; timeline: { kind: string; at: string; text: string }[] };
    expect(json.incident).toMatchObject({ ref: 'INC-1', resolvedAt: '2026-11-23T14:40:00.000Z' });
    expect(json.timeline.map((e) => e.kind)).toEqual(['declared', 'note', 'status_changed', 'resolved']);
    expect(json.timeline[1]).toMatchObject({ at: '2026-11-23T14:15:00.000Z', text: 'Error rate 40% <script>' });
  });

  it('writes the post-mortem instead once there is one, as Markdown, HTML or JSON with its problem ticket', async () => {
    const deps = { db: database.db, clock: new FakeClock(DECLARED + 7_200_000), scheduler: new Scheduler({ db: database.db, clock: new FakeClock(), logger: silentLogger }), timeZone: 'UTC' };
    const form = { ...newForm('Checkout | returns 502'), summary: 'Pool exhausted.', whys: ['Checkout fails', 'Pool exhausted', '', '', ''], actions: [{ what: 'Raise the pool', ownerId: 'U01BOB', due: '2026-12-01' }] };
    expect(await savePostmortem({ ...deps, problems: deps }, 1, form, 'U01CAROL')).toMatchObject({ state: 'complete', problemId: 1 });
    database.sqlite.prepare("UPDATE postmortems SET document = '# Post-mortem: INC-1 Checkout\n\n<script>x</script>' WHERE incident_id = 1").run();
    expect((await cli('export', 'INC-1')).out).toBe('# Post-mortem: INC-1 Checkout\n\n<script>x</script>');
    const html = (await cli('export', 'INC-1', '--format', 'html')).out;
    expect(html).toContain('<title>Post-mortem INC-1: Checkout | returns 502 · Klaxon</title>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    // It stands alone opened from disk: the stylesheet is inside it, not a path on Klaxon's server.
    expect(html).toContain(`<style>\n${PAGE_CSS}</style>`);
    expect(html).not.toContain('<link rel="stylesheet"');
    const json = JSON.parse((await cli('export', 'INC-1', '--format', 'json')).out) as { postmortem: { state: string; form: { summary: string } }; problems: { ref: string; owner: string }[] };
    expect(json.postmortem).toMatchObject({ state: 'complete', form: { summary: 'Pool exhausted.' } });
    expect(json.problems).toEqual([expect.objectContaining({ ref: 'PRB-1', owner: 'U01BOB' })]);
  });

  it('fails with one line and its exit code', async () => {
    expect(await cli('export', 'INC-9')).toEqual({ code: 1, out: `klaxon: export: there is no INC-9 in ${database.file}` });
    expect((await cli('export', 'nine')).code).toBe(2);
    expect((await cli('export', 'INC-1', '--format', 'pdf')).out).toContain('--format must be md, html or json');
    expect((await runCli(['export', 'INC-1'], { KLAXON_DB: '/nonexistent/k.db' })).code).toBe(1);
    expect((await cli('export', '--help')).out).toContain('Usage: npx klaxon export INC-n');
  });
});
