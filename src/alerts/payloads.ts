/**
 * What monitoring sends to `POST /alerts/<integration>`, read into one shape: Alertmanager's webhook payload
 * (version 4), Grafana's webhook contact point (unified alerting, version 1) and Klaxon's own generic JSON for
 * everything else (documented in README.md). Pure: no I/O, no clock; the caller passes the time it
 * received the body for generic alerts that carry none.
 *
 * A body is either read whole or refused with one line a person can act on (`alerts[0].startsAt: not an RFC
 * 3339 time`), never partly. Labels and annotations are kept as the source wrote them, only bounded: escaping
 * is for whoever displays them. Links are kept only when they are http(s).
 *
 * Formats:
 * - Alertmanager: https://prometheus.io/docs/alerting/latest/configuration/#webhook_config and the struct it
 *   encodes, `notify/webhook.Message` around `template.Data` (github.com/prometheus/alertmanager).
 * - Grafana: https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/
 *   and `receivers/webhook.webhookMessage` around `templates.ExtendedData` (github.com/grafana/alerting).
 */
import { z } from 'zod';
import { truncate } from '../core/mrkdwn.ts';

export type AlertKind = 'alertmanager' | 'grafana' | 'generic';

export interface IncomingAlert {
  /** Stable identity of the alert at its source (Alertmanager's/Grafana's fingerprint; generic: dedup_key, else a hash of its sorted labels). */
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** A one-line title: annotations.summary, else alertname (+ instance/job if useful), else generic's title. */
  summary: string;
  description?: string;
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms, only on a resolved alert whose source gave a real end (Alertmanager sends 0001-01-01 for none). */
  endsAt?: number;
  /** generatorURL / Grafana's generatorURL / generic's url: http(s) only. */
  sourceUrl?: string;
  /** annotations.runbook_url (generic: runbook_url): http(s) only. */
  runbookUrl?: string;
  /** Grafana's panelURL, else its dashboardURL, else annotations.dashboard_url: http(s) only. */
  dashboardUrl?: string;
  /** Grafana's silenceURL. */
  silenceUrl?: string;
}

export interface IncomingBatch {
  /** The source's grouping: Alertmanager/Grafana groupKey; generic: group_key if given, else the fingerprint of its single alert. */
  groupKey: string;
  groupLabels: Record<string, string>;
  /** Alertmanager's truncatedAlerts (alerts it left out), 0 otherwise. */
  truncated: number;
  externalUrl?: string;
  alerts: IncomingAlert[];
}

export type ParsedAlertBody = { ok: true; batch: IncomingBatch } | { ok: false; reason: string };

export interface ParseOptions {
  /** When the body arrived (epoch ms): the start of a generic alert that gives no `started_at`. */
  receivedAt?: number;
}

/** How much of a body is kept. More alerts than `alertsPerBatch` refuse the body; the rest is cut or dropped. */
export const ALERT_LIMITS = {
  alertsPerBatch: 1000,
  /** Labels, and annotations, per alert: past this, the entries Klaxon reads first are kept, then by key. */
  entriesPerAlert: 64,
  /** Longer keys are dropped (a cut key could merge two). */
  keyLength: 128,
  /** Longer values are cut, ending with "…". */
  valueLength: 4000,
  summaryLength: 250,
  /** Fingerprints and dedup keys; longer ones keep their start and a hash of the whole. */
  fingerprintLength: 255,
  groupKeyLength: 1024,
  /** Longer links are dropped (a cut link leads nowhere). */
  urlLength: 4000,
  /** A reason is one line of at most this many characters. */
  reasonLength: 200,
} as const;

/** Entries kept first when an alert has more labels or annotations than the limit: those Klaxon reads. */
const KEPT_FIRST = ['alertname', 'service', 'severity', 'team', 'instance', 'job', 'summary', 'description', 'message', 'runbook_url', 'dashboard_url'];

/** Words a generic `status` may use (case ignored), so tools that cannot map their own can be pointed at Klaxon. */
const GENERIC_STATUS = new Map<string, 'firing' | 'resolved'>([
  ['firing', 'firing'],
  ['triggered', 'firing'],
  ['re-triggered', 'firing'],
  ['warn', 'firing'],
  ['re-warn', 'firing'],
  ['no data', 'firing'],
  ['re-no data', 'firing'],
  ['renotify', 'firing'],
  ['alarm', 'firing'],
  ['alert', 'firing'],
  ['problem', 'firing'],
  ['down', 'firing'],
  ['resolved', 'resolved'],
  ['recovered', 'resolved'],
  ['ok', 'resolved'],
  ['up', 'resolved'],
]);

// ---------------------------------------------------------------------------------------------- entry point

export function parseAlertBody(kind: AlertKind, body: unknown, options: ParseOptions = {}): ParsedAlertBody {
  try {
    const batch = kind === 'alertmanager' ? alertmanagerBatch(body, options) : kind === 'grafana' ? grafanaBatch(body, options) : genericBatch(body, options);
    return { ok: true, batch };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: oneLine(error.message) };
    throw error;
  }
}

/** A body Klaxon will not record; its message is the reason given back. */
class Refusal extends Error {}

function refuse(path: Path, message: string): never {
  throw new Refusal(path.length > 0 ? `${pathText(path)}: ${message}` : message);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= ALERT_LIMITS.reasonLength ? line : truncate(line, ALERT_LIMITS.reasonLength);
}

type Path = readonly PropertyKey[];

/** `alerts[0].labels.team`; keys that are not plain names are quoted, and long ones cut. */
function pathText(path: Path): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else {
      const key = truncate(String(part), 40);
      text += /^[A-Za-z_][\w-]*$/.test(key) ? `${text ? '.' : ''}${key}` : `[${JSON.stringify(key)}]`;
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------- zod schemas

/** A field's error: "missing" when absent, else `text`. */
const unless = (text: string) => (issue: { input?: unknown }): string => (issue.input === undefined ? 'missing' : text);

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON object of strings (numbers and booleans written as text, nulls left out), as [key, value] pairs: never assigned onto an object, so `__proto__` stays a key like any other. */
const StringMap = z
  .custom<Record<string, unknown>>((value) => value === null || value === undefined || isPlainObject(value), { error: unless('must be an object of strings') })
  .transform((value, ctx) => {
    const pairs: [string, string][] = [];
    for (const [key, raw] of Object.entries(value ?? {})) {
      if (raw === null || raw === undefined) continue;
      if (typeof raw === 'string') pairs.push([key, raw]);
      else if (typeof raw === 'number' || typeof raw === 'boolean') pairs.push([key, String(raw)]);
      else {
        ctx.addIssue({ code: 'custom', message: 'must be a string', path: [key], input: raw });
        return z.NEVER;
      }
    }
    return pairs;
  });

type Pairs = [string, string][];

const Status = z.enum(['firing', 'resolved'], { error: unless('must be "firing" or "resolved"') });

/** An RFC 3339 time as epoch ms; null for Go's zero time (0001-01-01T00:00:00Z), which Alertmanager and Grafana send for "none". */
const Time = z.string({ error: unless('must be an RFC 3339 time') }).transform((text, ctx) => {
  const at = rfc3339(text);
  if (at === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not an RFC 3339 time', input: text });
    return z.NEVER;
  }
  return at;
});

const Count = z.number({ error: unless('must be a whole number') }).int('must be a whole number').min(0, 'must be a whole number');

const AlertmanagerAlert = z.object({
  status: Status,
  labels: StringMap,
  annotations: StringMap.optional(),
  startsAt: Time,
  endsAt: Time.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

const AlertmanagerPayload = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: Count.optional(),
  status: Status,
  receiver: z.string().optional(),
  groupLabels: StringMap.optional(),
  commonLabels: StringMap.optional(),
  commonAnnotations: StringMap.optional(),
  externalURL: z.string().optional(),
  alerts: z.array(AlertmanagerAlert),
});

const GrafanaAlert = AlertmanagerAlert.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
});

const GrafanaPayload = AlertmanagerPayload.extend({
  version: z.literal('1'),
  orgId: z.number().optional(),
  alerts: z.array(GrafanaAlert),
});

/** A string, or a number written as text (template variables such as Datadog's $ALERT_ID); "" means absent. */
const Text = z
  .union([z.string(), z.number()], { error: unless('must be a string') })
  .transform((value) => String(value).trim())
  .optional();

/** An RFC 3339 time or epoch seconds/milliseconds (a number or digits); "" means absent. */
const GenericTime = z
  .union([z.string(), z.number()], { error: unless('must be an RFC 3339 time') })
  .transform((value, ctx) => {
    if (typeof value === 'string' && value.trim() === '') return undefined;
    const at = typeof value === 'number' || /^\d+(\.\d+)?$/.test(value.trim()) ? epoch(Number(value)) : rfc3339(value.trim());
    if (at === undefined || at === null) {
      ctx.addIssue({ code: 'custom', message: 'not an RFC 3339 time or epoch milliseconds', input: value });
      return z.NEVER;
    }
    return at;
  })
  .optional();

const GenericAlert = z.object({
  title: z.union([z.string(), z.number()], { error: unless('must be a string') }).transform((value) => String(value)),
  status: z
    .string({ error: unless('must be "firing" or "resolved"') })
    .optional()
    .transform((value, ctx) => {
      const word = value?.trim().toLowerCase() ?? '';
      if (word === '') return 'firing' as const;
      const status = GENERIC_STATUS.get(word);
      if (status === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be "firing" or "resolved"', input: value });
        return z.NEVER;
      }
      return status;
    }),
  dedup_key: Text,
  group_key: Text,
  severity: Text,
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
  description: z.string({ error: unless('must be a string') }).optional(),
  url: Text,
  runbook_url: Text,
  dashboard_url: Text,
  started_at: GenericTime,
  ended_at: GenericTime,
});

const GenericBatch = z.object({
  group_key: Text,
  alerts: z.array(GenericAlert),
});

type GenericAlertInput = z.output<typeof GenericAlert>;

const ERRORS: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined) return 'missing';
  if (issue.code === 'invalid_type') return `must be ${issue.expected === 'object' || issue.expected === 'array' ? 'an' : 'a'} ${issue.expected}`;
  if (issue.code === 'invalid_value') return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
  return undefined;
};

function read<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body, { error: ERRORS });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return refuse(issue.path, issue.message);
}

// ---------------------------------------------------------------------------------------------- Alertmanager and Grafana

const SOURCE_NAMES: Record<AlertKind, string> = { alertmanager: 'an Alertmanager', grafana: 'a Grafana alerting', generic: 'a generic alert' };

/** The checks before the schema: an object of the right version with a reasonable number of alerts. */
function precheck(kind: AlertKind, body: unknown): Record<string, unknown> {
  const what = `not ${SOURCE_NAMES[kind]} webhook payload`;
  if (!isPlainObject(body)) return refuse([], `${what} (expected a JSON object)`);
  if (kind === 'alertmanager' && body.version !== '4') {
    return refuse([], `${what} (version must be "4"${body.version === '1' && 'orgId' in body ? '; this looks like Grafana’s: use kind grafana' : ''})`);
  }
  if (kind === 'grafana' && body.version !== '1') {
    if (body.version === undefined && ('evalMatches' in body || 'ruleName' in body)) {
      return refuse([], `${what}: legacy dashboard alerting is not supported, use a unified alerting webhook contact point`);
    }
    return refuse([], `${what} (version must be "1"${body.version === '4' ? '; this looks like Alertmanager’s: use kind alertmanager' : ''})`);
  }
  checkAlertCount(body.alerts, kind === 'alertmanager' ? ' (set max_alerts in its webhook_config)' : kind === 'grafana' ? ' (set Max alerts in the contact point)' : '');
  return body;
}

function checkAlertCount(alerts: unknown, hint: string): void {
  if (alerts === undefined) refuse(['alerts'], 'missing: expected an array of alerts');
  if (!Array.isArray(alerts)) refuse(['alerts'], 'must be an array');
  if (alerts.length === 0) refuse(['alerts'], 'empty: nothing to record');
  if (alerts.length > ALERT_LIMITS.alertsPerBatch) refuse(['alerts'], `${alerts.length} alerts, at most ${ALERT_LIMITS.alertsPerBatch} in one request${hint}`);
}

function alertmanagerBatch(body: unknown, options: ParseOptions): IncomingBatch {
  const payload = read(AlertmanagerPayload, precheck('alertmanager', body));
  return sourceBatch(
    payload,
    payload.alerts.map((alert, i) => sourceAlert(alert, i, options)),
  );
}

function grafanaBatch(body: unknown, options: ParseOptions): IncomingBatch {
  const payload = read(GrafanaPayload, precheck('grafana', body));
  return sourceBatch(
    payload,
    payload.alerts.map((alert, i) => ({
      ...sourceAlert(alert, i, options),
      ...defined({
        dashboardUrl: httpUrl(alert.panelURL) ?? httpUrl(alert.dashboardURL) ?? httpUrl(valueOf(alert.annotations, 'dashboard_url')),
        silenceUrl: httpUrl(alert.silenceURL),
      }),
    })),
  );
}

function sourceBatch(payload: Pick<z.output<typeof AlertmanagerPayload>, 'groupKey' | 'groupLabels' | 'truncatedAlerts' | 'externalURL'>, alerts: IncomingAlert[]): IncomingBatch {
  const groupLabels = payload.groupLabels ?? [];
  return {
    groupKey: boundedKey(payload.groupKey !== '' ? payload.groupKey : `{}:${labelSetText(groupLabels)}`, ALERT_LIMITS.groupKeyLength),
    groupLabels: bounded(groupLabels),
    truncated: payload.truncatedAlerts ?? 0,
    ...defined({ externalUrl: httpUrl(payload.externalURL) }),
    alerts,
  };
}

function sourceAlert(alert: z.output<typeof AlertmanagerAlert>, index: number, options: ParseOptions): IncomingAlert {
  const labels = bounded(alert.labels);
  const annotations = bounded(alert.annotations ?? []);
  const startsAt = alert.startsAt ?? options.receivedAt ?? refuse(['alerts', index, 'startsAt'], 'missing (the zero time)');
  return {
    fingerprint: boundedKey(alert.fingerprint?.trim() || prometheusFingerprint(alert.labels), ALERT_LIMITS.fingerprintLength),
    status: alert.status,
    labels,
    annotations,
    summary: summaryOf(annotations.summary, labels),
    startsAt,
    ...defined({
      description: nonEmpty(annotations.description) ?? nonEmpty(annotations.message),
      endsAt: alert.status === 'resolved' ? (alert.endsAt ?? undefined) : undefined,
      sourceUrl: httpUrl(alert.generatorURL),
      runbookUrl: httpUrl(annotations.runbook_url),
      dashboardUrl: httpUrl(annotations.dashboard_url),
    }),
  };
}

// ---------------------------------------------------------------------------------------------- generic

/**
 * One alert (`{ "title": …, "status": … }`) or a batch (`{ "group_key"?: …, "alerts": [ … ] }`). A batch of
 * more than one alert needs a group_key: one request is one group.
 */
function genericBatch(body: unknown, options: ParseOptions): IncomingBatch {
  if (!isPlainObject(body)) return refuse([], `not ${SOURCE_NAMES.generic} (expected a JSON object)`);
  if (!('alerts' in body)) {
    const input = read(GenericAlert, body);
    const alert = genericAlert(input, [], options);
    return { groupKey: boundedKey(input.group_key || alert.fingerprint, ALERT_LIMITS.groupKeyLength), groupLabels: {}, truncated: 0, alerts: [alert] };
  }
  checkAlertCount(body.alerts, '');
  const batch = read(GenericBatch, body);
  const alerts = batch.alerts.map((alert, i) => genericAlert(alert, ['alerts', i], options));
  let groupKey = batch.group_key || undefined;
  batch.alerts.forEach((alert, i) => {
    if (!alert.group_key) return;
    if (groupKey !== undefined && alert.group_key !== groupKey) refuse(['alerts', i, 'group_key'], 'differs from the batch’s: one request is one group');
    groupKey = alert.group_key;
  });
  if (groupKey === undefined && alerts.length > 1) refuse(['group_key'], 'missing: a batch of several alerts needs one');
  return { groupKey: boundedKey(groupKey ?? alerts[0]!.fingerprint, ALERT_LIMITS.groupKeyLength), groupLabels: {}, truncated: 0, alerts };
}

function genericAlert(alert: GenericAlertInput, path: Path, options: ParseOptions): IncomingAlert {
  const title = alert.title.replace(/\s+/g, ' ').trim();
  if (title === '') refuse([...path, 'title'], 'empty');
  const rawLabels: Pairs = (alert.labels ?? []).filter(([key]) => !(alert.severity && key === 'severity'));
  if (alert.severity) rawLabels.push(['severity', alert.severity]);
  const labels = bounded(rawLabels);
  const annotations = bounded(alert.annotations ?? []);
  const link = (field: 'url' | 'runbook_url' | 'dashboard_url'): string | undefined => {
    const text = alert[field];
    if (!text) return undefined;
    return httpUrl(text) ?? refuse([...path, field], 'must be an http(s) URL');
  };
  const startsAt = alert.started_at ?? options.receivedAt ?? refuse([...path, 'started_at'], 'missing (give an RFC 3339 time)');
  const identity = rawLabels.some(([key]) => key === 'alertname') ? rawLabels : [...rawLabels, ['alertname', title] as [string, string]];
  return {
    fingerprint: boundedKey(alert.dedup_key || prometheusFingerprint(identity), ALERT_LIMITS.fingerprintLength),
    status: alert.status,
    labels,
    annotations,
    summary: oneLineSummary(title),
    startsAt,
    ...defined({
      description: nonEmpty(alert.description === undefined ? undefined : cut(alert.description)) ?? nonEmpty(annotations.description),
      endsAt: alert.status === 'resolved' ? alert.ended_at : undefined,
      sourceUrl: link('url'),
      runbookUrl: link('runbook_url') ?? httpUrl(annotations.runbook_url),
      dashboardUrl: link('dashboard_url') ?? httpUrl(annotations.dashboard_url),
    }),
  };
}

// ---------------------------------------------------------------------------------------------- normalising

/** The alert's title: its summary annotation, else its alertname (with the instance, or the job, it fired for). */
function summaryOf(summary: string | undefined, labels: Record<string, string>): string {
  if (nonEmpty(summary)) return oneLineSummary(summary!);
  const name = nonEmpty(labels.alertname);
  if (name) {
    const where = nonEmpty(labels.instance) ? ` on ${labels.instance}` : nonEmpty(labels.job) ? ` (${labels.job})` : '';
    return oneLineSummary(`${name}${where}`);
  }
  const pairs = Object.entries(labels);
  return pairs.length > 0 ? oneLineSummary(labelSetText(pairs)) : 'Alert without a name';
}

function oneLineSummary(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= ALERT_LIMITS.summaryLength ? line : truncate(line, ALERT_LIMITS.summaryLength);
}

function cut(value: string): string {
  return value.length <= ALERT_LIMITS.valueLength ? value : truncate(value, ALERT_LIMITS.valueLength);
}

/** At most `entriesPerAlert` entries (those Klaxon reads first, then by key), keys of at most `keyLength`, values cut to `valueLength`. */
function bounded(pairs: Pairs): Record<string, string> {
  let kept = pairs.filter(([key]) => key.length <= ALERT_LIMITS.keyLength);
  if (kept.length > ALERT_LIMITS.entriesPerAlert) {
    const rank = (key: string): number => {
      const i = KEPT_FIRST.indexOf(key);
      return i === -1 ? KEPT_FIRST.length : i;
    };
    const chosen = new Set(
      [...kept]
        .sort(([a], [b]) => rank(a) - rank(b) || compareCodePoints(a, b))
        .slice(0, ALERT_LIMITS.entriesPerAlert)
        .map(([key]) => key),
    );
    kept = kept.filter(([key]) => chosen.has(key));
  }
  return Object.fromEntries(kept.map(([key, value]) => [key, cut(value)]));
}

function valueOf(pairs: Pairs | undefined, key: string): string | undefined {
  return pairs?.find(([k]) => k === key)?.[1];
}

function nonEmpty(text: string | undefined): string | undefined {
  return text !== undefined && text.trim() !== '' ? text : undefined;
}

/** The link if it is an absolute http(s) URL without spaces or control characters; undefined otherwise. */
export function httpUrl(text: string | undefined): string | undefined {
  const url = text?.trim();
  if (!url || url.length > ALERT_LIMITS.urlLength || /[\s\p{Cc}]/u.test(url) || !/^https?:\/\//i.test(url)) return undefined;
  return URL.canParse(url) ? url : undefined;
}

/** The object without its undefined properties, so optional fields are absent rather than present and undefined. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** `{a="1", b="2"}`, sorted by name, as Prometheus writes a label set. */
function labelSetText(pairs: Pairs): string {
  return `{${[...pairs]
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/** The key itself when short enough; else its start and a hash of the whole, so two long keys stay apart. */
function boundedKey(key: string, max: number): string {
  if (key.length <= max) return key;
  const hash = fnv1a64([key]);
  return `${Array.from(key)
    .slice(0, max - hash.length - 1)
    .join('')}…${hash}`;
}

// ---------------------------------------------------------------------------------------------- times

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,30}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Epoch ms of an RFC 3339 time; null for Go's zero time (0001-01-01T00:00:00Z); undefined if not a time from 1970 on. */
export function rfc3339(text: string): number | null | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ?? '';
  const offset = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 60) return undefined;
  if (m[10] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return undefined;
  if (year === 1 && month === 1 && day === 1 && hour === 0 && minute === 0 && second === 0 && /^0*$/.test(fraction) && offset === 0) return null;
  if (year < 1970) return undefined;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const at = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000;
  return at >= 0 && at <= LAST_MS ? at : undefined;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Epoch seconds (below 10^11, which as milliseconds would be 1973) or milliseconds, as ms. */
function epoch(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const ms = Math.floor(value < 1e11 ? value * 1000 : value);
  return ms <= LAST_MS ? ms : undefined;
}

// ---------------------------------------------------------------------------------------------- fingerprints

/**
 * The fingerprint Prometheus and Alertmanager give a label set (`model.LabelSet.Fingerprint()` in
 * github.com/prometheus/common): FNV-1a 64 over each name and value in name order, each followed by a 0xff
 * byte, as 16 hex digits. So a generic alert with the same labels as a Prometheus one has the same identity.
 */
export function prometheusFingerprint(labels: Pairs | Record<string, string>): string {
  const pairs = Array.isArray(labels) ? labels : Object.entries(labels);
  const sorted = [...pairs].sort(([a], [b]) => compareCodePoints(a, b));
  return fnv1a64(sorted.flat(), 0xff);
}

const utf8 = new TextEncoder();

/** FNV-1a 64 of the UTF-8 bytes of `parts`, each followed by `separator` when given; in four 16-bit limbs, as JavaScript numbers cannot hold 64 bits. */
function fnv1a64(parts: readonly string[], separator?: number): string {
  // offset basis 0xcbf29ce484222325, lowest limb first
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  const add = (byte: number): void => {
    h0 ^= byte;
    // multiply by the prime 0x100000001b3 = 2^40 + 0x1b3, keeping the low 64 bits
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  };
  for (const part of parts) {
    for (const byte of utf8.encode(part)) add(byte);
    if (separator !== undefined) add(separator);
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
}

/** Orders strings by code point, as Go orders them by UTF-8 bytes (JavaScript's `<` orders UTF-16 units, which differs only between a surrogate and U+E000–U+FFFF). */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    return xs === ys ? x - y : xs ? 1 : -1;
  }
  return a.length - b.length;
}
