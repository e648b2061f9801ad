/**
 * Every table of Klaxon: the data model at a glance.
 * SQL names are snake_case; every *_at column is UTC epoch milliseconds, stamped by the use case from the
 * injected clock (never by SQLite or a default function).
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const incidents = sqliteTable(
  'incidents',
  {
    /** The incident number users see as INC-<id>; allocated by SQLite inside the declaring transaction. */
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    severity: text('severity', { enum: ['sev1', 'sev2', 'sev3', 'sev4'] }).notNull(),
    status: text('status', { enum: ['investigating', 'identified', 'monitoring', 'resolved'] }).notNull(),
    /** A service id from klaxon.yml at declaration time (kept even if the file later drops it). */
    serviceId: text('service_id'),
    isPrivate: integer('is_private', { mode: 'boolean' }).notNull().default(false),
    isDrill: integer('is_drill', { mode: 'boolean' }).notNull().default(false),
    declaredBy: text('declared_by').notNull(),
    declaredAt: integer('declared_at').notNull(),
    /** Honest durations: impact may start before the declaration and end before the resolution. */
    impactStartedAt: integer('impact_started_at'),
    impactEndedAt: integer('impact_ended_at'),
    resolvedAt: integer('resolved_at'),
    closedAt: integer('closed_at'),
    /** Where the incident lives in Slack, filled in as provisioning completes. */
    channelId: text('channel_id'),
    channelName: text('channel_name'),
    summaryTs: text('summary_ts'),
    announcementChannelId: text('announcement_channel_id'),
    announcementTs: text('announcement_ts'),
    /** pending → done | failed: whether the channel, summary and announcement exist yet. */
    provisioning: text('provisioning', { enum: ['pending', 'done', 'failed'] }).notNull().default('pending'),
    provisioningError: text('provisioning_error'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('incidents_channel_id_unique').on(t.channelId),
    index('incidents_status_idx').on(t.status),
  ],
);

export const incidentRoles = sqliteTable(
  'incident_roles',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['lead', 'comms', 'scribe'] }).notNull(),
    userId: text('user_id').notNull(),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: integer('assigned_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.role] })],
);

/**
 * What happened, in order. `kind` says what (declared, severity_changed, status_changed, role_assigned, paged,
 * acknowledged, escalated, runbook_linked, note, message, resolved, reopened …); `data` holds the structured
 * details (old and new values, page ids) as JSON; `key` makes an entry idempotent (a retried Slack event or a
 * second pin of the same message finds the existing row).
 */
export const timelineEvents = sqliteTable(
  'timeline_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** When it happened (a captured message keeps its own time), not when it was recorded. */
    at: integer('at').notNull(),
    actorId: text('actor_id'),
    text: text('text'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    key: text('key'),
    sourceChannelId: text('source_channel_id'),
    sourceTs: text('source_ts'),
    permalink: text('permalink'),
    recordedAt: integer('recorded_at').notNull(),
    deletedAt: integer('deleted_at'),
  },
  (t) => [uniqueIndex('timeline_events_key_unique').on(t.key), index('timeline_events_incident_at_idx').on(t.incidentId, t.at)],
);

/**
 * The durable scheduler: a row says when to look at something, never what state it is in (that lives in the
 * domain rows). `key` is unique so scheduling the same step twice does nothing.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    dueAt: integer('due_at').notNull(),
    payload: text('payload', { mode: 'json' }).$type<unknown>().notNull(),
    status: text('status', { enum: ['pending', 'running', 'done', 'failed', 'cancelled'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: integer('lease_until'),
    claimToken: text('claim_token'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('jobs_key_unique').on(t.key),
    index('jobs_pending_due_idx').on(t.dueAt).where(sql`status = 'pending'`),
    index('jobs_running_lease_idx').on(t.leaseUntil).where(sql`status = 'running'`),
  ],
);

/**
 * Every Slack side effect Klaxon makes, keyed by an idempotency key built from domain ids
 * (`summary:INC-42`). `sending` means the call went out and its outcome is unknown (a crash in between): the
 * next attempt looks for the result before calling again. `result` keeps what later edits need (channel, ts).
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    method: text('method').notNull(),
    status: text('status', { enum: ['sending', 'sent', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    result: text('result', { mode: 'json' }).$type<Record<string, unknown>>(),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('outbox_key_unique').on(t.key), check('outbox_status_check', sql`status in ('sending','sent','failed')`)],
);
