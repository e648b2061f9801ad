/**
 * Every table of Klaxon: the data model at a glance.
 * SQL names are snake_case; every *_at column is UTC epoch milliseconds, stamped by the use case from the
 * injected clock (never by SQLite or a default function).
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    /** The first acknowledgement of any page for this incident (MTTA is acknowledged_at − declared_at). */
    acknowledgedAt: integer('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
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
    /** The one-line resolution summary given when it was resolved. */
    resolution: text('resolution'),
    /** When the last status update was posted (update reminders count from it, or from the declaration). */
    lastUpdateAt: integer('last_update_at'),
    /** When the lead was last reminded to post an update. */
    lastRemindedAt: integer('last_reminded_at'),
    /** Grows with every change the summary, topic, announcement or App Home show; their refresh job is keyed by it. */
    revision: integer('revision').notNull().default(0),
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
  (t) => [
    uniqueIndex('timeline_events_key_unique').on(t.key),
    index('timeline_events_incident_at_idx').on(t.incidentId, t.at),
    index('timeline_events_source_idx').on(t.sourceChannelId, t.sourceTs),
  ],
);

/** Slack events already handled, by event_id: a retried delivery (X-Slack-Retry-Num) is recognised and dropped. */
export const slackEvents = sqliteTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: integer('received_at').notNull(),
});

/**
 * Signed requests from Slack already taken, by signature (an HMAC over the request's timestamp and body): the
 * same signature again is the same request replayed. Kept while the timestamp `signed_at` is inside the window
 * in which a signature is accepted.
 */
export const slackRequests = sqliteTable('slack_requests', {
  signature: text('signature').primaryKey(),
  signedAt: integer('signed_at').notNull(),
});

/** Who has opened Klaxon's App Home, and when: their Home tab is published again when incidents change. */
export const homeVisitors = sqliteTable('home_visitors', {
  userId: text('user_id').primaryKey(),
  openedAt: integer('opened_at').notNull(),
});

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
    // Jobs are kept once done: /metrics counts the failed ones without reading them all.
    index('jobs_failed_kind_idx').on(t.kind).where(sql`status = 'failed'`),
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

/** Overrides made from Slack (`/incident oncall override`); the file's own overrides live in klaxon.yml. */
export const rotaOverrides = sqliteTable(
  'rota_overrides',
  {
    /** Shown to people as OVR-<id>. */
    id: integer('id').primaryKey({ autoIncrement: true }),
    scheduleId: text('schedule_id').notNull(),
    /** Who covers: the person on call inside [from_at, to_at). */
    userId: text('user_id').notNull(),
    fromAt: integer('from_at').notNull(),
    toAt: integer('to_at').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    removedBy: text('removed_by'),
    removedAt: integer('removed_at'),
  },
  (t) => [index('rota_overrides_schedule_to_idx').on(t.scheduleId, t.toAt)],
);

/**
 * Who was on call, as last told to people: per schedule, the stretches from now on (JSON) that handoff and
 * change DMs were based on. A rota or override change is found by comparing against this.
 */
export const rotaSnapshots = sqliteTable('rota_snapshots', {
  scheduleId: text('schedule_id').primaryKey(),
  stretches: text('stretches', { mode: 'json' }).$type<{ userId: string; start: number; end: number }[]>().notNull(),
  takenAt: integer('taken_at').notNull(),
});

/**
 * An alert group: what one page from monitoring is about. The alerts a source sends as one group (Alertmanager's
 * groupKey) share it, and so do the alerts folded into it while a storm pages nobody more. Open (firing or
 * acknowledged) until every alert in it has resolved, or someone resolves it; a group key that fires again after
 * that opens a new group. `revision` grows with every change people should see (its message is edited in place).
 */
export const alertGroups = sqliteTable(
  'alert_groups',
  {
    /** Shown as ALERT-<id>. */
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The integration's id in klaxon.yml, which the alerts came to (POST /alerts/<id>). */
    integrationId: text('integration_id').notNull(),
    groupKey: text('group_key').notNull(),
    /** Where it routed: the service whose escalation policy it pages (null: none routed, nobody paged). */
    serviceId: text('service_id'),
    urgency: text('urgency', { enum: ['high', 'low'] }).notNull(),
    status: text('status', { enum: ['firing', 'acknowledged', 'resolved'] }).notNull(),
    title: text('title').notNull(),
    /** When the first of its alerts started firing at the source, and when Klaxon first heard of it. */
    firingSince: integer('firing_since').notNull(),
    openedAt: integer('opened_at').notNull(),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: integer('acknowledged_at'),
    /** A person (Slack id) who resolved it, or null when its source did. */
    resolvedBy: text('resolved_by'),
    resolvedAt: integer('resolved_at'),
    /** The incident declared from it, which later alerts of the group join instead of paging again. */
    incidentId: integer('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    /** Alerts of other groups folded into this one during a storm. */
    folded: integer('folded').notNull().default(0),
    /** Its message in the service's alert channel, edited as it changes. */
    channelId: text('channel_id'),
    channelTs: text('channel_ts'),
    revision: integer('revision').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // One open group per group key: an alert sent again joins it rather than paging again.
    uniqueIndex('alert_groups_open_key_unique').on(t.integrationId, t.groupKey).where(sql`status <> 'resolved'`),
    index('alert_groups_status_idx').on(t.status),
    index('alert_groups_service_opened_idx').on(t.serviceId, t.openedAt),
  ],
);

/** One alert as its source identifies it (fingerprint) within its group: the same alert sent again updates it. */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    groupId: integer('group_id')
      .notNull()
      .references(() => alertGroups.id, { onDelete: 'cascade' }),
    fingerprint: text('fingerprint').notNull(),
    status: text('status', { enum: ['firing', 'resolved'] }).notNull(),
    summary: text('summary').notNull(),
    description: text('description'),
    labels: text('labels', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    annotations: text('annotations', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    sourceUrl: text('source_url'),
    runbookUrl: text('runbook_url'),
    dashboardUrl: text('dashboard_url'),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at'),
    firstReceivedAt: integer('first_received_at').notNull(),
    lastReceivedAt: integer('last_received_at').notNull(),
    /** How many times the source sent it (Alertmanager repeats an unresolved alert every repeat_interval). */
    timesReceived: integer('times_received').notNull().default(1),
  },
  (t) => [uniqueIndex('alerts_group_fingerprint_unique').on(t.groupId, t.fingerprint)],
);

/**
 * A dead man's switch: one row per integration that expects heartbeats (`heartbeat:` in klaxon.yml). The
 * current deadline counts from `deadline_from` (the last heartbeat, the start of a Klaxon that had none to go by,
 * or the moment a missed heartbeat paged) and passes at `deadline_at`, when the job keyed by it looks. A deadline
 * that passes opens an alert group (`missed_group_id`), which the next heartbeat resolves.
 */
export const heartbeats = sqliteTable('heartbeats', {
  /** The integration's id in klaxon.yml (POST /heartbeats/<id>). */
  integrationId: text('integration_id').primaryKey(),
  /** The last heartbeat received (POST /heartbeats/<id> or a firing Watchdog alert); null: none yet. */
  lastHeartbeatAt: integer('last_heartbeat_at'),
  deadlineFrom: integer('deadline_from').notNull(),
  deadlineAt: integer('deadline_at').notNull(),
  /** The alert group the last missed deadline opened, until a heartbeat comes (null: none missed since). */
  missedGroupId: integer('missed_group_id').references(() => alertGroups.id, { onDelete: 'set null' }),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * One run of an escalation policy for an incident or an alert group (or of a direct page, which is a one-level
 * policy): exactly one of incident_id and alert_group_id is set. The policy is copied in when it starts: a
 * klaxon.yml edited mid-incident does not change a running escalation. `revision` grows with every change people
 * should see; the job that brings Slack up to date is keyed by it.
 */
export const escalations = sqliteTable(
  'escalations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id').references(() => incidents.id, { onDelete: 'cascade' }),
    alertGroupId: integer('alert_group_id').references(() => alertGroups.id, { onDelete: 'cascade' }),
    /** The policy from klaxon.yml, or null for a direct page of people. */
    policyId: text('policy_id'),
    serviceId: text('service_id'),
    policy: text('policy', { mode: 'json' }).$type<{ repeat: number; levels: { targets: string[]; timeoutMs: number }[] }>().notNull(),
    status: text('status', { enum: ['active', 'acknowledged', 'exhausted', 'cancelled'] }).notNull(),
    level: integer('level').notNull().default(0),
    loop: integer('loop').notNull().default(0),
    /** The job that takes the next step (escalate or exhaust), cancelled by an acknowledgement. */
    nextJobKey: text('next_job_key'),
    startedBy: text('started_by').notNull(),
    startedAt: integer('started_at').notNull(),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: integer('acknowledged_at'),
    exhaustedAt: integer('exhausted_at'),
    /** The "nobody has acknowledged" alerts, edited when someone finally does. */
    alertTs: text('alert_ts'),
    announcementAlertTs: text('announcement_alert_ts'),
    revision: integer('revision').notNull().default(0),
  },
  (t) => [
    index('escalations_incident_idx').on(t.incidentId),
    index('escalations_alert_group_idx').on(t.alertGroupId),
    check('escalations_subject_check', sql`(incident_id is null) <> (alert_group_id is null)`),
  ],
);

/** One level of an escalation as it happened: who it paged (or that it found nobody), and its line in the channel. */
export const escalationSteps = sqliteTable(
  'escalation_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    escalationId: integer('escalation_id')
      .notNull()
      .references(() => escalations.id, { onDelete: 'cascade' }),
    level: integer('level').notNull(),
    loop: integer('loop').notNull(),
    targets: text('targets', { mode: 'json' }).$type<string[]>().notNull(),
    /** paging → acknowledged | escalated | exhausted; empty when its targets resolved to nobody. */
    status: text('status', { enum: ['paging', 'acknowledged', 'escalated', 'exhausted', 'empty', 'cancelled'] }).notNull(),
    startedAt: integer('started_at').notNull(),
    /** When the next level is paged if nobody acknowledges (null for the last step of the last loop: exhaustion). */
    timeoutAt: integer('timeout_at'),
    channelTs: text('channel_ts'),
  },
  (t) => [uniqueIndex('escalation_steps_position_unique').on(t.escalationId, t.loop, t.level)],
);

/** One person paged by one step: their DM and what became of it. MTTA per page is acknowledged_at − paged_at. */
export const pages = sqliteTable(
  'pages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The escalation's subject, copied for the queries by person: an incident or an alert group. */
    incidentId: integer('incident_id').references(() => incidents.id, { onDelete: 'cascade' }),
    alertGroupId: integer('alert_group_id').references(() => alertGroups.id, { onDelete: 'cascade' }),
    escalationId: integer('escalation_id')
      .notNull()
      .references(() => escalations.id, { onDelete: 'cascade' }),
    stepId: integer('step_id')
      .notNull()
      .references(() => escalationSteps.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    /** The target that resolved to this person: schedule:<id> or user:<id>. */
    via: text('via').notNull(),
    /** pending → acknowledged (by this person) | answered (someone else acknowledged) | cancelled. */
    status: text('status', { enum: ['pending', 'acknowledged', 'answered', 'cancelled'] }).notNull(),
    pagedAt: integer('paged_at').notNull(),
    acknowledgedAt: integer('acknowledged_at'),
    dmChannel: text('dm_channel'),
    dmTs: text('dm_ts'),
    /** Why the DM could not be delivered (user_not_found …), shown in the channel. */
    deliveryError: text('delivery_error'),
  },
  (t) => [uniqueIndex('pages_step_user_unique').on(t.stepId, t.userId), index('pages_incident_user_idx').on(t.incidentId, t.userId)],
);

/** Small values Klaxon keeps for itself (the secret that signs its web links). */
export const settings = sqliteTable('settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
});

/**
 * The runbooks found in RUNBOOKS_DIR, as last indexed. Their words are also in the `runbook_search` FTS5 table
 * (migration 0003, rowid = id), written by the knowledge feature in the same transaction.
 */
export const runbooks = sqliteTable(
  'runbooks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    path: text('path').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    services: text('services', { mode: 'json' }).$type<string[]>().notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    alerts: text('alerts', { mode: 'json' }).$type<string[]>().notNull(),
    owner: text('owner'),
    /** YYYY-MM-DD, or null when the front matter has none. */
    lastReviewed: text('last_reviewed'),
    body: text('body').notNull(),
    headings: text('headings', { mode: 'json' }).$type<string[]>().notNull(),
    /** sha256 of the file: unchanged files are not rewritten on re-index. */
    contentHash: text('content_hash').notNull(),
    indexedAt: integer('indexed_at').notNull(),
  },
  (t) => [uniqueIndex('runbooks_slug_unique').on(t.slug)],
);

/**
 * The runbooks linked to an incident (on declaration, or by a responder), in rank order. Title and slug are
 * copied: the post-mortem names the runbooks used even after a file is renamed or removed.
 */
export const incidentRunbooks = sqliteTable(
  'incident_runbooks',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    rank: integer('rank').notNull(),
    /** Null when Klaxon linked it on declaration. */
    linkedBy: text('linked_by'),
    linkedAt: integer('linked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.slug] })],
);

/** The past incidents found similar to an incident when it was declared, in rank order. */
export const incidentSimilar = sqliteTable(
  'incident_similar',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    similarId: integer('similar_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    rank: integer('rank').notNull(),
    /** How much of the incident's wording the past one shares, 0 to 1 (see knowledge/relevance.ts). */
    score: real('score').notNull(),
    /** The words of the incident the past one shares, shown as "In common: …". */
    matched: text('matched', { mode: 'json' }).$type<string[]>().notNull(),
    foundAt: integer('found_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.similarId] })],
);

/** When Klaxon looked for runbooks and similar incidents for a declared incident, and the message it posted. */
export const incidentSuggestions = sqliteTable('incident_suggestions', {
  incidentId: integer('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  suggestedAt: integer('suggested_at').notNull(),
  /** The channel message listing them; null when there was nothing to suggest (nothing is posted then). */
  messageTs: text('message_ts'),
});

/**
 * The post-mortem of an incident: the form as last saved (a draft until it passes validation), who saved it,
 * and the Markdown file last uploaded to the channel (deleted when a new version replaces it).
 */
export const postmortems = sqliteTable('postmortems', {
  incidentId: integer('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  /** The form's fields as typed (see postmortems/form.ts). */
  form: text('form', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  /** draft: saved with problems left; complete: passed validation and the document was generated. */
  state: text('state', { enum: ['draft', 'complete'] }).notNull(),
  /** The root cause and the whys, kept as columns for the similar-incident index (triggers in 0006). */
  rootCause: text('root_cause').notNull().default(''),
  whys: text('whys').notNull().default(''),
  /** Grows with every save; the document job and the uploaded file are keyed by it. */
  revision: integer('revision').notNull().default(0),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: integer('updated_at').notNull(),
  /**
   * The last complete version: a draft saved since does not change the document until it is complete too.
   * Its revision keys the publish job.
   */
  completeForm: text('complete_form', { mode: 'json' }).$type<Record<string, unknown>>(),
  completeRevision: integer('complete_revision'),
  completedBy: text('completed_by'),
  completedAt: integer('completed_at'),
  /** The Markdown document generated from the last complete save (served at /postmortems/INC-n). */
  document: text('document'),
  /** The Slack file of the Markdown version in the channel, and the revision it shows. */
  fileId: text('file_id'),
  fileRevision: integer('file_revision'),
});

/** A follow-up problem ticket (PRB-<id>): the fix that stops an incident happening again. */
export const problems = sqliteTable(
  'problems',
  {
    /** The number people see as PRB-<id>. */
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull(),
    ownerId: text('owner_id').notNull(),
    priority: text('priority', { enum: ['p1', 'p2', 'p3', 'p4'] }).notNull(),
    /** YYYY-MM-DD, the last day to fix it. */
    dueDate: text('due_date').notNull(),
    status: text('status', { enum: ['open', 'resolved'] }).notNull(),
    /** Why it was resolved with actions left undone ("won't do"), or null. */
    resolution: text('resolution'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    resolvedBy: text('resolved_by'),
    resolvedAt: integer('resolved_at'),
    /** Grows with every change; the webhook events and reminder jobs are keyed by it. */
    revision: integer('revision').notNull().default(0),
  },
  (t) => [index('problems_owner_status_idx').on(t.ownerId, t.status), index('problems_incident_idx').on(t.incidentId), index('problems_status_idx').on(t.status)],
);

/** One follow-up action of a problem ticket: its checklist item. */
export const problemActions = sqliteTable(
  'problem_actions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    problemId: integer('problem_id')
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    what: text('what').notNull(),
    ownerId: text('owner_id').notNull(),
    dueDate: text('due_date').notNull(),
    status: text('status', { enum: ['open', 'done'] }).notNull(),
    doneBy: text('done_by'),
    doneAt: integer('done_at'),
  },
  (t) => [uniqueIndex('problem_actions_position_unique').on(t.problemId, t.position)],
);

/** A later incident that looked like the one a still-open problem ticket came from. */
export const problemRecurrences = sqliteTable(
  'problem_recurrences',
  {
    problemId: integer('problem_id')
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.problemId, t.incidentId] })],
);

/**
 * Events for the optional `problem_webhook`, written in the transaction of the change they describe and
 * delivered by a job (retried with backoff) until the receiver answers 2xx.
 */
export const webhookDeliveries = sqliteTable('webhook_deliveries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** A unique id the receiver can deduplicate on. */
  eventId: text('event_id').notNull(),
  type: text('type').notNull(),
  problemId: integer('problem_id').notNull(),
  body: text('body').notNull(),
  status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull(),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: integer('created_at').notNull(),
  deliveredAt: integer('delivered_at'),
});

/** Who did what: declarations, resolutions, severity and role changes, overrides, problem ticket changes. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    /** A Slack user id. */
    actorId: text('actor_id').notNull(),
    /** What was done: incident.declare, incident.resolve, oncall.override … */
    action: text('action').notNull(),
    /** What it was done to: INC-7, PRB-2, OVR-3. */
    subject: text('subject').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_subject_idx').on(t.subject)],
);
