/**
 * `npx klaxon alerts test`'s pure part: a sample body of each integration kind, shaped as the recorded bodies in
 * test/fixtures/alerts/ are, read by the webhook's parser; and the dry run that routes it, finds its channel and
 * traces who its escalation would page.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertDryRun, parseAlertBody, sampleAlertBody, SAMPLE_TITLE, type AlertKind } from '../../../src/alerts/model.ts';
import { parseKlaxonFile } from '../../../src/core/config.ts';

const AT = Date.parse('2026-11-24T10:00:00Z');

const FILE = parseKlaxonFile(
  `timezone: Europe/London
services:
  - { id: payments, name: Payments API, escalation_policy: payments, alerts_channel: C0PAYALERTS }
  - { id: search, name: Search, escalation_policy: search }
  - { id: docs, name: Docs }
schedules:
  - id: primary
    rotation: { kind: daily, handoff: "09:00", start: 2026-11-01, participants: [U01ALICE] }
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
  - id: am
    kind: alertmanager
    service: payments
    secret_env: AM_TOKEN
    routes:
      - { match: { team: search }, service: search }
      - { match: { team: docs }, service: docs }
      - { match: { severity: warning }, urgency: low }
  - { id: grafana, kind: grafana, service: payments, secret_env: GRAFANA_TOKEN }
  - { id: uptime, kind: generic, service: payments, secret_env: UPTIME_TOKEN }
`,
  'klaxon.yml',
);

const integration = (id: string) => FILE.integrations.find((i) => i.id === id)!;
const onCall = (scheduleId: string, at: number): string | undefined => (scheduleId === 'primary' ? 'U01ALICE' : scheduleId === 'later' && at >= Date.parse('2027-01-01T09:00:00Z') ? 'U01CAROL' : undefined);
const dryRun = (id: string, labels: Record<string, string> = {}, incidentsChannel?: string) => alertDryRun(FILE, integration(id), AT, { labels, incidentsChannel, onCall });
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../fixtures/alerts/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const keysOf = (body: Record<string, unknown>): string[] => Object.keys(body).sort();
const alertKeysOf = (body: Record<string, unknown>): string[] => Object.keys((body.alerts as Record<string, unknown>[])[0]!).sort();

describe('the sample body of each kind', () => {
  it.each([
    ['alertmanager', 'am', 'alertmanager-real-firing'],
    ['grafana', 'grafana', 'grafana-firing'],
  ] as const)('%s: has the fields of the recorded body, and the parser reads it as a firing alert starting at --at', (kind, id, recorded) => {
    const body = sampleAlertBody(integration(id), AT);
    expect(keysOf(body)).toEqual(keysOf(fixture(recorded)));
    expect(alertKeysOf(body)).toEqual(alertKeysOf(fixture(recorded)));
    const parsed = parseAlertBody(kind, JSON.parse(JSON.stringify(body)));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.batch.alerts).toHaveLength(1);
    expect(parsed.batch.alerts[0]).toMatchObject({ status: 'firing', summary: SAMPLE_TITLE, startsAt: AT, labels: expect.objectContaining({ alertname: 'KlaxonTestAlert', severity: 'critical', service: 'payments' }), runbookUrl: 'https://runbooks.example.com/klaxon-test-alert' });
  });

  it('generic: one alert in the documented format, with a dedup_key, its severity as a field', () => {
    const body = sampleAlertBody(integration('uptime'), AT);
    expect(Object.keys(body).every((key) => Object.keys(fixture('generic-firing')).includes(key))).toBe(true);
    expect(body).toMatchObject({ title: SAMPLE_TITLE, status: 'firing', dedup_key: 'klaxon-test-alert', severity: 'critical', started_at: '2026-11-24T10:00:00.000Z' });
    const parsed = parseAlertBody('generic', body);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.batch.alerts[0]).toMatchObject({ fingerprint: 'klaxon-test-alert', labels: { instance: 'klaxon-test.example.com:9100', job: 'klaxon-test', service: 'payments', severity: 'critical' } });
  });

  it('is refused by a parser of another kind, as the endpoint would refuse it', () => {
    const kinds: AlertKind[] = ['alertmanager', 'grafana'];
    for (const kind of kinds) expect(parseAlertBody(kind === 'alertmanager' ? 'grafana' : 'alertmanager', sampleAlertBody(integration(kind === 'alertmanager' ? 'am' : 'grafana'), AT)).ok).toBe(false);
  });

  it('takes label changes, and leaves out a label given no value', () => {
    const body = sampleAlertBody(integration('am'), AT, { team: 'search', severity: '' }) as { alerts: { labels: Record<string, string> }[]; commonLabels: Record<string, string> };
    expect(body.alerts[0]!.labels).toEqual({ alertname: 'KlaxonTestAlert', instance: 'klaxon-test.example.com:9100', job: 'klaxon-test', service: 'payments', team: 'search' });
    expect(body.commonLabels).toEqual(body.alerts[0]!.labels);
  });
});

describe('a dry run', () => {
  it('routes to the integration\'s service when no route matches, posts in its alerts_channel and traces its policy', () => {
    const run = dryRun('am');
    expect(run.route).toEqual({ serviceId: 'payments', urgency: 'high', urgencyFrom: 'severity' });
    expect(run.channel).toEqual({ id: 'C0PAYALERTS', from: 'alerts_channel' });
    expect(run.escalation?.policy.id).toBe('payments');
    expect(run.escalation?.steps.map((s) => [s.level, s.loop, s.at - AT, s.resolved.flatMap((r) => r.userIds)])).toEqual([
      [0, 0, 0, ['U01ALICE']],
      [1, 0, 5 * 60_000, ['U01MANAGER']],
      [0, 1, 15 * 60_000, ['U01ALICE']],
      [1, 1, 20 * 60_000, ['U01MANAGER']],
    ]);
    expect(run.pagesNobody).toBe(false);
  });

  it('follows the first matching route, and says where the urgency came from', () => {
    expect(dryRun('am', { severity: 'warning' }).route).toEqual({ index: 2, serviceId: 'payments', urgency: 'low', urgencyFrom: 'route' });
    expect(dryRun('am', { severity: 'info', team: 'search' }).route).toEqual({ index: 0, serviceId: 'search', urgency: 'low', urgencyFrom: 'severity' });
    expect(dryRun('am', { severity: '' }).route).toEqual({ serviceId: 'payments', urgency: 'high', urgencyFrom: 'severity' });
  });

  it('posts in INCIDENTS_CHANNEL for a service without alerts_channel, else nowhere', () => {
    expect(dryRun('am', { team: 'search' }, 'C0INCIDENTS').channel).toEqual({ id: 'C0INCIDENTS', from: 'INCIDENTS_CHANNEL' });
    expect(dryRun('am', { team: 'search' }).channel).toBeUndefined();
  });

  it('pages nobody for a service without a policy, or one whose levels find nobody on call', () => {
    const docs = dryRun('am', { team: 'docs' });
    expect(docs.route.serviceId).toBe('docs');
    expect(docs.escalation).toBeUndefined();
    expect(docs.pagesNobody).toBe(true);
    const search = dryRun('am', { team: 'search' });
    expect(search.escalation?.steps).toEqual([expect.objectContaining({ level: 0, empty: true, at: AT })]);
    expect(search.pagesNobody).toBe(true);
  });
});
