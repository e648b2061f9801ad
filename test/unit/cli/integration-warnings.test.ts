/**
 * `rota check` and `config check` warn about integrations whose alerts would page nobody: a service they reach
 * has no escalation policy (both commands: the file's shape says so), or its policy has nobody on call at any
 * level, now or for a stretch of the next 12 weeks (rota check, which looks at the rotas).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/commands.ts';
import { tempDir } from '../../support/db.ts';

const NOW = Date.parse('2026-11-24T10:00:00Z');

/**
 * api pages ops (from 7 Dec) then nights (from 30 Nov): nobody until 30 Nov 09:00. web pages ops only: nobody
 * until 7 Dec 09:00. ops-backed payments has a person at level 2: never silent. docs has no policy.
 */
const FILE = `timezone: Europe/London
services:
  - { id: api, name: API, escalation_policy: api }
  - { id: web, name: Web, escalation_policy: web }
  - { id: payments, name: Payments, escalation_policy: payments }
  - { id: docs, name: Docs }
schedules:
  - id: ops
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-12-07, participants: [U01ALICE] }
  - id: nights
    rotation: { kind: daily, handoff: "09:00", start: 2026-11-30, participants: [U01BOB] }
escalation_policies:
  - id: api
    levels:
      - { targets: [schedule:ops], timeout: 5m }
      - { targets: [schedule:nights], timeout: 5m }
  - id: web
    levels:
      - { targets: [schedule:ops], timeout: 5m }
  - id: payments
    levels:
      - { targets: [schedule:ops], timeout: 5m }
      - { targets: [user:U01MANAGER], timeout: 5m }
integrations:
  - id: am
    kind: alertmanager
    service: api
    secret_env: AM_TOKEN
    routes:
      - { match: { team: web }, service: web }
      - { match: { team: docs }, service: docs }
      - { match: { team: docs-eu }, service: docs }
      - { match: { team: pay }, service: payments }
  - { id: uptime, kind: generic, service: docs, secret_env: UPTIME_TOKEN }
`;

let tmp: ReturnType<typeof tempDir>;
let file: string;
beforeEach(() => {
  tmp = tempDir();
  file = join(tmp.dir, 'klaxon.yml');
  writeFileSync(file, FILE);
});
afterEach(() => tmp.remove());

const cli = (...argv: string[]) => runCli(argv, { KLAXON_CONFIG: file }, NOW);
const warningsOf = async (...argv: string[]) => (JSON.parse((await cli(...argv, '--json')).out) as { warnings: { kind: string; message: string }[] }).warnings.filter((w) => w.kind.startsWith('integration-'));

describe('integrations whose alerts page nobody', () => {
  it('config check: the services without a policy they reach, once per integration and service, with the rules that lead there', async () => {
    const expected = [
      { kind: 'integration-without-policy', message: 'integration am: its alerts routed to docs (team=docs; team=docs-eu) page nobody: service docs has no escalation policy' },
      { kind: 'integration-without-policy', message: 'integration uptime: its alerts for docs page nobody: service docs has no escalation policy' },
    ];
    expect(await warningsOf('config', 'check')).toEqual(expected);
    const text = await cli('config', 'check', '--strict');
    expect(text).toMatchObject({ code: 1, stdout: true });
    expect(text.out).toContain('  ! integration uptime: its alerts for docs page nobody: service docs has no escalation policy\n');
  });

  it('rota check: those too, and the stretches in which a policy they reach has nobody on call at any level', async () => {
    expect(await warningsOf('rota', 'check')).toEqual([
      { kind: 'integration-without-policy', message: 'integration am: its alerts routed to docs (team=docs; team=docs-eu) page nobody: service docs has no escalation policy' },
      { kind: 'integration-without-policy', message: 'integration uptime: its alerts for docs page nobody: service docs has no escalation policy' },
      { kind: 'integration-pages-nobody', message: 'integration am: its alerts for api would page nobody for 5d 23h in the next 12 weeks (1 stretch, the first starting right now): no level of escalation policy api has anyone on call then' },
      { kind: 'integration-pages-nobody', message: 'integration am: its alerts routed to web (team=web) would page nobody for 12d 23h in the next 12 weeks (1 stretch, the first starting right now): no level of escalation policy web has anyone on call then' },
    ]);
    // From 1 December only ops is still empty (until 7 December): web's alerts, but no longer api's.
    expect((await warningsOf('rota', 'check', '--at', '2026-12-01T10:00')).map((w) => w.message)).toContain(
      'integration am: its alerts routed to web (team=web) would page nobody for 5d 23h in the next 12 weeks (1 stretch, the first starting at Tue 1 Dec 2026 10:00 GMT): no level of escalation policy web has anyone on call then',
    );
    expect((await warningsOf('rota', 'check', '--at', '2026-12-01T10:00')).some((w) => w.message.includes('alerts for api'))).toBe(false);
  });

  it('says "right now or in the next 12 weeks" when a policy has nobody on call at any time of them', async () => {
    writeFileSync(file, FILE.replace('start: 2026-12-07', 'start: 2027-06-07').replace('start: 2026-11-30', 'start: 2026-11-01'));
    const messages = (await warningsOf('rota', 'check')).map((w) => w.message);
    expect(messages).toContain('integration am: its alerts routed to web (team=web) page nobody right now or in the next 12 weeks: no level of escalation policy web has anyone on call');
    expect(messages.some((m) => m.includes('alerts for api'))).toBe(false);
  });

  it('has nothing to say of a file whose integrations all page someone', async () => {
    writeFileSync(file, `services:\n  - { id: api, name: API, escalation_policy: api }\nescalation_policies:\n  - id: api\n    levels:\n      - { targets: [user:U01MANAGER], timeout: 5m }\nintegrations:\n  - { id: am, kind: alertmanager, service: api, secret_env: AM_TOKEN }\n`);
    expect(await cli('rota', 'check', '--strict')).toMatchObject({ code: 0, out: expect.stringContaining('No warnings.') });
    expect(await cli('config', 'check', '--strict')).toMatchObject({ code: 0 });
  });
});
