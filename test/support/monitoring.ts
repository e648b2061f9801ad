/**
 * A real monitoring stack for the tests of alerts: Debian's `prometheus` and `prometheus-alertmanager` (which
 * `npm run setup` installs), started as processes of the test on free loopback ports, with their files in a
 * temporary directory that stop() removes. They never use the services the packages install (ports 9090 and
 * 9093), which .ci/install-system-packages stops and disables.
 *
 * Prometheus scrapes a tiny target served by the test process every second: one gauge,
 * `klaxon_test_failing{service="payments",severity="critical"}`, whose value the test sets. Every second it
 * evaluates one rule, PaymentsDown (`klaxon_test_failing > 0`, `for: 0s`), and sends the alert to
 * Alertmanager, whose only route posts everything (grouped by alertname and service, after a second, resolved
 * alerts too) to the caller's webhook with `Authorization: Bearer <token>`. An alert therefore reaches the
 * webhook a few seconds after setFailing(1), and its resolution a few seconds after setFailing(0): in real
 * time, since nothing here can be fast-forwarded. Starting takes about 5 s, nearly all of it Prometheus 2.42
 * waiting for its first target update (its scrape manager applies them every 5 s, and no flag shortens that),
 * which startMonitoringStack waits for: once it resolves, the target has been scraped.
 *
 * Without the binaries, startMonitoringStack fails with MONITORING_MISSING, one line saying what to install.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from '../../src/simulator/wait.ts';
import { tempDir } from './db.ts';
import { onPath } from './executables.ts';

export const MONITORING_MISSING =
  'Prometheus and Alertmanager are not installed (no `prometheus` and `prometheus-alertmanager` on PATH): the tests of alerts from monitoring run the real ones. Run `npm run setup` (Debian or Ubuntu: `apt-get install prometheus prometheus-alertmanager`), then run the tests again.';

/** The alert the stack's rule raises as Alertmanager reports it: labels (the rule's, the metric's, the target's instance and job), annotations, receiver. */
export const PAYMENTS_DOWN = {
  alertname: 'PaymentsDown',
  labels: { alertname: 'PaymentsDown', service: 'payments', severity: 'critical', team: 'payments-eng', instance: 'payments-api-1', job: 'klaxon-test-target' },
  annotations: {
    summary: 'Payments is failing its checks',
    description: 'klaxon_test_failing is 1 for payments on payments-api-1.',
    runbook_url: 'https://runbooks.example.com/payments/payments-down',
  },
  receiver: 'klaxon',
} as const;

const METRIC = 'klaxon_test_failing';

export interface MonitoringStackOptions {
  /** Where Alertmanager posts its webhook notifications. */
  webhookUrl: string;
  /** The credentials of Alertmanager's `http_config.authorization` (type Bearer). */
  bearerToken: string;
  /**
   * The external URLs the two announce (`--web.external-url`): Prometheus's is the start of each alert's
   * `generatorURL`, Alertmanager's the webhook's `externalURL`. By default their real loopback addresses; a
   * test that records payloads passes fixed ones so that the payloads do not depend on the ports.
   */
  prometheusExternalUrl?: string;
  alertmanagerExternalUrl?: string;
}

export interface MonitoringStack {
  /** Sets the gauge the target serves (1: the rule fires; 0: it resolves). */
  setFailing(value: number): void;
  /** Kills both processes and waits for them to exit, closes the target and removes the directory. */
  stop(): Promise<void>;
  /** Where each really listens (http://127.0.0.1:<port>). */
  prometheusUrl: string;
  alertmanagerUrl: string;
  /** Both processes' output so far, a line each, prefixed with the process's name. */
  logs(): string[];
}

/**
 * Debian's binaries on `path`: `prometheus`, and `prometheus-alertmanager` (upstream's name, `alertmanager`, as a
 * fallback); undefined unless both are there.
 */
export function findMonitoringBinaries(path: string | undefined): { prometheus: string; alertmanager: string } | undefined {
  const prometheus = onPath(path, ['prometheus']);
  const alertmanager = onPath(path, ['prometheus-alertmanager', 'alertmanager']);
  return prometheus && alertmanager ? { prometheus, alertmanager } : undefined;
}

/** A port nothing listens on at this moment (the process that takes it is started right after). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const quote = (text: string): string => JSON.stringify(text); // a JSON string is a YAML string

interface Started {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/**
 * Starts `binary` with the arguments `args(port)` gives for a free port and resolves once its `/-/ready` answers
 * 200. A port taken between choosing it and binding it is chosen again (up to three times); a process that exits
 * first, or is not ready within 20 s, fails with its output.
 */
async function startReady(name: string, binary: string, args: (port: number) => string[], log: (line: string) => void): Promise<Started> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(binary, args(port), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const record = (line: string): void => {
      lines.push(line);
      log(`[${name}] ${line}`);
    };
    createInterface({ input: child.stdout! }).on('line', record);
    createInterface({ input: child.stderr! }).on('line', record);
    let exit: string | undefined;
    const exited = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        exit = error.message;
        resolve();
      });
      child.once('exit', (code, signal) => {
        exit = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve();
      });
    });
    const ready = async (): Promise<boolean | 'exited'> => {
      if (exit !== undefined) return 'exited';
      try {
        return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) })).status === 200;
      } catch {
        return false;
      }
    };
    let state: boolean | 'exited';
    try {
      state = await waitFor(ready, `${name} to be ready`, 20_000, () => new Promise((resolve) => setTimeout(resolve, 50)));
    } catch {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`${name} was not ready at ${url}/-/ready within 20 s:\n${lines.join('\n')}`);
    }
    if (state === true) return { child, url, exited };
    if (attempt < 3 && lines.some((line) => line.includes('address already in use'))) continue;
    throw new Error(`${name} stopped before it was ready (${exit}):\n${lines.join('\n')}`);
  }
}

async function kill(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 5_000);
  await started.exited;
  clearTimeout(timer);
}

function prometheusConfig(targetPort: number, alertmanagerPort: number): string {
  return `# Written by test/support/monitoring.ts.
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - rules.yml
scrape_configs:
  - job_name: ${PAYMENTS_DOWN.labels.job}
    static_configs:
      - targets: ['127.0.0.1:${targetPort}']
        # A name of its own, so that the alert's labels (and fingerprint) do not depend on the port.
        labels:
          instance: ${PAYMENTS_DOWN.labels.instance}
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:${alertmanagerPort}']
`;
}

function rules(): string {
  const { alertname, labels, annotations } = PAYMENTS_DOWN;
  return `# Written by test/support/monitoring.ts.
groups:
  - name: klaxon-test
    rules:
      - alert: ${alertname}
        expr: ${METRIC} > 0
        for: 0s
        labels:
          severity: ${labels.severity}
          service: ${labels.service}
          team: ${labels.team}
        annotations:
          summary: ${quote(annotations.summary)}
          description: ${quote('klaxon_test_failing is {{ $value }} for {{ $labels.service }} on {{ $labels.instance }}.')}
          runbook_url: ${quote(annotations.runbook_url)}
`;
}

function alertmanagerConfig(webhookUrl: string, bearerToken: string): string {
  return `# Written by test/support/monitoring.ts.
route:
  receiver: ${PAYMENTS_DOWN.receiver}
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 4h
receivers:
  - name: ${PAYMENTS_DOWN.receiver}
    webhook_configs:
      - url: ${quote(webhookUrl)}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${quote(bearerToken)}
`;
}

/** The target Prometheus scrapes: the gauge, at the value the test last set. */
async function startTarget(value: () => number): Promise<{ server: Server; port: number; scraped: () => number }> {
  let scrapes = 0;
  const server = createHttpServer((request, response) => {
    if (request.method === 'GET' && request.url === '/metrics') {
      scrapes += 1;
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      response.end(`# HELP ${METRIC} Whether the test's payments service is failing (set by the test).\n# TYPE ${METRIC} gauge\n${METRIC}{service="payments",severity="critical"} ${value()}\n`);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, port: (server.address() as AddressInfo).port, scraped: () => scrapes };
}

/**
 * Starts the target, Alertmanager and Prometheus (in that order), and resolves once both answer `/-/ready` and
 * Prometheus has scraped the target once. The gauge starts at 0.
 */
export async function startMonitoringStack(options: MonitoringStackOptions): Promise<MonitoringStack> {
  const binaries = findMonitoringBinaries(process.env.PATH);
  // One line, no stack: it is not a bug.
  if (!binaries) throw Object.assign(new Error(MONITORING_MISSING), { stack: MONITORING_MISSING });

  const tmp = tempDir('klaxon-monitoring-');
  const output: string[] = [];
  const log = (line: string): void => void output.push(line);
  let failing = 0;
  let target: Awaited<ReturnType<typeof startTarget>> | undefined;
  let alertmanager: Started | undefined;
  let prometheus: Started | undefined;
  let stopped: Promise<void> | undefined;

  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      process.off('exit', killNow);
      await Promise.all([kill(prometheus), kill(alertmanager)]);
      if (target) await new Promise((resolve) => target!.server.close(resolve));
      tmp.remove();
    })());
  // Should the test's process end without stop(), the children end with it.
  const killNow = (): void => {
    prometheus?.child.kill('SIGKILL');
    alertmanager?.child.kill('SIGKILL');
  };
  process.once('exit', killNow);

  try {
    target = await startTarget(() => failing);

    const amDir = join(tmp.dir, 'alertmanager');
    mkdirSync(amDir);
    writeFileSync(join(amDir, 'alertmanager.yml'), alertmanagerConfig(options.webhookUrl, options.bearerToken), { mode: 0o600 });
    alertmanager = await startReady(
      'alertmanager',
      binaries.alertmanager,
      (port) => [
        `--config.file=${join(amDir, 'alertmanager.yml')}`,
        `--storage.path=${join(amDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=${options.alertmanagerExternalUrl ?? `http://127.0.0.1:${port}/`}`,
        '--cluster.listen-address=', // no clustering: no gossip port, no waiting for peers
      ],
      log,
    );
    const alertmanagerPort = Number(new URL(alertmanager.url).port);

    const promDir = join(tmp.dir, 'prometheus');
    mkdirSync(promDir);
    writeFileSync(join(promDir, 'prometheus.yml'), prometheusConfig(target.port, alertmanagerPort));
    writeFileSync(join(promDir, 'rules.yml'), rules());
    prometheus = await startReady(
      'prometheus',
      binaries.prometheus,
      (port) => [
        `--config.file=${join(promDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(promDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=${options.prometheusExternalUrl ?? `http://127.0.0.1:${port}/`}`,
      ],
      log,
    );
    await waitFor(() => target!.scraped() > 0, 'Prometheus to scrape the test target', 15_000, () => new Promise((resolve) => setTimeout(resolve, 50)));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    setFailing(value) {
      failing = value;
    },
    stop,
    prometheusUrl: prometheus.url,
    alertmanagerUrl: alertmanager.url,
    logs: () => [...output],
  };
}
