/** A fixed set of runbooks for the ranking tests: which ones an incident links, and where "relevant" stops. */
import type { Runbook } from '../../src/knowledge/runbook.ts';

export function runbook(slug: string, fields: Partial<Runbook> & { title: string }): Runbook {
  return { slug, path: `${slug}.md`, summary: '', services: [], tags: [], alerts: [], owner: null, lastReviewed: '2026-10-01', body: '', headings: [], ...fields };
}

export const CORPUS: Runbook[] = [
  runbook('payments-5xx-spike', {
    title: 'Payments API 5xx spike',
    summary: 'The payments API answers with server errors: checkout fails for customers.',
    services: ['payments'],
    tags: ['payments', 'http'],
    alerts: ['PaymentsHigh5xxRate', 'checkout errors'],
    headings: ['Symptoms', 'Diagnose', 'Roll back the last deploy'],
    body: 'Check the error rate per endpoint. If a deploy went out in the last hour, roll it back first.',
  }),
  runbook('database-connection-pool-exhausted', {
    title: 'Database connection pool exhausted',
    summary: 'Requests wait for a database connection and time out.',
    services: ['payments', 'search'],
    tags: ['database', 'postgres'],
    alerts: ['DBPoolExhausted', 'connection timeout'],
    headings: ['Symptoms', 'Find the sessions holding connections', 'Mitigate'],
    body: 'Look at pg_stat_activity for idle in transaction sessions. Raise the pool size only as a last resort.',
  }),
  runbook('certificate-expiry', {
    title: 'TLS certificate expiry',
    summary: 'A certificate has expired or is about to: clients fail the TLS handshake.',
    tags: ['tls', 'certificates'],
    alerts: ['CertificateExpiringSoon', 'ssl handshake failed'],
    headings: ['Check the chain', 'Renew'],
    body: 'Use openssl s_client to see the dates. Renew through the ACME client and reload the proxy.',
  }),
  runbook('dns-resolution-failure', {
    title: 'DNS resolution failure',
    summary: 'Names do not resolve: lookups time out or answer NXDOMAIN.',
    tags: ['dns', 'network'],
    alerts: ['DNSLookupFailures', 'NXDOMAIN'],
    headings: ['Diagnose with dig', 'Fail over the resolver'],
    body: 'Run dig against each resolver. Check recent changes to the zone.',
  }),
  runbook('queue-backlog', {
    title: 'Indexing queue backlog',
    summary: 'The search indexing queue grows faster than consumers drain it.',
    services: ['search'],
    tags: ['queue', 'kafka'],
    alerts: ['IndexingQueueLag'],
    headings: ['Measure the lag', 'Scale the consumers'],
    body: 'Check consumer lag per partition and scale the consumer group.',
  }),
];
