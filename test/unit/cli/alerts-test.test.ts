/**
 * `npx klaxon alerts test <integration>` through runCli, on a temporary klaxon.yml and no database: what the dry
 * run prints (text and JSON), how `--labels` tries the routes, `--strict`, and its refusals with their exit codes.
 * What it does to a real database (nothing) is checked in test/e2e/alerts-cli.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAlertBody } from '../../../src/alerts/model.ts';
import { runCli } from '../../../src/cli/commands.ts';
import { tempDir } from '../../support/db.ts';

const NOW = Date.parse('2026-11-24T10:00:00Z');

const FILE = `timezone: Europe/London
services:
  - { id: payments, name: Payments API, escalation_policy: payments, alerts_channel: C0PAYALERTS }
  - { id: search, name: Search, escalation_policy: search }
  - { id: docs, name: Docs }
schedules:
  - id: primary
    rotation: { kind: daily, handoff: "09:00", start: 2026-11-01, participants: [U01ALICE, U01BOB] }
  - id: later
    rotation: { kind: daily, handoff: "09:00", start: 2027-01-01, participants: [U01CAROL] }
escalation_policies:
  - id: payments
    repeat: 1
    levels:
      - { targets: [schedule:primary], timeout: 5m }
      - { targets: [user:U01MANAGER], timeout: 10m }
  - id: search
    levels:
      - { targets: [schedule:later], timeout: 5m }
integrations:
  - id: prod-alertmanager
    kind: alertmanager
    service: payments
    secret_env: KLAXON_ALERTS_PROD_TOKEN
    routes:
      - { match: { team: search }, service: search }
      - { match: { team: docs }, service: docs }
      - { match: { severity: warning }, urgency: low }
  - { id: grafana, kind: grafana, service: payments, secret_env: GRAFANA_TOKEN }
  - { id: uptime, kind: generic, service: docs, secret_env: UPTIME_TOKEN }
`;

let tmp: ReturnType<typeof tempDir>;
let env: Record<string, string>;
beforeEach(() => {
  tmp = tempDir();
  writeFileSync(join(tmp.dir, 'klaxon.yml'), FILE);
  env = { KLAXON_CONFIG: join(tmp.dir, 'klaxon.yml'), KLAXON_DB: join(tmp.dir, 'no-such.db') };
});
afterEach(() => tmp.remove());

const cli = (...argv: string[]) => runCli(argv, env, NOW);

describe('alerts test', () => {
  it('prints the alert as read, where it routes and is posted, and who each level pages, and records nothing', async () => {
    const run = await cli('alerts', 'test', 'prod-alertmanager');
    expect(run).toMatchObject({ code: 0, stdout: true });
    expect(run.out.split('\n')).toEqual([
      'Dry run: a sample Alertmanager alert from prod-alertmanager, firing at Tue 24 Nov 2026 10:00 GMT',
      `Read and routed as POST /alerts/prod-alertmanager would; nothing recorded, nobody paged (overrides made in Slack not included: no database at ${env.KLAXON_DB})`,
      '',
      '  title    Test alert from npx klaxon alerts test: nothing is wrong',
      '  labels   alertname=KlaxonTestAlert instance=klaxon-test.example.com:9100 job=klaxon-test service=payments severity=critical',
      '  links    source     http://prometheus.example.com:9090/graph?g0.expr=vector%281%29&g0.tab=1',
      '           runbook    https://runbooks.example.com/klaxon-test-alert',
      "  service  payments (Payments API): no route matched, so the integration's service",
      '  urgency  high: from severity=critical',
      "  channel  C0PAYALERTS (the service's alerts_channel)",
      '  policy   payments: 2 levels, repeats once',
      '',
      '  +0m  Tue 24 Nov 2026 10:00 GMT  level 1  schedule:primary  U01BOB',
      '  +5m  Tue 24 Nov 2026 10:05 GMT  level 2  user:U01MANAGER   U01MANAGER',
      '',
      'It would page U01BOB at once (level 1); unacknowledged, the policy is exhausted after 30m (npx klaxon page-trace payments shows every step).',
    ]);
  });

  it('--labels tries the routes: a route naming a service, one setting the urgency, and a label left out', async () => {
    const search = (await cli('alerts', 'test', 'prod-alertmanager', '--labels', 'team=search', '--at', '2026-11-24T10:00', '--no-db')).out;
    expect(search).toContain('  service  search (Search): routes[0] (team=search) matched\n');
    expect(search).toContain('  channel  none: search has no alerts_channel and INCIDENTS_CHANNEL is not set, so its message is posted nowhere\n');
    expect(search).toContain('  +0m  Tue 24 Nov 2026 10:00 GMT  level 1  schedule:later  nobody  !! pages nobody (escalates at once)\n');
    expect(search.split('\n').at(-1)).toBe('!! It would page nobody: no level of escalation policy search has anyone on call at Tue 24 Nov 2026 10:00 GMT.');
    const warning = (await cli('alerts', 'test', 'prod-alertmanager', '--labels=severity=warning')).out;
    expect(warning).toContain("  service  payments (Payments API): routes[2] (severity=warning) matched and keeps the integration's service\n");
    expect(warning).toContain('  urgency  low: set by routes[2] (severity=warning)\n');
    const none = (await cli('alerts', 'test', 'prod-alertmanager', '--labels', 'severity=')).out;
    expect(none).toContain('  labels   alertname=KlaxonTestAlert instance=klaxon-test.example.com:9100 job=klaxon-test service=payments\n');
    expect(none).toContain('  urgency  high: the alert has no severity label\n');
  });

  it('posts in INCIDENTS_CHANNEL when the service has no alerts_channel', async () => {
    env.INCIDENTS_CHANNEL = 'C0INCIDENTS';
    expect((await cli('alerts', 'test', 'prod-alertmanager', '--labels', 'team=search')).out).toContain('  channel  C0INCIDENTS (INCIDENTS_CHANNEL: search has no alerts_channel)\n');
  });

  it('--strict exits 1 when the alert would page nobody (a service without a policy), and 0 when someone is paged', async () => {
    const docs = await cli('alerts', 'test', 'uptime', '--strict');
    expect(docs).toMatchObject({ code: 1, stdout: true });
    expect(docs.out).toContain('Dry run: a sample generic alert from uptime');
    expect(docs.out).toContain('  policy   none: service docs has no escalation policy\n');
    expect(docs.out.split('\n').at(-1)).toBe('!! It would page nobody: service docs has no escalation policy (the alert would still be recorded): failing because of --strict.');
    expect((await cli('alerts', 'test', 'uptime')).code).toBe(0);
    expect((await cli('alerts', 'test', 'grafana', '--strict')).code).toBe(0);
  });

  it('--json gives the dry run as data, with the body its source would send', async () => {
    const run = await cli('alerts', 'test', 'grafana', '--json', '--at', '2026-11-24T12:00Z');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.out) as { body: unknown; steps: { position: string; targets: { userIds: string[] }[] }[] } & Record<string, unknown>;
    expect(json).toMatchObject({
      dryRun: true,
      integration: 'grafana',
      kind: 'grafana',
      at: '2026-11-24T12:00:00.000Z',
      slackOverrides: null,
      alert: { title: 'Test alert from npx klaxon alerts test: nothing is wrong', status: 'firing', labels: { grafana_folder: 'Klaxon', service: 'payments' }, dashboardUrl: 'https://grafana.example.com/d/klaxon-test?orgId=1&viewPanel=1' },
      route: { matched: null, match: null, service: 'payments', serviceName: 'Payments API', urgency: 'high', urgencyFrom: 'severity' },
      channel: { id: 'C0PAYALERTS', from: 'alerts_channel' },
      policy: 'payments',
      exhaustedAt: '2026-11-24T12:30:00.000Z',
      pagesNobody: false,
      ok: true,
    });
    expect(json.steps.map((s) => [s.position, s.targets.flatMap((t) => t.userIds)])).toEqual([
      ['level 1', ['U01BOB']],
      ['level 2', ['U01MANAGER']],
      ['level 1, repeat 1', ['U01BOB']],
      ['level 2, repeat 1', ['U01MANAGER']],
    ]);
    // The body is what Grafana would post: the webhook's parser takes it.
    expect(parseAlertBody('grafana', json.body).ok).toBe(true);
  });

  it('refuses an unknown integration (exit 1, listing the known ones) and malformed arguments (exit 2)', async () => {
    expect(await cli('alerts', 'test', 'nope')).toEqual({ code: 1, out: 'klaxon: unknown integration "nope" (known: prod-alertmanager, grafana, uptime)' });
    expect(await cli('alerts', 'test')).toEqual({ code: 2, out: 'klaxon: alerts test: missing <integration>; see npx klaxon alerts test --help' });
    expect(await cli('alerts', 'test', 'grafana', '--labels', 'team')).toEqual({ code: 2, out: 'klaxon: alerts test: --labels "team": "team" is not a label such as team=search (names: letters, digits and _, not starting with a digit); see npx klaxon alerts test --help' });
    expect(await cli('alerts', 'test', 'grafana', '--labels', '1x=y')).toMatchObject({ code: 2 });
    expect(await cli('alerts', 'test', 'grafana', '--at', 'soon')).toMatchObject({ code: 2, out: expect.stringMatching(/^klaxon: alerts test: --at "soon" is not a time/) });
    writeFileSync(env.KLAXON_CONFIG!, 'services: []\n');
    expect(await cli('alerts', 'test', 'grafana')).toEqual({ code: 1, out: 'klaxon: unknown integration "grafana" (klaxon.yml lists no integrations: add one under integrations:, README.md "Alerts from monitoring" shows how)' });
    expect(await runCli(['alerts', 'test', 'grafana'], { KLAXON_CONFIG: join(tmp.dir, 'missing.yml') }, NOW)).toEqual({ code: 1, out: `klaxon: ${join(tmp.dir, 'missing.yml')}: not found` });
  });

  it('is its own command beside `alerts`, in help and in usage errors', async () => {
    expect((await cli('help')).out).toMatch(/^ {2}alerts test <integration> \[--at TIME\] +a dry run: where an integration's alert would go/m);
    expect((await cli('alerts', 'test', '--help')).out).toMatch(/^Usage: npx klaxon alerts test <integration>/);
    expect((await cli('help', 'alerts', 'test')).out).toBe((await cli('alerts', 'test', '-h')).out);
    expect((await cli('alerts', '--help')).out).toMatch(/^Usage: npx klaxon alerts \[--json\]/);
    expect(await cli('alerts', 'tset')).toEqual({ code: 2, out: 'klaxon: alerts: unexpected argument "tset"; see npx klaxon alerts --help' });
  });
});
