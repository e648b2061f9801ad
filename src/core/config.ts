/**
 * Configuration at every boundary it crosses: the environment and klaxon.yml, both parsed with zod into one
 * `Config`. Any problem becomes a ConfigError with one line naming the variable, or the file, the path inside
 * it and what is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { isPostgresUrl, isUsablePostgresUrl, redactUrl } from './urls.ts';
import { ConfigError } from './errors.ts';
import type { LogLevel } from './logger.ts';
import { parseDuration } from './duration.ts';
import { isTimeZone, parseLocalDateTime } from './wall-clock.ts';

// ---------------------------------------------------------------------------------------------- environment

const optional = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** Where the database and klaxon.yml are when the environment does not say (CONTRACT.md). */
export const DEFAULT_DB_FILE = './data/klaxon.db';
export const DEFAULT_CONFIG_FILE = './klaxon.yml';

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-[\w-]+$/, 'must be a bot token starting with "xoxb-"'),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-[\w-]+$/, 'must be an app-level token starting with "xapp-"').optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('https://slack.com/api/'),
  PORT: z.coerce.number({ error: 'must be a whole number from 0 to 65535' }).int('must be a whole number from 0 to 65535').min(0, 'must be a whole number from 0 to 65535').max(65535, 'must be a whole number from 0 to 65535').default(3000),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://klaxon.example.com' }).optional(),
  KLAXON_DB: z
    .string()
    .min(1)
    .refine((value) => !isPostgresUrl(value) || isUsablePostgresUrl(value), 'is not a Postgres URL Klaxon can use: write postgres://user:password@host:5432/database')
    .default(DEFAULT_DB_FILE),
  KLAXON_CONFIG: z.string().min(1).default(DEFAULT_CONFIG_FILE),
  RUNBOOKS_DIR: z.string().min(1).default('./runbooks'),
  INCIDENTS_CHANNEL: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel ID such as C0123ABCD (not a #name)').optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).default('info'),
});

export interface Env {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  slackApiUrl: string;
  port: number;
  publicUrl: string;
  dbFile: string;
  configFile: string;
  runbooksDir: string;
  incidentsChannel?: string;
  logLevel: LogLevel;
}

const ENV_NAMES = Object.keys(EnvSchema.shape) as (keyof typeof EnvSchema.shape)[];

const SECRETS = new Set(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN']);

/** A value as an error may repeat it: secrets by their first characters only, a URL without its password. */
function shown(name: string, value: string): string {
  if (SECRETS.has(name)) return value.length > 5 ? `${value.slice(0, 5)}…` : '…';
  return redactUrl(value);
}

export function loadEnv(source: Record<string, string | undefined>): Env {
  const raw = Object.fromEntries(ENV_NAMES.map((name) => [name, optional(source[name])]));
  if (raw.SLACK_BOT_TOKEN === undefined) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN is not set: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) in .env or the environment (.env.example lists every variable), or try Klaxon without Slack: npm run demo',
    );
  }
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`${name} ${issue.message}${raw[name] !== undefined ? ` (got ${JSON.stringify(shown(name, raw[name]))})` : ''}`);
  }
  const env = parsed.data;
  if (env.SLACK_APP_TOKEN === undefined && env.SLACK_SIGNING_SECRET === undefined) {
    throw new ConfigError('SLACK_SIGNING_SECRET is not set: the HTTP receiver needs it to verify requests from Slack (or set SLACK_APP_TOKEN to use Socket Mode)');
  }
  return {
    botToken: env.SLACK_BOT_TOKEN,
    signingSecret: env.SLACK_SIGNING_SECRET,
    appToken: env.SLACK_APP_TOKEN,
    slackApiUrl: env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`,
    port: env.PORT,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    dbFile: env.KLAXON_DB,
    configFile: env.KLAXON_CONFIG,
    runbooksDir: env.RUNBOOKS_DIR,
    incidentsChannel: env.INCIDENTS_CHANNEL,
    logLevel: env.LOG_LEVEL,
  };
}

// ---------------------------------------------------------------------------------------------- klaxon.yml

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, "-" or "_"');
const TimeZone = z.string().refine(isTimeZone, { error: (issue) => `unknown time zone ${JSON.stringify(issue.input)}` });
const UserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user ID such as U01ALICE');
const Duration = z
  .string()
  .regex(/^\d+(s|m|h)$/, 'must be a duration such as 30s, 5m or 1h')
  .refine((text) => {
    const ms = parseDuration(text) ?? 0;
    return ms >= 1000 && ms <= 24 * 3_600_000;
  }, 'must be from 1s to 24h');
const Day = z.iso.date({ error: 'must be a date such as 2026-01-05' });
const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$/, 'must be a date and time such as 2026-11-24T09:00');
const ClockTime = /^([01]\d|2[0-3]):[0-5]\d$/;
const WeekdayTime = /^(mon|tue|wed|thu|fri|sat|sun) ([01]\d|2[0-3]):[0-5]\d$/;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const Rotation = z
  .object({
    kind: z.enum(['daily', 'weekly', 'hours']),
    handoff: z.string(),
    shift_hours: z.number().int().min(1).max(24 * 28).optional(),
    start: Day,
    participants: z.array(UserId).min(1, 'needs at least one participant'),
  })
  .strict()
  .superRefine((rotation, ctx) => {
    const ok = rotation.kind === 'weekly' ? WeekdayTime.test(rotation.handoff) : ClockTime.test(rotation.handoff);
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        path: ['handoff'],
        message: rotation.kind === 'weekly' ? 'must be a weekday and time such as "mon 09:00"' : 'must be a time such as "09:00"',
      });
    }
    if (rotation.kind === 'hours' && rotation.shift_hours === undefined) {
      ctx.addIssue({ code: 'custom', path: ['shift_hours'], message: 'is required when kind is hours' });
    }
    if (rotation.kind !== 'hours' && rotation.shift_hours !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['shift_hours'], message: `only applies when kind is hours (this rotation is ${rotation.kind})` });
    }
    if (ok && rotation.kind === 'weekly') {
      const weekday = new Date(`${rotation.start}T00:00:00Z`).getUTCDay();
      const handoffDay = WEEKDAYS.indexOf(rotation.handoff.slice(0, 3));
      if (weekday !== handoffDay) {
        ctx.addIssue({ code: 'custom', path: ['start'], message: `${rotation.start} is a ${WEEKDAY_NAMES[weekday]}, but this weekly rotation hands off on ${WEEKDAY_NAMES[handoffDay]}s: start it on a ${WEEKDAY_NAMES[handoffDay]}` });
      }
    }
  });

const Schedule = z
  .object({
    id: Id,
    timezone: TimeZone.optional(),
    rotation: Rotation,
    overrides: z.array(z.object({ user: UserId, from: LocalDateTime, to: LocalDateTime }).strict()).default([]),
  })
  .strict();

const Target = z.string().regex(/^(schedule:[a-z0-9][a-z0-9_-]*|user:[UW][A-Z0-9]{2,})$/, 'must be schedule:<id> or user:<Slack user ID>');

const EscalationPolicy = z
  .object({
    id: Id,
    repeat: z.number().int().min(0).max(9).default(0),
    levels: z.array(z.object({ targets: z.array(Target).min(1, 'needs at least one target'), timeout: Duration }).strict()).min(1, 'needs at least one level'),
  })
  .strict();

const ChannelId = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel ID such as C0123ABCD (not a #name)');
const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as KLAXON_ALERTS_TOKEN');

const Service = z
  .object({
    id: Id,
    name: z.string().min(1).max(75),
    escalation_policy: Id.optional(),
    runbook_tags: z.array(z.string().min(1)).default([]),
    /** Where this service's alerts from monitoring are posted and kept up to date (default: INCIDENTS_CHANNEL). */
    alerts_channel: ChannelId.optional(),
  })
  .strict();

/** A label rule of an integration: alerts whose labels all equal `match` go to `service`, at `urgency`. */
const AlertRoute = z
  .object({
    match: z.record(z.string().min(1), z.string()).refine((m) => Object.keys(m).length > 0, { error: 'needs at least one label' }),
    service: Id.optional(),
    urgency: z.enum(['high', 'low']).optional(),
  })
  .strict();

/** Where monitoring posts its alerts: POST /alerts/<id>, with the bearer token held by the variable secret_env. */
const Integration = z
  .object({
    id: Id,
    kind: z.enum(['alertmanager', 'grafana', 'generic']),
    service: Id,
    secret_env: EnvName,
    /** Page as if an alert fired when nothing arrives for this long (a dead man's switch). */
    heartbeat: Duration.optional(),
    /** The first rule whose labels match decides; otherwise the integration's service, at the urgency of the alert's severity. */
    routes: z.array(AlertRoute).default([]),
  })
  .strict();

const KlaxonFileSchema = z
  .object({
    timezone: TimeZone.default('UTC'),
    services: z.array(Service).default([]),
    schedules: z.array(Schedule).default([]),
    escalation_policies: z.array(EscalationPolicy).default([]),
    integrations: z.array(Integration).default([]),
    /** Slack users who may resolve, reopen, close, change the severity and choose the lead of every incident, and override every shift. */
    admins: z.array(UserId).default([]),
    /** Klaxon's web pages: with require_signed_links, every page needs the signed link Klaxon hands out. */
    web: z.object({ require_signed_links: z.boolean().default(false) }).strict().default({ require_signed_links: false }),
    /**
     * Where problem ticket events are sent (JSON, signed with HMAC-SHA256): the secret itself, or the name of
     * the environment variable that holds it (so that it need not be kept in git).
     */
    problem_webhook: z
      .object({
        url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
        secret: z.string().min(16, 'must be at least 16 characters').optional(),
        secret_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as KLAXON_WEBHOOK_SECRET').optional(),
      })
      .strict()
      .refine((w) => (w.secret === undefined) !== (w.secret_env === undefined), { error: 'needs exactly one of secret or secret_env' })
      .optional(),
    /** How long the lead may go without posting a status update before Klaxon reminds them, by severity. */
    update_reminders: z.object({ sev1: Duration.optional(), sev2: Duration.optional(), sev3: Duration.optional(), sev4: Duration.optional() }).strict().default({}),
  })
  .strict()
  .superRefine((file, ctx) => {
    const unique = (list: { id: string }[], section: string): void => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [section, i, 'id'], message: `duplicate id ${JSON.stringify(item.id)}` });
        seen.add(item.id);
      });
    };
    unique(file.services, 'services');
    unique(file.schedules, 'schedules');
    unique(file.escalation_policies, 'escalation_policies');
    unique(file.integrations, 'integrations');
    const services = new Set(file.services.map((s) => s.id));
    file.integrations.forEach((integration, i) => {
      const check = (service: string | undefined, path: PropertyKey[]): void => {
        if (service !== undefined && !services.has(service)) ctx.addIssue({ code: 'custom', path, message: `unknown service ${JSON.stringify(service)}${known(services)}` });
      };
      check(integration.service, ['integrations', i, 'service']);
      integration.routes.forEach((route, r) => check(route.service, ['integrations', i, 'routes', r, 'service']));
    });
    const policies = new Set(file.escalation_policies.map((p) => p.id));
    const schedules = new Set(file.schedules.map((s) => s.id));
    file.services.forEach((service, i) => {
      if (service.escalation_policy !== undefined && !policies.has(service.escalation_policy)) {
        ctx.addIssue({ code: 'custom', path: ['services', i, 'escalation_policy'], message: `unknown escalation policy ${JSON.stringify(service.escalation_policy)}${known(policies)}` });
      }
    });
    file.schedules.forEach((schedule, i) => checkOverrides(schedule, schedule.timezone ?? file.timezone, i, ctx));
    file.escalation_policies.forEach((policy, p) =>
      policy.levels.forEach((level, l) =>
        level.targets.forEach((target, t) => {
          const schedule = target.startsWith('schedule:') ? target.slice('schedule:'.length) : undefined;
          if (schedule !== undefined && !schedules.has(schedule)) {
            ctx.addIssue({ code: 'custom', path: ['escalation_policies', p, 'levels', l, 'targets', t], message: `unknown schedule ${JSON.stringify(schedule)}${known(schedules)}` });
          }
        }),
      ),
    );
  });

/** Each override must end after it starts, and no two may cover the same time (which one would win?). */
function checkOverrides(schedule: { overrides: { user: string; from: string; to: string }[] }, timeZone: string, index: number, ctx: z.RefinementCtx): void {
  const spans = schedule.overrides.map((o) => ({ from: parseLocalDateTime(o.from, timeZone), to: parseLocalDateTime(o.to, timeZone) }));
  spans.forEach((span, o) => {
    const path = ['schedules', index, 'overrides', o];
    if (span.from === undefined) return ctx.addIssue({ code: 'custom', path: [...path, 'from'], message: `${JSON.stringify(schedule.overrides[o]!.from)} is not a real date and time` });
    if (span.to === undefined) return ctx.addIssue({ code: 'custom', path: [...path, 'to'], message: `${JSON.stringify(schedule.overrides[o]!.to)} is not a real date and time` });
    if (span.to <= span.from) return ctx.addIssue({ code: 'custom', path: [...path, 'to'], message: 'must be after from' });
    const clash = spans.findIndex((other, j) => j < o && other.from !== undefined && other.to !== undefined && other.from < span.to! && span.from! < other.to);
    if (clash >= 0) {
      const other = schedule.overrides[clash]!;
      ctx.addIssue({ code: 'custom', path, message: `overlaps overrides[${clash}] (${other.user} from ${other.from} to ${other.to}); split the time between them so that one person is on call at a time` });
    }
  });
}

function known(ids: Set<string>): string {
  return ids.size ? ` (known: ${[...ids].join(', ')})` : ' (none are defined)';
}

export type KlaxonFile = z.infer<typeof KlaxonFileSchema>;
export type ServiceConfig = KlaxonFile['services'][number];

/** The problem_webhook's URL and secret (read from the environment when the file names a variable). */
export function problemWebhook(file: KlaxonFile, env: Record<string, string | undefined>): { url: string; secret: string } | undefined {
  const hook = file.problem_webhook;
  if (!hook) return undefined;
  const secret = hook.secret ?? env[hook.secret_env!];
  if (!secret) throw new ConfigError(`problem_webhook.secret_env: the environment variable ${hook.secret_env} is not set`);
  return { url: hook.url, secret };
}
export type ScheduleConfig = KlaxonFile['schedules'][number];
export type IntegrationConfig = KlaxonFile['integrations'][number];

/** Each integration's bearer token, read from the variable it names; a variable not set stops the start. */
export function integrationTokens(file: KlaxonFile, env: Record<string, string | undefined>): Record<string, string> {
  const tokens: Record<string, string> = {};
  file.integrations.forEach((integration, i) => {
    const token = env[integration.secret_env];
    if (!token) throw new ConfigError(`integrations[${i}].secret_env: the environment variable ${integration.secret_env} is not set (it holds the bearer token ${integration.id} sends)`);
    tokens[integration.id] = token;
  });
  return tokens;
}
export type EscalationPolicyConfig = KlaxonFile['escalation_policies'][number];

/** Formats a zod path as YAML readers write it: services[0].escalation_policy */
function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '') || '(top level)';
}

export function parseKlaxonFile(text: string, file: string): KlaxonFile {
  const doc = parseDocument(text, { prettyErrors: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    const reason = (yamlError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${file}: ${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${reason}`);
  }
  const data: unknown = doc.toJS() ?? {};
  const parsed = KlaxonFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const message = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : issue.message;
    throw new ConfigError(`${file}: ${formatPath(issue.path)}: ${message}`);
  }
  return parsed.data;
}

/** A missing file is not an error: Klaxon runs with no services. `missing` says so for one log line. */
export function loadKlaxonFile(file: string): { config: KlaxonFile; missing: boolean } {
  if (!existsSync(file)) return { config: KlaxonFileSchema.parse({}), missing: true };
  return { config: parseKlaxonFile(readFileSync(file, 'utf8'), file), missing: false };
}

export interface Config {
  env: Env;
  klaxon: KlaxonFile;
  /** problem_webhook with its secret resolved. */
  problemWebhook?: { url: string; secret: string };
  /** Each integration's bearer token, by integration id. */
  integrationTokens?: Record<string, string>;
}
