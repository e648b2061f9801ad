/**
 * The real monitoring stack the alert tests run (test/support/monitoring.ts): Debian's Prometheus fires a rule
 * on a gauge the test sets, and Debian's Alertmanager posts its webhook (payload version 4) with the bearer
 * token of its `http_config.authorization` to a plain HTTP server of the test; then the gauge falls back and
 * the same alert arrives resolved. All of it in real time: a few seconds each way.
 *
 * The two payloads are the recorded examples test/fixtures/alerts/alertmanager-real-{firing,resolved}.json,
 * which the payload parser's tests read. They are written when missing (or with KLAXON_RECORD_FIXTURES=1) and
 * otherwise checked: what Alertmanager sends today must equal them except for the alerts' times.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../src/simulator/wait.ts';
import { tempDir } from '../support/db.ts';
import { findMonitoringBinaries, MONITORING_MISSING, PAYMENTS_DOWN, startMonitoringStack, type MonitoringStack } from '../support/monitoring.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/alerts');
const RECORD = process.env.KLAXON_RECORD_FIXTURES === '1';
// Fixed external URLs (what each announces, not where it listens), so that the payloads do not depend on ports.
const PROMETHEUS_EXTERNAL_URL = 'http://prometheus.example.com:9090/';
const ALERTMANAGER_EXTERNAL_URL = 'http://alertmanager.example.com:9093/';
const WEBHOOK_PATH = '/alerts/alertmanager';
const TOKEN = randomBytes(16).toString('hex');
/** How long an alert may take to arrive each way: seconds in practice (1 s scrapes, evaluations and group timings). */
const ARRIVAL_MS = 30_000;

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

interface WebhookPayload {
  version: string;
  groupKey: string;
  truncatedAlerts: number;
  status: string;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

let receiver: Server | undefined;
let stack: MonitoringStack | undefined;
const received: Received[] = [];

/** The first notification received with this status, waited for (bounded); on a timeout, what the stack said. */
async function notification(status: 'firing' | 'resolved'): Promise<{ request: Received; payload: WebhookPayload }> {
  const find = (): { request: Received; payload: WebhookPayload } | undefined => {
    for (const request of received) {
      const payload = JSON.parse(request.body) as WebhookPayload;
      if (payload.status === status) return { request, payload };
    }
    return undefined;
  };
  try {
    return await waitFor(find, `a ${status} notification`, ARRIVAL_MS);
  } catch (error) {
    const said = [`received: ${JSON.stringify(received)}`, ...(stack?.logs() ?? [])].join('\n');
    throw new Error(`${(error as Error).message} within ${ARRIVAL_MS / 1000} s\n${said}`, { cause: error });
  }
}

/** The payload with the alerts' times (which differ each run) replaced, for comparing with a recording. */
const withoutTimes = (payload: WebhookPayload): WebhookPayload => ({
  ...payload,
  alerts: payload.alerts.map((alert) => ({ ...alert, startsAt: '<time>', endsAt: alert.endsAt.startsWith('0001-') ? alert.endsAt : '<time>' })),
});

/** Writes the recording when there is none (or when asked to), and otherwise checks the payload against it. */
function recordOrCompare(name: string, payload: WebhookPayload): void {
  const file = join(FIXTURES, name);
  if (RECORD || !existsSync(file)) {
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
    return;
  }
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as WebhookPayload;
  expect(withoutTimes(payload), `${name} no longer matches what Alertmanager sends; run again with KLAXON_RECORD_FIXTURES=1 to record it anew`).toEqual(withoutTimes(recorded));
}

function expectThePaymentsAlert(request: Received, payload: WebhookPayload, status: 'firing' | 'resolved'): WebhookAlert {
  expect(request.method).toBe('POST');
  expect(request.url).toBe(WEBHOOK_PATH);
  expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(request.headers['content-type']).toMatch(/^application\/json/);
  expect(request.headers['user-agent']).toMatch(/^Alertmanager\/0\.25\./);

  expect(payload).toMatchObject({
    version: '4',
    status,
    receiver: PAYMENTS_DOWN.receiver,
    truncatedAlerts: 0,
    groupLabels: { alertname: PAYMENTS_DOWN.alertname, service: PAYMENTS_DOWN.labels.service },
    commonLabels: PAYMENTS_DOWN.labels,
    commonAnnotations: PAYMENTS_DOWN.annotations,
    externalURL: ALERTMANAGER_EXTERNAL_URL.replace(/\/$/, ''),
  });
  expect(payload.groupKey).toContain(`alertname="${PAYMENTS_DOWN.alertname}"`);
  expect(payload.alerts).toHaveLength(1);
  const [alert] = payload.alerts;
  expect(alert).toMatchObject({ status, labels: PAYMENTS_DOWN.labels, annotations: PAYMENTS_DOWN.annotations });
  expect(alert!.generatorURL.startsWith(`${PROMETHEUS_EXTERNAL_URL}graph?`)).toBe(true);
  expect(new URL(alert!.generatorURL).searchParams.get('g0.expr')).toBe('klaxon_test_failing > 0');
  expect(alert!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  expect(Number.isNaN(Date.parse(alert!.startsAt))).toBe(false);
  return alert!;
}

describe('Prometheus and Alertmanager, the real ones', () => {
  beforeAll(async () => {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200).end();
      });
    });
    receiver = server;
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    stack = await startMonitoringStack({
      webhookUrl: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
      bearerToken: TOKEN,
      prometheusExternalUrl: PROMETHEUS_EXTERNAL_URL,
      alertmanagerExternalUrl: ALERTMANAGER_EXTERNAL_URL,
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    if (receiver) await new Promise((done) => receiver!.close(done));
  });

  it('post a firing alert with the bearer token when the rule fires, and the same alert resolved when it stops', async () => {
    stack!.setFailing(1);
    const firing = await notification('firing');
    const firingAlert = expectThePaymentsAlert(firing.request, firing.payload, 'firing');
    expect(firingAlert.endsAt).toBe('0001-01-01T00:00:00Z');

    stack!.setFailing(0);
    const resolved = await notification('resolved');
    const resolvedAlert = expectThePaymentsAlert(resolved.request, resolved.payload, 'resolved');
    expect(resolvedAlert.fingerprint).toBe(firingAlert.fingerprint);
    expect(resolvedAlert.startsAt).toBe(firingAlert.startsAt);
    expect(Date.parse(resolvedAlert.endsAt)).toBeGreaterThan(Date.parse(resolvedAlert.startsAt));
    // Every notification, of either kind, carried the token.
    expect(received.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

    recordOrCompare('alertmanager-real-firing.json', firing.payload);
    recordOrCompare('alertmanager-real-resolved.json', resolved.payload);
  }, 2 * ARRIVAL_MS + 10_000);
});

describe('without Prometheus and Alertmanager', () => {
  it('finds Debian\'s binaries on PATH only when both are there, and otherwise says in one line what to install', () => {
    const tmp = tempDir();
    try {
      const bin = (name: string): string => {
        const file = join(tmp.dir, name);
        writeFileSync(file, '#!/bin/sh\n');
        chmodSync(file, 0o755);
        return file;
      };
      expect(findMonitoringBinaries(tmp.dir)).toBeUndefined();
      const prometheus = bin('prometheus');
      expect(findMonitoringBinaries(['/nonexistent', tmp.dir].join(delimiter))).toBeUndefined();
      const alertmanager = bin('prometheus-alertmanager');
      expect(findMonitoringBinaries(['/nonexistent', tmp.dir].join(delimiter))).toEqual({ prometheus, alertmanager });
      expect(findMonitoringBinaries(undefined)).toBeUndefined();
    } finally {
      tmp.remove();
    }
    expect(MONITORING_MISSING).not.toContain('\n');
    expect(MONITORING_MISSING).toContain('npm run setup');
    expect(MONITORING_MISSING).toContain('apt-get install prometheus prometheus-alertmanager');
  });
});
